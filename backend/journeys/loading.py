"""Claiming due rows and loading what the interpreter needs, a batch at a time."""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import Numeric, Row, String, case, cast, func, literal, or_, select, update
from sqlalchemy.orm import Session

from backend.dialect import one_of
from backend.journeys import definition as defs
from backend.journeys.captures import JourneyMeta
from backend.journeys.predicates import AggregateSpec, Facts, evaluate
from backend.models import Entry, Event, Journey, JourneyVersion, User


def _locking(stmt: Any, session: Session) -> Any:
    """On PostgreSQL, rows another worker holds are skipped, not waited for; SQLite has
    one writer at a time anyway (the unit of work takes the lock at BEGIN)."""
    if session.get_bind().dialect.name == "postgresql":
        return stmt.with_for_update(skip_locked=True)
    return stmt


def claim_entries(session: Session, entry_ids: Sequence[int], now: datetime) -> list[Row[Any]]:
    """The entries among these ids that are due now (every column, as plain rows),
    locked for this transaction."""
    stmt = (
        select(*Entry.__table__.c)
        .where(
            one_of(session, Entry.id, entry_ids),
            or_(Entry.status == "ACTIVE", (Entry.status == "WAITING") & (Entry.wake_at <= now)),
        )
        .order_by(Entry.id)
    )
    return list(session.execute(_locking(stmt, session)))


class TrackedEvent(NamedTuple):
    """What a batch reads of a tracked event."""

    id: int
    user_id: int
    name: str
    properties: dict[str, Any] | None
    occurred_at: datetime


def claim_events(session: Session, event_ids: Sequence[int], now: datetime) -> list[TrackedEvent]:
    """The events among these ids not processed yet, marked processed by this
    transaction (so they are processed once, when it commits), in id order. On
    PostgreSQL, events another worker holds are skipped, and the claim and the mark
    are one statement."""
    events = Event.__table__
    unprocessed = (one_of(session, events.c.id, event_ids), events.c.processed_at.is_(None))
    pending = select(events.c.id).where(*unprocessed)
    columns = (events.c.id, events.c.user_id, events.c.name, events.c.properties, events.c.occurred_at)
    mark = update(events).values(processed_at=now, claimed_until=None)
    if session.get_bind().dialect.name == "postgresql":
        locked = pending.order_by(events.c.id).with_for_update(skip_locked=True)
        rows = session.execute(mark.where(events.c.id.in_(locked.scalar_subquery())).returning(*columns)).all()
        return sorted((TrackedEvent(*row) for row in rows), key=lambda e: e.id)
    claimed = [
        TrackedEvent(*row) for row in session.execute(select(*columns).where(*unprocessed).order_by(events.c.id))
    ]
    if claimed:
        session.execute(mark.where(events.c.id.in_([e.id for e in claimed])))
    return claimed


USER_FACT_COLUMNS = (
    User.id,
    User.external_id,
    User.username,
    User.email,
    User.phone,
    User.timezone,
    User.attributes,
    User.opt_outs,
    User.points,
    User.deposit_count,
    User.deposit_total,
    User.last_deposit_at,
)


def load_users(session: Session, user_ids: set[int]) -> dict[int, Row[Any]]:
    """What the engine reads of these users, as plain rows (no ORM objects to build)."""
    if not user_ids:
        return {}
    rows = session.execute(select(*USER_FACT_COLUMNS).where(one_of(session, User.id, user_ids)))
    return {u.id: u for u in rows}


def aggregate_totals(session: Session, spec: AggregateSpec, user_ids: set[int], now: datetime) -> dict[int, float]:
    """One event aggregate (eventCount / eventSum) for many users: {user: total}, users
    with nothing counted left out. Without a `where` the database counts and adds up,
    grouped by user, so a user's history never comes into Python; an aggregate with a
    `where` (a predicate over each counted event) is checked here, event by event."""
    if not user_ids:
        return {}
    dialect = session.get_bind().dialect.name
    if spec.where is None:
        if spec.kind == "count":
            return _count_in_sql(session, spec, user_ids, now)
        if spec.property and dialect == "postgresql":
            return _sum_in_postgresql(session, spec, user_ids, now)
        # SQLite's JSON paths cannot quote a key holding a double quote.
        if spec.property and dialect == "sqlite" and '"' not in spec.property:
            return _sum_in_sqlite(session, spec, user_ids, now)
    return totals_in_python(session, spec, user_ids, now)


def _counted(spec: AggregateSpec, user_ids: set[int], now: datetime) -> list[Any]:
    """The events an aggregate counts: the users', of its name, in its window."""
    conditions = [Event.user_id.in_(sorted(user_ids)), Event.name == spec.name]
    if spec.within_seconds:
        conditions.append(Event.occurred_at >= now - timedelta(seconds=spec.within_seconds))
    return conditions


def _count_in_sql(session: Session, spec: AggregateSpec, user_ids: set[int], now: datetime) -> dict[int, float]:
    rows = session.execute(
        select(Event.user_id, func.count()).where(*_counted(spec, user_ids, now)).group_by(Event.user_id)
    )
    return {uid: float(n) for uid, n in rows}


def _sum_in_postgresql(session: Session, spec: AggregateSpec, user_ids: set[int], now: datetime) -> dict[int, float]:
    """Only JSON numbers count (jsonb has no NaN; booleans and numeric text are not
    numbers), added up exactly as numeric."""
    key = literal(spec.property, String)
    value = Event.properties.op("->")(key)
    rows = session.execute(
        select(Event.user_id, func.sum(cast(Event.properties.op("->>")(key), Numeric)))
        .where(*_counted(spec, user_ids, now), func.jsonb_typeof(value) == "number")
        .group_by(Event.user_id)
    )
    return {uid: float(total) for uid, total in rows}


def _sum_in_sqlite(session: Session, spec: AggregateSpec, user_ids: set[int], now: datetime) -> dict[int, float]:
    """Only JSON numbers count ('integer' and 'real'; not true/false, not numeric text).
    A properties text SQLite cannot parse (Python's JSON writes NaN and Infinity, which
    JSON has not) would stop the JSON functions with an error: such rows are left out
    of the SQL, and the users who have any are added up in Python instead."""
    path = '$."' + (spec.property or "") + '"'
    props = Event.properties
    parsed = func.json_valid(props)
    number = case(
        (parsed, case((func.json_type(props, path).in_(("integer", "real")), func.json_extract(props, path))))
    )
    unparsed = case((parsed == 0, 1))
    rows = session.execute(
        select(Event.user_id, func.total(number), func.count(number), func.count(unparsed))
        .where(*_counted(spec, user_ids, now))
        .group_by(Event.user_id)
    ).all()
    totals = {uid: float(total) for uid, total, numbers, bad in rows if numbers and not bad}
    odd = {uid for uid, _, _, bad in rows if bad}
    if odd:
        totals.update(totals_in_python(session, spec, odd, now))
    return totals


def totals_in_python(session: Session, spec: AggregateSpec, user_ids: set[int], now: datetime) -> dict[int, float]:
    """The aggregate over each counted event in Python: what an aggregate with a `where`
    needs, and the reference the SQL above gives the same answers as."""
    stmt = select(Event.user_id, Event.properties, Event.name).where(*_counted(spec, user_ids, now))
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
    version never changes."""

    def __init__(self) -> None:
        self._versions: dict[tuple[int, int], defs.CompiledJourney] = {}
        self._lock = threading.Lock()

    def version(self, session: Session, journey_id: int, version: int) -> defs.CompiledJourney:
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

    def clear(self) -> None:
        with self._lock:
            self._versions.clear()


@dataclass(frozen=True)
class LiveJourney:
    """An ACTIVE journey: what capturing a user needs, and its current version compiled."""

    meta: JourneyMeta
    journey: defs.CompiledJourney
    trigger_kind: str
    trigger_event: str | None


def live_journeys(session: Session, cache: JourneyCache) -> dict[int, LiveJourney]:
    """Every ACTIVE journey, read fresh for each batch (one small query)."""
    rows = session.execute(
        select(
            Journey.id,
            Journey.version,
            Journey.reentry_mode,
            Journey.control_group_percent,
            Journey.trigger_kind,
            Journey.trigger_event,
        )
        .where(Journey.status == "ACTIVE", Journey.deleted_at.is_(None))
        .order_by(Journey.id)
    ).all()
    return {
        r.id: LiveJourney(
            JourneyMeta(r.id, r.version, r.reentry_mode, r.control_group_percent),
            cache.version(session, r.id, r.version),
            r.trigger_kind,
            r.trigger_event,
        )
        for r in rows
    }
