"""The services a processor runs with, built the way a worker builds them, for tests
that call the processors directly."""

from __future__ import annotations

import threading

from backend.delivery.channels import Channel
from backend.delivery.notify import Notifier
from backend.delivery.senders import CHANNELS
from backend.persistence.database import Database
from backend.queue import RecordingQueue, WorkQueue
from backend.services import Services, build_services
from backend.settings import Settings


def services_for(
    db: Database,
    queue: WorkQueue | None = None,
    settings: Settings | None = None,
    *,
    sender: Channel | None = None,
    notifier: Notifier | None = None,
) -> Services:
    """`sender`: one adapter for every channel (a fake provider, a short time-out)."""
    return build_services(
        settings or Settings(database_url=db.url, secret_key="test-secret-key-not-for-production"),
        queue=queue if queue is not None else RecordingQueue(),
        db=db,
        notifier=notifier,
        channels=dict.fromkeys(CHANNELS, sender) if sender is not None else None,
    )


def process_at_once(db: Database, *batches: list[int]) -> list[str]:
    """Each batch of event ids processed by a thread of its own, all at once, as worker
    threads would; the errors they raised ("Type: first line")."""
    from backend.processing.events import process_events

    errors: list[str] = []

    def run(ids: list[int]) -> None:
        try:
            process_events(services_for(db, RecordingQueue()), event_ids=ids)
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")

    threads = [threading.Thread(target=run, args=(ids,)) for ids in batches]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return errors
