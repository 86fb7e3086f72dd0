"""The numbers behind GET /metrics, each one grouped query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.models import Communication, Entry, EntryStep, Event, utcnow


@dataclass(frozen=True)
class MetricsSnapshot:
    events_tracked: int
    events_pending: int
    entries_by_status: dict[str, int]
    steps_processed: int
    communications: dict[tuple[str, str], int]
    oldest_pending_event_seconds: float
    oldest_due_entry_seconds: float


def _age(now: datetime, then: datetime | None) -> float:
    return max(0.0, (now - then).total_seconds()) if then else 0.0


def snapshot(session: Session, now: datetime | None = None) -> MetricsSnapshot:
    now = now or utcnow()
    events_tracked = session.scalar(select(func.count()).select_from(Event)) or 0
    pending = session.execute(
        select(func.count(), func.min(Event.received_at)).where(Event.processed_at.is_(None))
    ).one()
    by_status = dict(session.execute(select(Entry.status, func.count()).group_by(Entry.status)).all())
    oldest_due = session.scalar(
        select(func.min(Entry.wake_at)).where(Entry.status.in_(("ACTIVE", "WAITING")), Entry.wake_at <= now)
    )
    comms = {
        (channel, status): n
        for channel, status, n in session.execute(
            select(Communication.channel, Communication.status, func.count()).group_by(
                Communication.channel, Communication.status
            )
        )
    }
    return MetricsSnapshot(
        events_tracked=events_tracked,
        events_pending=pending[0] or 0,
        entries_by_status={k: int(v) for k, v in by_status.items()},
        steps_processed=session.scalar(select(func.count()).select_from(EntryStep)) or 0,
        communications=comms,
        oldest_pending_event_seconds=_age(now, pending[1]),
        oldest_due_entry_seconds=_age(now, oldest_due),
    )
