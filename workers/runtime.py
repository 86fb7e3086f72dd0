"""Running the workers: inside `questline serve` (embedded) or as `questline worker` processes.

- `start_embedded`: a Dramatiq Worker (a few threads) and the scheduler thread in this
  process, on the broker the settings name (in-process by default).
- `start_producer`: only sends hints to a shared broker (`serve --no-worker`).
- `run_worker_command`: `questline worker`: N processes of Worker threads on the shared
  broker, and one scheduler loop in the command's own process.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dramatiq import Worker
from dramatiq.broker import Broker

from backend.persistence.database import Database
from backend.queue import WorkQueue
from backend.settings import Settings
from workers.actors import Actors, Handlers, declare_actors
from workers.broker import broker_kind, close_broker, make_broker, mask_url
from workers.queue_adapter import BrokerQueue
from workers.scheduler import SchedulerLoop

log = logging.getLogger(__name__)

HandlersFactory = Callable[[Database, Settings, WorkQueue], Handlers]
TickFactory = Callable[[Database, WorkQueue], Callable[[], Any]]

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
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def default_handlers(db: Database, settings: Settings, queue: WorkQueue) -> Handlers:
    """The backend's batch processors (imported when first called, so this package loads
    before each exists). Each takes ids, does its work in its own transactions, and sends
    follow-up hints through `queue` after commit."""
    from backend.processing import dispatch

    return dispatch.handlers(db=db, settings=settings, queue=queue, make=Handlers)


def default_tick(db: Database, queue: WorkQueue) -> Callable[[], Any]:
    def tick() -> Any:
        from backend.processing.scheduler import tick as backend_tick

        return backend_tick(db, queue=queue)

    return tick


@dataclass
class Runtime:
    broker: Broker
    actors: Actors
    queue: BrokerQueue
    worker: Worker | None = None
    scheduler: SchedulerLoop | None = None
    _stopped: bool = field(default=False, repr=False)

    def stop(self) -> None:
        """Stops the scheduler (no new hints), then the worker (running messages finish;
        prefetched ones go back to the broker), then closes the broker's connections."""
        if self._stopped:
            return
        self._stopped = True
        if self.scheduler is not None:
            self.scheduler.stop()
        if self.worker is not None:
            self.worker.stop(timeout=STOP_TIMEOUT_MS)
        close_broker(self.broker)


def build(
    settings: Settings,
    db: Database,
    handlers_factory: HandlersFactory | None = None,
    *,
    time_limit_ms: int | None = None,
) -> tuple[Broker, Actors, BrokerQueue]:
    """The broker, its actors and the queue the domain sends hints through."""
    broker = make_broker(settings)
    holder: dict[str, Handlers] = {}
    # The handlers need the queue (for follow-up hints) and the queue needs the actors: tie the knot lazily.
    lazy = Handlers(
        process_events=lambda ids: holder["h"].process_events(ids),
        advance_entries=lambda ids: holder["h"].advance_entries(ids),
        deliver=lambda channel, ids: holder["h"].deliver(channel, ids),
        grant_bonuses=lambda ids: holder["h"].grant_bonuses(ids),
        call_webhooks=lambda ids: holder["h"].call_webhooks(ids),
    )
    extra = {} if time_limit_ms is None else {"time_limit_ms": time_limit_ms}
    actors = declare_actors(broker, lazy, prefix=settings.queue_prefix, **extra)
    queue = BrokerQueue(actors)
    holder["h"] = (handlers_factory or default_handlers)(db, settings, queue)
    return broker, actors, queue


def _start_worker(broker: Broker, settings: Settings, threads: int) -> Worker:
    # What Dramatiq's own command does once a process has its broker: starts the
    # time-limit watchdog, without which `time_limit` would never cut anything off.
    broker.emit_after("process_boot")
    poll = {"in-process": IN_PROCESS_POLL_MS, "redis": REDIS_POLL_MS}.get(broker_kind(settings), NETWORK_POLL_MS)
    worker = Worker(broker, worker_threads=threads, worker_timeout=poll)
    worker.start()
    return worker


def start_embedded(
    *,
    settings: Settings,
    db: Database,
    threads: int = 4,
    handlers_factory: HandlersFactory | None = None,
    tick_factory: TickFactory | None = None,
    scheduler_interval: float = 1.0,
    time_limit_ms: int | None = None,
) -> Runtime:
    """Workers and the scheduler in this process (the `serve` default)."""
    broker, actors, queue = build(settings, db, handlers_factory, time_limit_ms=time_limit_ms)
    worker = _start_worker(broker, settings, threads)
    scheduler = SchedulerLoop(db, (tick_factory or default_tick)(db, queue), interval=scheduler_interval).start()
    log.info("workers running in this process (%d threads) on broker %s", threads, mask_url(settings.broker_url))
    return Runtime(broker=broker, actors=actors, queue=queue, worker=worker, scheduler=scheduler)


def _no_handlers(db: Database, settings: Settings, queue: WorkQueue) -> Handlers:
    def refuse(*_: Any) -> None:
        raise RuntimeError("this process only sends hints; workers run elsewhere")

    return Handlers(
        process_events=refuse, advance_entries=refuse, deliver=refuse, grant_bonuses=refuse, call_webhooks=refuse
    )


def start_producer(*, settings: Settings, db: Database) -> Runtime:
    """For `serve --no-worker`: hints go to the shared broker; no worker, no scheduler here."""
    broker, actors, queue = build(settings, db, _no_handlers)
    log.info("sending hints to broker %s; workers run elsewhere", mask_url(settings.broker_url))
    return Runtime(broker=broker, actors=actors, queue=queue)


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
        logging.basicConfig(level=settings.log_level.upper(), format=LOG_FORMAT)
    logging.getLogger("pika").setLevel(max(logging.WARNING, logging.getLevelName(settings.log_level.upper())))


def _run_worker_child(settings: Settings, threads: int, handlers_factory: HandlersFactory | None) -> None:
    """The body of one spawned worker process: Worker threads only, no scheduler."""
    with _StopSignals() as stop:
        _configure_child_logging(settings)
        parent = os.getppid()
        db = Database(settings.database_url)
        broker, actors, queue = build(settings, db, handlers_factory)
        runtime = Runtime(broker=broker, actors=actors, queue=queue, worker=_start_worker(broker, settings, threads))
        log.info("worker process ready (%d threads)", threads)
        try:
            while not stop.wait(0.5):
                if os.getppid() != parent:  # the command died without stopping us
                    log.warning("the questline worker command is gone; stopping")
                    break
        finally:
            runtime.stop()
            db.dispose()


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
    handlers_factory: HandlersFactory | None = None,
    tick_factory: TickFactory | None = None,
    scheduler_interval: float = 1.0,
) -> int:
    """`questline worker`: runs until SIGINT/SIGTERM and returns the exit code (0 after a
    clean stop, 1 when a worker process died, 2 when refused). With more than one
    process, `handlers_factory` and `tick_factory` must be picklable (module-level)."""
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
            return _run_single(settings, threads, handlers_factory, tick_factory, scheduler_interval, stop)
        return _run_many(settings, processes, threads, handlers_factory, tick_factory, scheduler_interval, stop)


def _run_single(
    settings: Settings,
    threads: int,
    handlers_factory: HandlersFactory | None,
    tick_factory: TickFactory | None,
    interval: float,
    stop: threading.Event,
) -> int:
    db = Database(settings.database_url)
    try:
        runtime = start_embedded(
            settings=settings,
            db=db,
            threads=threads,
            handlers_factory=handlers_factory,
            tick_factory=tick_factory,
            scheduler_interval=interval,
        )
        try:
            while not stop.wait(0.5):
                pass
        finally:
            runtime.stop()
    finally:
        db.dispose()
    log.info("worker stopped")
    return 0


def _run_many(
    settings: Settings,
    processes: int,
    threads: int,
    handlers_factory: HandlersFactory | None,
    tick_factory: TickFactory | None,
    interval: float,
    stop: threading.Event,
) -> int:
    ctx = multiprocessing.get_context("spawn")
    children = [
        ctx.Process(
            target=_run_worker_child, args=(settings, threads, handlers_factory), name=f"questline-worker-{n + 1}"
        )
        for n in range(processes)
    ]
    for child in children:
        child.start()
    db = Database(settings.database_url)
    exit_code = 0
    try:
        # The command's own process runs the scheduler and sends its hints: one scheduler
        # per command, and one active across machines (the lock).
        broker, actors, queue = build(settings, db, _no_handlers)
        runtime = Runtime(broker=broker, actors=actors, queue=queue)
        runtime.scheduler = SchedulerLoop(
            db, (tick_factory or default_tick)(db, runtime.queue), interval=interval
        ).start()
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
        db.dispose()
    log.info("worker stopped")
    return exit_code
