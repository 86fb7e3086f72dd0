"""Running the workers: inside `questline serve` (embedded) or as `questline worker` processes.

Each process builds its services once, in this order: the broker, the queue the
domain sends hints through (`connect`), the services (`backend.services`), then the
actors bound to them and the Dramatiq Worker that runs them.

- `start_embedded`: a Dramatiq Worker (a few threads) and the scheduler thread in this
  process, on the broker the settings name (in-process by default).
- `run_worker_command`: `questline worker`: N processes of Worker threads on the shared
  broker, and one scheduler loop in the command's own process.
"""

from __future__ import annotations

import functools
import logging
import multiprocessing
import os
import signal
import sys
import threading
from dataclasses import dataclass, field
from typing import Any

from dramatiq import Worker
from dramatiq.broker import Broker

from backend.processing import scheduler as ticks
from backend.logs import configure_logging, secrets_of
from backend.services import Services, build_services, close_services
from backend.settings import Settings
from workers.actors import TIME_LIMIT_MS, declare_actors
from workers.broker import broker_kind, close_broker, make_broker, mask_url
from workers.queue_adapter import BrokerQueue
from workers.request_ids import RequestIds
from workers.scheduler import SchedulerLoop

log = logging.getLogger(__name__)

# How long (ms) an idle consumer waits for a message: short in memory, so stopping is
# quick; Dramatiq's own default against a network broker.
IN_PROCESS_POLL_MS = 100
# Dramatiq's Redis consumer polls an empty queue with a back-off that grows up to this
# idle time-out, so it bounds how long a hint can wait there: kept short, as a player's
# event must become a pop-up in well under a second. (RabbitMQ pushes messages; its
# consumer only wakes at this interval to check for a stop.)
REDIS_POLL_MS = 50
NETWORK_POLL_MS = 1_000
STOP_TIMEOUT_MS = 10_000


def connect(settings: Settings) -> tuple[Broker, BrokerQueue]:
    """The broker and the queue hints go through. Nothing connects until the first use.
    Hints carry the request id of the work that sent them, and the workers log under it."""
    broker = make_broker(settings)
    broker.add_middleware(RequestIds())
    return broker, BrokerQueue(broker, settings.queue_prefix)


@dataclass
class Runtime:
    broker: Broker
    services: Services
    worker: Worker | None = None
    scheduler: SchedulerLoop | None = None
    _stopped: bool = field(default=False, repr=False)

    def stop(self) -> None:
        """Stops the scheduler (no new hints), then the worker (running messages finish;
        prefetched ones go back to the broker), then closes the broker's connections.
        The services stay open: whoever built them closes them."""
        if self._stopped:
            return
        self._stopped = True
        if self.scheduler is not None:
            self.scheduler.stop()
        if self.worker is not None:
            self.worker.stop(timeout=STOP_TIMEOUT_MS)
        close_broker(self.broker)


def start_scheduler(services: Services, *, interval: float = 1.0) -> SchedulerLoop:
    return SchedulerLoop(services.db, functools.partial(_tick, services), interval=interval).start()


def _tick(services: Services) -> None:
    ticks.tick(services)


def _start_worker(broker: Broker, settings: Settings, threads: int) -> Worker:
    # What Dramatiq's own command does once a process has its broker: starts the
    # time-limit watchdog, without which `time_limit` would never cut anything off.
    broker.emit_after("process_boot")
    poll = {"in-process": IN_PROCESS_POLL_MS, "redis": REDIS_POLL_MS}.get(broker_kind(settings), NETWORK_POLL_MS)
    worker = Worker(broker, worker_threads=threads, worker_timeout=poll)
    worker.start()
    return worker


def start_embedded(
    services: Services,
    broker: Broker,
    *,
    threads: int = 4,
    scheduler_interval: float = 1.0,
    time_limit_ms: int = TIME_LIMIT_MS,
) -> Runtime:
    """Actors, workers and the scheduler in this process (the `serve` default), for
    services whose queue sends to `broker`."""
    settings = services.settings
    declare_actors(broker, services, prefix=settings.queue_prefix, time_limit_ms=time_limit_ms)
    worker = _start_worker(broker, settings, threads)
    scheduler = start_scheduler(services, interval=scheduler_interval)
    log.info("workers running in this process (%d threads) on broker %s", threads, mask_url(settings.broker_url))
    return Runtime(broker=broker, services=services, worker=worker, scheduler=scheduler)


# -- questline worker --------------------------------------------------------------------------


class _StopSignals:
    """SIGINT/SIGTERM set an event instead of raising. Installed before anything starts,
    so an early signal still stops cleanly; the previous handlers come back on exit."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> threading.Event:
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self._previous[sig] = signal.signal(sig, self._handle)
        return self.event

    def _handle(self, signum: int, frame: Any) -> None:
        if not self.event.is_set():
            log.info("%s received; stopping", signal.Signals(signum).name)
        self.event.set()

    def __exit__(self, *exc: Any) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)


def _configure_child_logging(settings: Settings) -> None:
    """A spawned process starts with no logging set up: the same set-up as the command's."""
    if not logging.getLogger().handlers:
        configure_logging(settings.log_level, secrets=secrets_of(settings))


def _run_worker_child(settings: Settings, threads: int) -> None:
    """The body of one spawned worker process: Worker threads only, no scheduler."""
    with _StopSignals() as stop:
        _configure_child_logging(settings)
        parent = os.getppid()
        broker, queue = connect(settings)
        services = build_services(settings, queue=queue)
        declare_actors(broker, services, prefix=settings.queue_prefix)
        runtime = Runtime(broker=broker, services=services, worker=_start_worker(broker, settings, threads))
        log.info("worker process ready (%d threads)", threads)
        try:
            while not stop.wait(0.5):
                if os.getppid() != parent:  # the command died without stopping us
                    log.warning("the questline worker command is gone; stopping")
                    break
        finally:
            runtime.stop()
            close_services(services)


def _refusal(settings: Settings, processes: int, threads: int) -> str | None:
    if not settings.broker_url:
        return (
            "questline worker needs QUESTLINE_BROKER_URL (redis://... or amqp://...): the in-process "
            "broker cannot be shared between processes. Without a broker, `questline serve` runs the "
            "workers itself."
        )
    try:
        broker_kind(settings)
    except ValueError as exc:
        return str(exc)
    if processes < 1 or threads < 1:
        return "--processes and --threads must be at least 1"
    return None


def run_worker_command(*, settings: Settings, processes: int, threads: int, scheduler_interval: float = 1.0) -> int:
    """`questline worker`: runs until SIGINT/SIGTERM and returns the exit code (0 after a
    clean stop, 1 when a worker process died, 2 when refused)."""
    refusal = _refusal(settings, processes, threads)
    if refusal:
        print(f"error: {refusal}", file=sys.stderr)
        return 2
    with _StopSignals() as stop:
        log.info(
            "starting %d worker process(es) x %d threads on broker %s",
            processes,
            threads,
            mask_url(settings.broker_url),
        )
        if processes == 1:
            return _run_single(settings, threads, scheduler_interval, stop)
        return _run_many(settings, processes, threads, scheduler_interval, stop)


def _run_single(settings: Settings, threads: int, interval: float, stop: threading.Event) -> int:
    broker, queue = connect(settings)
    services = build_services(settings, queue=queue)
    try:
        runtime = start_embedded(services, broker, threads=threads, scheduler_interval=interval)
        try:
            while not stop.wait(0.5):
                pass
        finally:
            runtime.stop()
    finally:
        close_services(services)
    log.info("worker stopped")
    return 0


def _run_many(settings: Settings, processes: int, threads: int, interval: float, stop: threading.Event) -> int:
    ctx = multiprocessing.get_context("spawn")
    children = [
        ctx.Process(target=_run_worker_child, args=(settings, threads), name=f"questline-worker-{n + 1}")
        for n in range(processes)
    ]
    for child in children:
        child.start()
    # The command's own process runs the scheduler and sends its hints: one scheduler
    # per command, and one active across machines (the lock).
    broker, queue = connect(settings)
    services = build_services(settings, queue=queue)
    exit_code = 0
    try:
        runtime = Runtime(broker=broker, services=services, scheduler=start_scheduler(services, interval=interval))
        try:
            while not stop.wait(0.5):
                dead = [c for c in children if not c.is_alive()]
                if dead:
                    for child in dead:
                        log.error("%s exited with code %s; stopping the others", child.name, child.exitcode)
                    exit_code = 1
                    break
        finally:
            runtime.stop()
    finally:
        for child in children:
            if child.is_alive():
                child.terminate()  # SIGTERM: the child stops its worker cleanly
        for child in children:
            child.join(STOP_TIMEOUT_MS / 1000 + 5)
            if child.is_alive():
                log.error("%s did not stop in time; killing it", child.name)
                child.kill()
                child.join()
                exit_code = 1
        close_services(services)
    log.info("worker stopped")
    return exit_code
