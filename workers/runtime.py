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
import gc
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.process import BaseProcess
from typing import Any

from dramatiq import Worker
from dramatiq.broker import Broker

from backend.logs import configure_logging, secrets_of
from backend.processing import scheduler as ticks
from backend.processing.due_entries import HintedEntries
from backend.services import Services, build_services, close_services
from backend.settings import Settings
from workers.actors import TIME_LIMIT_MS, declare_actors
from workers.broker import broker_kind, close_broker, make_broker, mask_url
from workers.metrics_server import MetricsServer, start_metrics_server
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
    tick = functools.partial(_tick, services, HintedEntries())
    return SchedulerLoop(services.db, tick, interval=interval).start()


def _tick(services: Services, hinted: HintedEntries) -> None:
    ticks.tick(services, hinted_entries=hinted)


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


# Young collections every 10,000 allocations instead of 700 (Python's default).
GC_THRESHOLDS = (10_000, 20, 20)


def settle_heap() -> None:
    """Sets the garbage collector for batch work, once a worker process has loaded
    what it runs. A batch allocates its rows, states and effects by the thousand and
    keeps them until it ends: at the default thresholds the collector ran hundreds of
    times a batch, promoting them, and its full collections scanned every module loaded
    at start-up. Those start-up objects are frozen (never scanned again) and the young
    generation is collected less often. Only cycles wait for the collector; what a
    batch frees goes at once, as before."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def _run_worker_child(settings: Settings, threads: int) -> None:
    """The body of one spawned worker process: Worker threads only, no scheduler."""
    with _StopSignals() as stop:
        _configure_child_logging(settings)
        parent = os.getppid()
        broker, queue = connect(settings)
        services = build_services(settings, queue=queue)
        declare_actors(broker, services, prefix=settings.queue_prefix)
        settle_heap()
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


def run_worker_command(
    *,
    settings: Settings,
    processes: int,
    threads: int,
    scheduler_interval: float = 1.0,
    metrics_port: int = 0,
    metrics_host: str = "0.0.0.0",
) -> int:
    """`questline worker`: runs until SIGINT/SIGTERM and returns the exit code (0 after a
    clean stop, 1 when worker processes kept dying at once or the metrics port is taken,
    2 when refused). A worker process that dies is replaced. With `metrics_port`, the
    workers' counters are served there."""
    refusal = _refusal(settings, processes, threads)
    if refusal:
        print(f"error: {refusal}", file=sys.stderr)
        return 2
    metrics: MetricsServer | None = None
    if metrics_port:
        try:
            metrics = start_metrics_server(metrics_host, metrics_port, processes=processes)
        except OSError as exc:
            print(f"questline: the metrics port {metrics_port} cannot be opened ({exc.strerror})", file=sys.stderr)
            return 1
    try:
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
    finally:
        if metrics is not None:
            metrics.stop()


def _run_single(settings: Settings, threads: int, interval: float, stop: threading.Event) -> int:
    broker, queue = connect(settings)
    services = build_services(settings, queue=queue)
    settle_heap()
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


# A worker process that dies sooner than this after its start died "at once": once
# that happened QUICK_DEATHS_ALLOWED times in a row, the command gives up (a broker it
# cannot reach, a broken installation) instead of restarting it forever.
QUICK_DEATH_SECONDS = 10.0
QUICK_DEATHS_ALLOWED = 5


def _death_cause(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return f"was killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"was killed by signal {-exitcode}"
    return f"exited with code {exitcode}"


class _Children:
    """The worker processes of one command, each replaced when it dies."""

    def __init__(self, settings: Settings, processes: int, threads: int) -> None:
        self._ctx = multiprocessing.get_context("spawn")
        self._settings, self._threads = settings, threads
        self.slots: list[tuple[BaseProcess, float]] = [self._start(n) for n in range(processes)]
        self.quick_deaths = 0

    def _start(self, slot: int) -> tuple[BaseProcess, float]:
        child = self._ctx.Process(
            target=_run_worker_child, args=(self._settings, self._threads), name=f"questline-worker-{slot + 1}"
        )
        child.start()
        log.info("%s started (pid %s)", child.name, child.pid)
        return child, time.monotonic()

    def replace_dead(self) -> bool:
        """Starts a new process for each that died and logs why; False once children
        keep dying at once (then the command should stop)."""
        for slot, (child, started) in enumerate(self.slots):
            if child.is_alive():
                continue
            lived = time.monotonic() - started
            self.quick_deaths = self.quick_deaths + 1 if lived < QUICK_DEATH_SECONDS else 0
            if self.quick_deaths >= QUICK_DEATHS_ALLOWED:
                log.error(
                    "%s %s %.1f s after its start, the %d. worker process in a row to die at once; giving up",
                    child.name,
                    _death_cause(child.exitcode),
                    lived,
                    self.quick_deaths,
                )
                return False
            log.error(
                "%s (pid %s) %s after %.1f s; starting a new one",
                child.name,
                child.pid,
                _death_cause(child.exitcode),
                lived,
            )
            self.slots[slot] = self._start(slot)
        return True

    def stop(self) -> bool:
        """Stops every child; False if one had to be killed."""
        clean = True
        for child, _ in self.slots:
            if child.is_alive():
                child.terminate()  # SIGTERM: the child stops its worker cleanly
        for child, _ in self.slots:
            child.join(STOP_TIMEOUT_MS / 1000 + 5)
            if child.is_alive():
                log.error("%s did not stop in time; killing it", child.name)
                child.kill()
                child.join()
                clean = False
        return clean


def _run_many(settings: Settings, processes: int, threads: int, interval: float, stop: threading.Event) -> int:
    children = _Children(settings, processes, threads)
    # The command's own process runs the scheduler and sends its hints: one scheduler
    # per command, and one active across machines (the lock).
    broker, queue = connect(settings)
    services = build_services(settings, queue=queue)
    exit_code = 0
    try:
        runtime = Runtime(broker=broker, services=services, scheduler=start_scheduler(services, interval=interval))
        try:
            while not stop.wait(0.5):
                if not children.replace_dead():
                    exit_code = 1
                    break
        finally:
            runtime.stop()
    finally:
        if not children.stop():
            exit_code = 1
        close_services(services)
    log.info("worker stopped")
    return exit_code
