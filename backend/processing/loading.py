"""Claiming due rows and loading what the interpreter needs, a batch at a time."""
from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from backend.journeys import definition as defs
from backend.journeys.predicates import AggregateSpec, Facts, evaluate
from backend.models import Entry, Event, Journey, JourneyVersion, User


def _locking(stmt: Any, session: Session) -> Any:
    """On PostgreSQL, rows another worker holds are skipped, not waited for; SQLite has
    one writer at a time anyway (the unit of work takes the lock at BEGIN)."""
    if session.get_bind().dialect.name == "postgresql":
        return stmt.with_for_update(skip_locked=True)
    return stmt


def claim_entries(session: Session, entry_ids: Sequence[int], now: datetime) -> list[Entry]:
    """The entries among these ids that are due now, locked for this transaction."""
    stmt = select(Entry).where(
        Entry.id.in_(list(entry_ids)),
        or_(Entry.status == "ACTIVE", (Entry.status == "WAITING") & (Entry.wake_at <= now)),
    ).order_by(Entry.id)
    return list(session.scalars(_locking(stmt, session)))


def claim_events(session: Session, event_ids: Sequence[int]) -> list[Event]:
    stmt = select(Event).where(Event.id.in_(list(event_ids)), Event.processed_at.is_(None)).order_by(Event.id)
    return list(session.scalars(_locking(stmt, session)))


def load_users(session: Session, user_ids: set[int]) -> dict[int, User]:
    if not user_ids:
        return {}
    return {u.id: u for u in session.scalars(select(User).where(User.id.in_(sorted(user_ids))))}


def aggregate_totals(session: Session, spec: AggregateSpec, user_ids: set[int], now: datetime) -> dict[int, float]:
    """One event aggregate (eventCount / eventSum) for many users in one query; the
    aggregate's own predicate over the counted events is checked here."""
    stmt = select(Event.user_id, Event.properties, Event.name).where(
        Event.user_id.in_(sorted(user_ids)), Event.name == spec.name)
    if spec.within_seconds:
        stmt = stmt.where(Event.occurred_at >= now - timedelta(seconds=spec.within_seconds))
    where = spec.where_predicate
    totals: dict[int, float] = defaultdict(float)
    for uid, props, name in session.execute(stmt):
        if where is not None and not evaluate(where, Facts(now=now, event={"name": name, "properties": props or {}})):
            continue
        if spec.kind == "count":
            totals[uid] += 1
        else:
            value = (props or {}).get(spec.property or "")
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                totals[uid] += value
    return dict(totals)


class JourneyCache:
    """Compiled journey versions, cached for the life of the process: a published
    version never changes. The index of live journeys is re-read at most once a second."""

    def __init__(self, refresh_seconds: float = 1.0):
        self._versions: dict[tuple[int, int], Any] = {}
        self._lock = threading.Lock()
        self._refresh_seconds = refresh_seconds
        self._live: list[tuple[int, int, str, str | None]] = []
        self._live_at = 0.0

    def version(self, session: Session, journey_id: int, version: int) -> Any:
        key = (journey_id, version)
        compiled = self._versions.get(key)
        if compiled is None:
            document = session.scalar(
                select(JourneyVersion.definition).where(
                    JourneyVersion.journey_id == journey_id, JourneyVersion.version == version
                )
            )
            compiled = defs.compile(document or {})
            with self._lock:
                self._versions[key] = compiled
        return compiled

    def live_journeys(self, session: Session, *, force: bool = True) -> list[tuple[int, int, str, str | None]]:
        """(id, version, trigger_kind, trigger_event) of every ACTIVE journey: one small
        query, read fresh for each batch unless a caller allows a cached answer."""
        if force or time.monotonic() - self._live_at > self._refresh_seconds:
            rows = session.execute(
                select(Journey.id, Journey.version, Journey.trigger_kind, Journey.trigger_event).where(
                    Journey.status == "ACTIVE", Journey.deleted_at.is_(None)
                )
            ).all()
            self._live = [tuple(r) for r in rows]
            self._live_at = time.monotonic()
        return self._live

    def clear(self) -> None:
        with self._lock:
            self._versions.clear()
        self._live_at = 0.0
