"""The numbers behind GET /metrics that the database holds, each one grouped query.

They are the same on every API process. Counters read from rows add what was removed
with a deleted journey (`metric_totals`), so they never go down.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from backend.dialect import insert_for
from backend.models import Bonus, Communication, Entry, EntryStep, Event, MetricTotal, WebhookCall, utcnow

CHANNELS = ("EMAIL", "SMS", "PUSH", "IVR", "POPUP")
# The name in metric_totals of the entry steps removed with their journeys.
STEPS_REMOVED = "entry_steps_removed"


@dataclass(frozen=True)
class Backlog:
    """Work waiting in one queue: how many rows, and how long the oldest has waited."""

    depth: int
    oldest_seconds: float


@dataclass(frozen=True)
class MetricsSnapshot:
    events_tracked: int
    events_pending: int
    entries_by_status: dict[str, int]
    steps_processed: int
    communications: dict[tuple[str, str], int]
    # Per queue: events, entries, delivery.<channel>, bonuses, webhooks.
    backlogs: dict[str, Backlog]

    @property
    def oldest_pending_event_seconds(self) -> float:
        return self.backlogs["events"].oldest_seconds

    @property
    def oldest_due_entry_seconds(self) -> float:
        return self.backlogs["entries"].oldest_seconds


def _age(now: datetime, then: datetime | None) -> float:
    return max(0.0, (now - then).total_seconds()) if then else 0.0


def _backlog(session: Session, now: datetime, since: Any, *where: Any) -> Backlog:
    depth, oldest = session.execute(select(func.count(), func.min(since)).where(*where)).one()
    return Backlog(int(depth or 0), _age(now, oldest))


def _delivery_backlogs(session: Session, now: datetime) -> dict[str, Backlog]:
    c = Communication
    due = (c.status == "QUEUED", or_(c.next_attempt_at.is_(None), c.next_attempt_at <= now))
    rows = session.execute(select(c.channel, func.count(), func.min(c.queued_at)).where(*due).group_by(c.channel)).all()
    found = {channel: Backlog(int(n), _age(now, oldest)) for channel, n, oldest in rows}
    return {f"delivery.{ch.lower()}": found.get(ch, Backlog(0, 0.0)) for ch in CHANNELS}


def backlogs(session: Session, now: datetime) -> dict[str, Backlog]:
    """Pending work per queue, from the rows that are the work (the broker only carries hints)."""
    return {
        "events": _backlog(session, now, Event.received_at, Event.processed_at.is_(None)),
        "entries": _backlog(session, now, Entry.wake_at, Entry.status.in_(("ACTIVE", "WAITING")), Entry.wake_at <= now),
        **_delivery_backlogs(session, now),
        "bonuses": _backlog(
            session,
            now,
            Bonus.created_at,
            Bonus.status == "PENDING",
            or_(Bonus.next_attempt_at.is_(None), Bonus.next_attempt_at <= now),
        ),
        "webhooks": _backlog(
            session,
            now,
            WebhookCall.created_at,
            WebhookCall.status == "PENDING",
            or_(WebhookCall.next_attempt_at.is_(None), WebhookCall.next_attempt_at <= now),
        ),
    }


def removed_total(session: Session, name: str) -> int:
    return int(session.scalar(select(MetricTotal.value).where(MetricTotal.name == name)) or 0)


def record_removed(session: Session, name: str, count: int) -> None:
    """Adds `count` removed rows to the total `name`, in the caller's transaction."""
    if count <= 0:
        return
    stmt = insert_for(session, MetricTotal.__table__).values(name=name, value=count)
    session.execute(
        stmt.on_conflict_do_update(index_elements=["name"], set_={"value": MetricTotal.value + stmt.excluded.value})
    )


def steps_of_journey(session: Session, journey_id: int) -> int:
    return int(
        session.scalar(select(func.count()).select_from(EntryStep).where(EntryStep.journey_id == journey_id)) or 0
    )


def snapshot(session: Session, now: datetime | None = None) -> MetricsSnapshot:
    now = now or utcnow()
    queues = backlogs(session, now)
    by_status = dict(session.execute(select(Entry.status, func.count()).group_by(Entry.status)).all())
    comms = {
        (channel, status): n
        for channel, status, n in session.execute(
            select(Communication.channel, Communication.status, func.count()).group_by(
                Communication.channel, Communication.status
            )
        )
    }
    steps_now = session.scalar(select(func.count()).select_from(EntryStep)) or 0
    return MetricsSnapshot(
        events_tracked=session.scalar(select(func.count()).select_from(Event)) or 0,
        events_pending=queues["events"].depth,
        entries_by_status={k: int(v) for k, v in by_status.items()},
        steps_processed=int(steps_now) + removed_total(session, STEPS_REMOVED),
        communications=comms,
        backlogs=queues,
    )
