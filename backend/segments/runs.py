"""Runs of scheduled segments: capture every user the segment matches, set-based.

One run is one transaction: it claims the journey's cron time (a conditional UPDATE of
`journeys.next_run_at` and a row in `segment_runs`, unique per journey and cron time,
so two schedulers or a repeated run never capture twice), reads the matching users'
ids with one query (backend.segments.sql), draws limitPercent of them, and creates the
entries with one `INSERT ... SELECT` that applies the re-entry mode in SQL (each
user's round one past their last in the journey). When the journey starts with a send
followed by a wait of fixed seconds or by nothing (on PostgreSQL, without quiet hours),
the run writes that send itself, set-based (backend.segments.first_send), and hints the
queued messages to delivery after the commit. Otherwise the new entries are hinted to
the workers after the commit, 1,000 ids a message, so their first steps run in batches
like any other entries.
"""

from __future__ import annotations

import json
import logging
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from backend.dialect import insert_ignoring_conflicts
from backend.journeys import definition as defs
from backend.journeys.interpreter import in_control_group
from backend.models import Entry, Journey, JourneyVersion, Level, SegmentRun
from backend.persistence.bulk import rows_changed
from backend.persistence.database import Database
from backend.queue import WorkQueue
from backend.segments.first_send import FirstSend, first_send_of, hint_deliveries, write_first_sends
from backend.segments.schedule import Schedule, due_time, schedule_of
from backend.segments.sql import give_memory, matching_users
from backend.statuses import RUNNING

log = logging.getLogger(__name__)
HINT_LEASE = timedelta(seconds=30)
HINT_CHUNK = 1_000
# The new entries are hinted at once, and the workers take a while to get through a
# large run: the hint lease grows with the run (one second per this many entries), so
# the tick does not hint the same entries again while they still wait in the queue.
ENTRIES_PER_LEASE_SECOND = 1_000


@dataclass(frozen=True)
class RunOutcome:
    journey_id: int
    scheduled_for: datetime
    matched: int = 0
    selected: int = 0
    entered: int = 0
    refused: int = 0
    error: str | None = None


@dataclass(frozen=True)
class _Target:
    id: int
    version: int
    reentry_mode: str
    control_group_percent: float
    document: dict[str, Any]


def run_due_segments(
    db: Database, queue: WorkQueue, now: datetime, *, frequency_cap: int | None = None
) -> list[RunOutcome]:
    """Every ACTIVE scheduled journey whose cron time came, run once each. With the
    settings' frequency cap given, a first send is written with the run (first_send)."""
    with db.unit_of_work() as uow:
        due = uow.session.execute(
            select(Journey.id, Journey.next_run_at)
            .where(
                Journey.status == "ACTIVE",
                Journey.trigger_kind == "SCHEDULED_SEGMENT",
                Journey.deleted_at.is_(None),
                Journey.next_run_at <= now,
            )
            .order_by(Journey.next_run_at)
        ).all()
    outcomes = []
    for journey_id, next_run_at in due:
        if next_run_at is None:  # the query asks for a time that came: never NULL
            continue
        outcome = run_segment(db, queue, journey_id, next_run_at, now, frequency_cap=frequency_cap)
        if outcome is not None:
            outcomes.append(outcome)
    return outcomes


def run_segment(
    db: Database,
    queue: WorkQueue,
    journey_id: int,
    next_run_at: datetime,
    now: datetime,
    *,
    frequency_cap: int | None = None,
) -> RunOutcome | None:
    """The run of one journey for the cron time `next_run_at` stands for; None when
    another scheduler ran it (or the journey stopped) meanwhile. `frequency_cap` (the
    settings') lets the run write a first send itself; without it the workers do."""
    try:
        with db.unit_of_work() as uow:
            return _run(uow, queue, journey_id, next_run_at, now, frequency_cap)
    except Exception as exc:  # recorded on the run, and the schedule goes on
        log.exception("segment run of journey %s failed", journey_id)
        with db.unit_of_work() as uow:
            return _record_failure(uow.session, journey_id, next_run_at, now, f"{type(exc).__name__}: {exc}"[:1000])


def _target(session: Session, journey_id: int) -> _Target | None:
    row = session.execute(
        select(
            Journey.id, Journey.version, Journey.reentry_mode, Journey.control_group_percent, JourneyVersion.definition
        )
        .join(JourneyVersion, (JourneyVersion.journey_id == Journey.id) & (JourneyVersion.version == Journey.version))
        .where(Journey.id == journey_id)
    ).first()
    return _Target(*row) if row else None


def _claim(session: Session, target: _Target, schedule: Schedule, next_run_at: datetime, now: datetime) -> int | None:
    """Moves the journey on to its next cron time and records the run; the id of the
    run, or None when another scheduler got there first."""
    moved = rows_changed(
        session,
        update(Journey)
        .where(Journey.id == target.id, Journey.status == "ACTIVE", Journey.next_run_at == next_run_at)
        .values(next_run_at=schedule.next_after(now)),
    )
    if not moved:
        return None
    stmt = insert_ignoring_conflicts(session, SegmentRun.__table__, ["journey_id", "scheduled_for"]).values(
        journey_id=target.id,
        scheduled_for=due_time(schedule, next_run_at, now),
        started_at=now,
        matched=0,
        selected=0,
        entered=0,
        refused=0,
    )
    return session.execute(stmt.returning(SegmentRun.id)).scalar()


def _run(
    uow: Any, queue: WorkQueue, journey_id: int, next_run_at: datetime, now: datetime, frequency_cap: int | None
) -> RunOutcome | None:
    began = time.monotonic()
    session = uow.session
    target = _target(session, journey_id)
    schedule = schedule_of(target.document) if target else None
    if target is None or schedule is None:
        return None
    run_id = _claim(session, target, schedule, next_run_at, now)
    if run_id is None:
        return None
    trigger = target.document["trigger"]
    user_ids = _matching(session, trigger["segment"], now)
    picked = _draw(user_ids, trigger.get("limitPercent", 100))
    compiled = defs.compile(target.document)
    first = None if frequency_cap is None else first_send_of(session, compiled, target.id, frequency_cap)
    entry_ids = capture(session, target, picked, now, first)
    if first is None:
        uow.after_commit(lambda: _hint(queue, entry_ids))
    else:
        queued = write_first_sends(session, first, entry_ids, now)
        uow.after_commit(lambda: hint_deliveries(queue, queued))
    run = session.get(SegmentRun, run_id)
    run.matched, run.selected, run.entered = len(user_ids), len(picked), len(entry_ids)
    # started_at is the scheduler's time; the run (its first sends included) lasted as
    # long as the wall clock says.
    run.refused, run.finished_at = len(picked) - len(entry_ids), now + timedelta(seconds=time.monotonic() - began)
    return RunOutcome(target.id, run.scheduled_for, run.matched, run.selected, run.entered, run.refused)


def _matching(session: Session, segment: Any, now: datetime) -> list[int]:
    levels = [(threshold, name) for threshold, name in session.execute(select(Level.threshold, Level.name))]
    dialect = session.get_bind().dialect.name
    give_memory(session)
    return list(session.scalars(matching_users(segment, dialect=dialect, now=now, levels=levels)))


def _draw(user_ids: list[int], limit_percent: Any) -> list[int]:
    """limitPercent of the matching users, drawn at random for this run."""
    percent = float(limit_percent or 100)
    if percent >= 100:
        return sorted(user_ids)
    count = round(len(user_ids) * percent / 100)
    return sorted(random.SystemRandom().sample(user_ids, count))


def _hint(queue: WorkQueue, entry_ids: list[int]) -> None:
    for i in range(0, len(entry_ids), HINT_CHUNK):
        queue.advance_entries(entry_ids[i : i + HINT_CHUNK])


def _record_failure(
    session: Session, journey_id: int, next_run_at: datetime, now: datetime, error: str
) -> RunOutcome | None:
    target = _target(session, journey_id)
    schedule = schedule_of(target.document) if target else None
    if target is None or schedule is None:
        return None
    run_id = _claim(session, target, schedule, next_run_at, now)
    if run_id is None:
        return None
    run = session.get_one(SegmentRun, run_id)
    run.error, run.finished_at = error, now
    return RunOutcome(target.id, run.scheduled_for, error=error)


# -- creating the entries ------------------------------------------------------------------

_REENTRY = {
    "ONCE": "prev.user_id IS NULL",
    "NOT_WHILE_ACTIVE": "COALESCE(prev.running, 0) = 0",
    "RESTART": "1 = 1",
    "EVERY_ENTRY": "1 = 1",
}
_COLUMNS = (
    "journey_id, user_id, round, version, status, current_step_id, step_entered_at, entered_at, "
    "in_control_group, progress_name, progress_step, progress_at, visits, updated_at, claimed_until"
)


def _picked_pg() -> str:
    return "SELECT uid, ctrl FROM unnest(CAST(:uids AS bigint[]), CAST(:ctrl AS boolean[])) AS p(uid, ctrl)"


def _picked_sqlite() -> str:
    return "SELECT json_extract(value, '$[0]') AS uid, json_extract(value, '$[1]') AS ctrl FROM json_each(:pairs)"


def capture(
    session: Session, target: _Target, user_ids: list[int], now: datetime, first: FirstSend | None = None
) -> list[int]:
    """Entries for these users as the re-entry mode allows; the new entries' ids. With
    `first`, they are inserted as the pass through the first send leaves them (at the
    following wait); the send's own rows are the caller's (first_send.write_first_sends).

    Each new entry's round is one past the user's last in this journey, so it is new:
    a plain INSERT (no ON CONFLICT, whose speculative insertion cost about 8% of the
    insert). Nothing else can add entries to the journey meanwhile: the run holds the
    journey's row from its claim on, and the API trigger locks that row too. Were a
    (journey, user, round) there anyway, the unique constraint fails the run, which
    records the error and writes nothing."""
    if not user_ids:
        return []
    pg = session.get_bind().dialect.name == "postgresql"
    compiled = defs.compile(target.document)
    ladder = compiled.ladder.items() if compiled.ladder else [("Entered", 0)]
    progress_name, progress_step = min(ladder, key=lambda kv: kv[1])
    percent = target.control_group_percent or 0
    control = [percent > 0 and in_control_group(journey_id=target.id, user_id=u, percent=percent) for u in user_ids]
    running = ", ".join(f"'{s}'" for s in RUNNING)
    if target.reentry_mode == "RESTART":
        _restart(session, target.id, user_ids, now, pg)
    sql = (
        f"INSERT INTO entries ({_COLUMNS}, wake_at, blocked_reason, stopped_at, stop_reason) "
        f"SELECT :journey, p.uid, COALESCE(prev.last_round, 0) + 1, :version, :status, :start, :now, :now, "
        f"p.ctrl, :progress_name, :progress_step, :now, {_typed(':visits', 'jsonb', pg)}, :now, "
        f"{_typed(':lease', 'timestamptz', pg)}, {_typed(':wake', 'timestamptz', pg)}, {_typed(':blocked', 'text', pg)}, "
        f"{_typed(':stopped', 'timestamptz', pg)}, {_typed(':stop_reason', 'text', pg)} "
        f"FROM ({_picked_pg() if pg else _picked_sqlite()}) AS p "
        f"LEFT JOIN (SELECT user_id, MAX(round) AS last_round, "
        f"SUM(CASE WHEN status IN ({running}) THEN 1 ELSE 0 END) AS running "
        f"FROM entries WHERE journey_id = :journey GROUP BY user_id) AS prev ON prev.user_id = p.uid "
        f"WHERE {_REENTRY.get(target.reentry_mode, '1 = 1')} RETURNING id"
    )
    params: dict[str, Any] = {
        "journey": target.id,
        "version": target.version,
        "start": compiled.start,
        "now": _at(now, pg),
        "progress_name": progress_name,
        "progress_step": progress_step,
        "lease": _at(now + HINT_LEASE + timedelta(seconds=len(user_ids) / ENTRIES_PER_LEASE_SECOND), pg),
        "status": "ACTIVE",
        "visits": "{}",
        "wake": None,
        "blocked": None,
        "stopped": None,
        "stop_reason": None,
    }
    if first is not None:
        after = first.entry_after(now)
        params.update(
            status=after["status"],
            start=after["current_step_id"],
            visits=json.dumps(after["visits"]),
            lease=None,
            wake=_at(after["wake_at"], pg),
            blocked=after["blocked_reason"],
            stopped=_at(after["stopped_at"], pg),
            stop_reason=after["stop_reason"],
        )
    if pg:
        params.update(uids=user_ids, ctrl=control)
    else:
        params["pairs"] = json.dumps([[u, 1 if c else 0] for u, c in zip(user_ids, control, strict=True)])
    return sorted(session.scalars(text(sql), params))


def _typed(param: str, pg_type: str, pg: bool) -> str:
    """A bound value that may be NULL, typed for PostgreSQL's INSERT ... SELECT."""
    return f"CAST({param} AS {pg_type})" if pg else param


def _at(moment: datetime | None, pg: bool) -> Any:
    """A bound time as the UTCDateTime columns keep it (naive UTC on SQLite)."""
    if moment is None or pg:
        return moment
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _restart(session: Session, journey_id: int, user_ids: list[int], now: datetime, pg: bool) -> None:
    """RESTART: the users' running entries end (EXITED, 'restarted') as their new round starts."""
    for i in range(0, len(user_ids), 10_000):
        chunk = user_ids[i : i + 10_000]
        session.execute(
            update(Entry)
            .where(Entry.journey_id == journey_id, Entry.status.in_(RUNNING), Entry.user_id.in_(chunk))
            .values(
                status="EXITED",
                stop_reason="restarted",
                stopped_at=now,
                wake_at=None,
                waiting_event=None,
                blocked_reason=None,
                claimed_until=None,
                updated_at=now,
            )
        )
