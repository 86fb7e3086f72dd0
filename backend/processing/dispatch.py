"""The batch processors a worker runs, bound to one database, settings and queue."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from backend.persistence.database import Database
from backend.queue import WorkQueue
from backend.settings import Settings


def _processor(module: str, name: str) -> Callable[..., Any]:
    try:
        return getattr(importlib.import_module(module if "." in module else f"backend.processing.{module}"), name)
    except (ImportError, AttributeError) as exc:
        raise NotImplementedError(f"the {module} processor is not built yet; the rows stay pending") from exc


def handlers(*, db: Database, settings: Settings, queue: WorkQueue, make: Callable[..., Any]) -> Any:
    def process_events(ids: list[int]) -> None:
        _processor("events", "process_events")(db, event_ids=ids, queue=queue, settings=settings)

    def advance_entries(ids: list[int]) -> None:
        _processor("entries", "advance_entries")(db, entry_ids=ids, queue=queue, settings=settings)

    def deliver(channel: str, ids: list[int]) -> None:
        _processor("backend.delivery.worker", "deliver")(
            db, channel=channel, communication_ids=ids, queue=queue, settings=settings
        )

    def grant_bonuses(ids: list[int]) -> None:
        _processor("bonuses", "grant")(db, bonus_ids=ids, queue=queue, settings=settings)

    def call_webhooks(ids: list[int]) -> None:
        _processor("webhooks", "call_webhooks")(db, call_ids=ids, queue=queue, settings=settings)

    return make(
        process_events=process_events,
        advance_entries=advance_entries,
        deliver=deliver,
        grant_bonuses=grant_bonuses,
        call_webhooks=call_webhooks,
    )
