"""Running the workers: inside `questline serve` (embedded) or as `questline worker` processes."""
from __future__ import annotations

import logging
import multiprocessing
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dramatiq import Worker
from dramatiq.broker import Broker

from backend.persistence.database import Database
from backend.queue import WorkQueue
from backend.settings import Settings, load_settings
from workers.actors import Actors, Handlers, declare_actors
from workers.broker import make_broker, mask_url
from workers.queue_adapter import BrokerQueue
from workers.scheduler import SchedulerLoop

log = logging.getLogger(__name__)
HandlersFactory = Callable[[Database, Settings, WorkQueue], Handlers]


def default_handlers(db: Database, settings: Settings, queue: WorkQueue) -> Handlers:
    """The backend's batch processors. Each takes ids, does its work in its own
    transactions, and sends follow-up hints through `queue` after commit."""
    from backend.processing import dispatch

    return dispatch.handlers(db=db, settings=settings, queue=queue, make=Handlers)


def default_tick(db: Database, queue: WorkQueue) -> Callable[[], Any]:
    from backend.processing.scheduler import tick

    return lambda: tick(db, queue=queue)


@dataclass
class Runtime:
    broker: Broker
    actors: Actors
    queue: BrokerQueue
    worker: Worker | None
    scheduler: SchedulerLoop | None

    def stop(self) -> None:
        if self.scheduler is not None:
            self.scheduler.stop()
        if self.worker is not None:
            self.worker.stop(timeout=10_000)
        self.broker.close()


def build(settings: Settings, db: Database, handlers_factory: HandlersFactory | None = None) -> tuple[Broker, Actors, BrokerQueue]:
    broker = make_broker(settings)
    holder: dict[str, Handlers] = {}
    # Handlers need the queue (for follow-up hints) and the queue needs the actors: tie the knot lazily.
    lazy = Handlers(
        process_events=lambda ids: holder["h"].process_events(ids),
        advance_entries=lambda ids: holder["h"].advance_entries(ids),
        deliver=lambda channel, ids: holder["h"].deliver(channel, ids),
        grant_bonuses=lambda ids: holder["h"].grant_bonuses(ids),
        call_webhooks=lambda ids: holder["h"].call_webhooks(ids),
    )
    actors = declare_actors(broker, lazy, prefix=settings.queue_prefix)
    queue = BrokerQueue(actors)
    holder["h"] = (handlers_factory or default_handlers)(db, settings, queue)
    return broker, actors, queue


def start_embedded(
    *, settings: Settings, db: Database, threads: int = 4, handlers_factory: HandlersFactory | None = None,
    tick_factory: Callable[[Database, WorkQueue], Callable[[], Any]] | None = None, scheduler_interval: float = 1.0,
) -> Runtime:
    """Workers and the scheduler in this process (the `serve` default)."""
    broker, actors, queue = build(settings, db, handlers_factory)
    worker = Worker(broker, worker_threads=threads, worker_timeout=100)
    worker.start()
    scheduler = SchedulerLoop(db, (tick_factory or default_tick)(db, queue), interval=scheduler_interval).start()
    log.info("workers running in-process on broker %s", mask_url(settings.broker_url))
    return Runtime(broker=broker, actors=actors, queue=queue, worker=worker, scheduler=scheduler)


def _stop_on_signals() -> threading.Event:
    """Installed before anything starts, so an early SIGTERM still stops cleanly."""
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    return stop


def _wait(stop: threading.Event) -> None:
    while not stop.wait(0.5):
        pass


def _worker_process(threads: int, with_scheduler: bool) -> None:
    stop = _stop_on_signals()
    settings = load_settings()
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("pika").setLevel(logging.WARNING)
    db = Database(settings.database_url)
    broker, actors, queue = build(settings, db)
    worker = Worker(broker, worker_threads=threads, worker_timeout=100)
    worker.start()
    scheduler = SchedulerLoop(db, default_tick(db, queue)).start() if with_scheduler else None
    runtime = Runtime(broker=broker, actors=actors, queue=queue, worker=worker, scheduler=scheduler)
    try:
        _wait(stop)
    finally:
        runtime.stop()
        db.dispose()


def run_worker_command(*, settings: Settings, processes: int, threads: int) -> int:
    if not settings.broker_url:
        log.error(
            "questline worker needs QUESTLINE_BROKER_URL (redis:// or amqp://): the in-process broker "
            "cannot be shared between processes; use `questline serve`, which runs the workers itself"
        )
        print("error: set QUESTLINE_BROKER_URL (redis://... or amqp://...); without it, `questline serve` runs the workers")
        return 2
    if processes < 1 or threads < 1:
        print("error: --processes and --threads must be at least 1")
        return 2
    log.info("starting %d worker process(es) x %d threads on %s", processes, threads, mask_url(settings.broker_url))
    if processes == 1:
        _worker_process(threads, with_scheduler=True)
        return 0
    stop = _stop_on_signals()
    ctx = multiprocessing.get_context("spawn")
    # Every process may run a scheduler loop; the advisory lock keeps one active.
    children = [ctx.Process(target=_worker_process, args=(threads, True), daemon=False) for _ in range(processes)]
    for child in children:
        child.start()
    _wait(stop)
    for child in children:
        child.terminate()
    for child in children:
        child.join(15)
    return 0


def _no_handlers(db: Database, settings: Settings, queue: WorkQueue) -> Handlers:
    def refuse(*_: Any) -> None:
        raise RuntimeError("this process only sends hints; workers run elsewhere")

    return Handlers(process_events=refuse, advance_entries=refuse, deliver=refuse, grant_bonuses=refuse,
                    call_webhooks=refuse)


def start_producer(*, settings: Settings, db: Database) -> Runtime:
    """For `serve --no-worker`: hints go to the shared broker; no worker, no scheduler here."""
    broker, actors, queue = build(settings, db, _no_handlers)
    log.info("sending hints to broker %s; workers run elsewhere", mask_url(settings.broker_url))
    return Runtime(broker=broker, actors=actors, queue=queue, worker=None, scheduler=None)
