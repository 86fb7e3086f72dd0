"""Runs of scheduled segments: capture every user the segment matches, set-based.

A run claims the journey's cron time and reads the matching users in one transaction,
committed before any entry is written: a conditional UPDATE of `journeys.next_run_at`
and a row in `segment_runs`, unique per journey and cron time, with `matched` and
`selected`, so two schedulers or a repeated run never capture twice. It reads the
matching users' ids with one query (backend.segments.sql) and draws limitPercent of
them. The entries are then created by user-id range in parts, one transaction each on
its own connection, side by side (RUN_PARTS, one per database core): each part holds
the journey's row shared and inserts its entries, ACTIVE at the start step under a hint
lease, with one `INSERT ... SELECT` (backend.segments.entries). PostgreSQL cannot
commit two connections as one without two-phase commit, so when a part fails the parts
already committed are deleted again, and the run records the error with nothing
entered. Only once every part is in does the run record its counts.

Then the entries' first steps. When the journey starts with a send followed by a wait
of fixed seconds or by nothing (on PostgreSQL, without quiet hours), the run takes them
through that send itself, set-based (backend.segments.first_send), again in parts side
by side, one transaction each: the entries move on, their communications and step log
are written, and the messages are hinted to delivery once the part commits. A part that
fails leaves its entries at the start step and hints them to the workers, whose batches
send them like any other entries' first step; a scheduler that stops in between leaves
them under their hint lease, and the tick hints them once it runs out. Otherwise the
new entries go to the workers at once, 1,000 ids a message. (The scheduler runs the run
inside its tick, so no tick hints a part's rows while the run holds them.)
"""

from __future__ import annotations

import logging
import random
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from backend.dialect import insert_ignoring_conflicts
from backend.journeys import definition as defs
from backend.models import Entry, Journey, JourneyVersion, Level, SegmentRun
from backend.persistence.bulk import rows_changed
from backend.persistence.database import Database
from backend.queue import WorkQueue
from backend.segments.entries import Target, capture, hold_journey
from backend.segments.first_send import FirstSend, first_send_of, hint_deliveries, move_past_send, write_first_sends
from backend.segments.schedule import Schedule, due_time, schedule_of
from backend.segments.sql import give_memory, matching_users

log = logging.getLogger(__name__)
HINT_CHUNK = 1_000
# Parts of a run written side by side on PostgreSQL: the run's inserts are bound by one
# backend's CPU (index upkeep and foreign-key checks), so one part per database core.
RUN_PARTS = 2
UNDO_CHUNK = 10_000
# A run still unfinished this long after its start was left by a scheduler that stopped
# (a run of a million users takes a minute or two).
INTERRUPTED_AFTER = timedelta(hours=1)


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
class _Claimed:
    run_id: int
    scheduled_for: datetime
    target: Target
    matched: int
    picked: list[int]
    first: FirstSend | None


class UndoFailed(RuntimeError):
    """A part failed, and deleting the parts that committed failed too."""


class JourneyChangedDuringRun(RuntimeError):
    """The journey stopped or changed version between the claim and a part."""


def run_due_segments(
    db: Database, queue: WorkQueue, now: datetime, *, frequency_cap: int | None = None
) -> list[RunOutcome]:
    """Every ACTIVE scheduled journey whose cron time came, run once each. With the
    settings' frequency cap given, the run sends a first send itself (first_send)."""
    close_interrupted_runs(db, now)
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
    began = time.monotonic()
    try:
        with db.unit_of_work() as uow:
            claimed = _claim_and_match(uow.session, journey_id, next_run_at, now, frequency_cap)
    except Exception as exc:  # recorded on the run, and the schedule goes on
        log.exception("segment run of journey %s failed", journey_id)
        with db.unit_of_work() as uow:
            return _record_failure(uow.session, journey_id, next_run_at, now, _error_text(exc))
    if claimed is None:
        return None
    try:
        entry_ids = _write_parts(db, claimed, now)
    except UndoFailed as exc:  # left unfinished: close_interrupted_runs counts what stayed
        log.exception("segment run of journey %s failed and could not be undone", journey_id)
        return RunOutcome(claimed.target.id, claimed.scheduled_for, claimed.matched, error=_error_text(exc))
    except Exception as exc:  # the committed parts were undone: nothing entered
        log.exception("segment run of journey %s failed", journey_id)
        return _finish(db, queue, claimed, [], now, began, error=_error_text(exc))
    outcome = _finish(db, queue, claimed, entry_ids, now, began)
    if claimed.first is not None:
        _send_first_steps(db, queue, claimed.target, claimed.first, entry_ids, now)
    return outcome


def _error_text(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:1000]


def _target(session: Session, journey_id: int) -> Target | None:
    row = session.execute(
        select(
            Journey.id, Journey.version, Journey.reentry_mode, Journey.control_group_percent, JourneyVersion.definition
        )
        .join(JourneyVersion, (JourneyVersion.journey_id == Journey.id) & (JourneyVersion.version == Journey.version))
        .where(Journey.id == journey_id)
    ).first()
    return Target(*row) if row else None


def _claim(session: Session, target: Target, schedule: Schedule, next_run_at: datetime, now: datetime) -> int | None:
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


def _claim_and_match(
    session: Session, journey_id: int, next_run_at: datetime, now: datetime, frequency_cap: int | None
) -> _Claimed | None:
    """The run's claim, with the users it will capture (matched and selected recorded)."""
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
    run = session.get_one(SegmentRun, run_id)
    run.matched, run.selected = len(user_ids), len(picked)
    return _Claimed(run_id, run.scheduled_for, target, len(user_ids), picked, first)


def _write_parts(db: Database, claimed: _Claimed, now: datetime) -> list[int]:
    """The entries of the picked users, in parts by user-id range side by side; their
    ids. A failed part undoes the others and raises."""
    parts = _parts(claimed.picked, _part_count(db, claimed.target))
    if len(parts) <= 1:
        return _write_part(db, claimed, parts[0] if parts else [], now)
    with ThreadPoolExecutor(len(parts), thread_name_prefix="segment-part") as pool:
        futures = [pool.submit(_write_part, db, claimed, part, now) for part in parts]
    written: list[int] = []
    failures = []
    for future in futures:
        try:
            written.extend(future.result())
        except Exception as exc:
            failures.append(exc)
    if failures:
        try:
            _undo(db, written)
        except Exception as exc:
            raise UndoFailed(f"{_error_text(exc)}, after {_error_text(failures[0])}") from failures[0]
        raise failures[0]
    return sorted(written)


def _part_count(db: Database, target: Target) -> int:
    """SQLite has one writer; RESTART ends running entries, which an undo cannot restore."""
    if db.dialect != "postgresql" or target.reentry_mode == "RESTART":
        return 1
    return RUN_PARTS


def _parts(user_ids: list[int], count: int) -> list[list[int]]:
    """Sorted ids in `count` contiguous ranges of about the same size (none empty)."""
    size = -(-len(user_ids) // count) if user_ids else 0
    return [user_ids[i : i + size] for i in range(0, len(user_ids), size)] if size else []


def _write_part(db: Database, claimed: _Claimed, user_ids: list[int], now: datetime) -> list[int]:
    with db.unit_of_work() as uow:
        if not hold_journey(uow.session, claimed.target):
            raise JourneyChangedDuringRun("the journey was stopped or changed during the run")
        return capture(uow.session, claimed.target, user_ids, now)


def _undo(db: Database, entry_ids: list[int]) -> None:
    """Deletes the entries of the parts that committed: nothing of a failed run stays."""
    with db.unit_of_work() as uow:
        for i in range(0, len(entry_ids), UNDO_CHUNK):
            uow.session.execute(delete(Entry).where(Entry.id.in_(entry_ids[i : i + UNDO_CHUNK])))


def _finish(
    db: Database,
    queue: WorkQueue,
    claimed: _Claimed,
    entry_ids: list[int],
    now: datetime,
    began: float,
    *,
    error: str | None = None,
) -> RunOutcome:
    """The run's counts (or its error); the new entries hinted to the workers once they
    are committed, unless the run sends their first send itself."""
    entered, selected = len(entry_ids), len(claimed.picked)
    with db.unit_of_work() as uow:
        run = uow.session.get_one(SegmentRun, claimed.run_id)
        run.entered, run.refused, run.error = entered, 0 if error else selected - entered, error
        # started_at is the scheduler's time; the run (until its entries were created)
        # lasted as long as the wall clock says.
        run.finished_at = now + timedelta(seconds=time.monotonic() - began)
        if claimed.first is None:
            uow.after_commit(lambda: _hint(queue, entry_ids))
    if error:
        return RunOutcome(claimed.target.id, claimed.scheduled_for, claimed.matched, selected, error=error)
    return RunOutcome(claimed.target.id, claimed.scheduled_for, claimed.matched, selected, entered, selected - entered)


def _send_first_steps(
    db: Database, queue: WorkQueue, target: Target, first: FirstSend, entry_ids: list[int], now: datetime
) -> None:
    """The new entries' first send, in parts side by side (see the module's docstring)."""
    parts = _parts(entry_ids, RUN_PARTS)
    with ThreadPoolExecutor(max(1, len(parts)), thread_name_prefix="segment-send") as pool:
        for part in parts:
            pool.submit(_send_first_part, db, queue, target, first, part, now)


def _send_first_part(
    db: Database, queue: WorkQueue, target: Target, first: FirstSend, entry_ids: list[int], now: datetime
) -> None:
    try:
        with db.unit_of_work() as uow:
            if not hold_journey(uow.session, target):
                raise JourneyChangedDuringRun("the journey was stopped or changed before its first sends")
            moved = move_past_send(uow.session, first, entry_ids, now)
            queued = write_first_sends(uow.session, first, moved, now)
            uow.after_commit(lambda: hint_deliveries(queue, queued))
    except Exception:  # the workers take them through the send instead
        log.exception("the first sends of %d entries of journey %s failed; hinting them", len(entry_ids), target.id)
        try:
            _hint(queue, entry_ids)
        except Exception:  # the tick hints them once their lease runs out
            log.exception("hinting %d entries of journey %s failed", len(entry_ids), target.id)


def close_interrupted_runs(db: Database, now: datetime) -> int:
    """Runs a scheduler left unfinished (it stopped while the parts were written): the
    parts that committed keep their entries, which go on like any others, and the run
    says how many entered and why it ended. Its entries are those of the journey
    entered at the run's start (the run's time is every entry's `entered_at`)."""
    with db.unit_of_work() as uow:
        session = uow.session
        stale = list(
            session.scalars(
                select(SegmentRun).where(
                    SegmentRun.finished_at.is_(None), SegmentRun.started_at < now - INTERRUPTED_AFTER
                )
            )
        )
        for run in stale:
            entered = session.scalar(
                select(func.count())
                .select_from(Entry)
                .where(Entry.journey_id == run.journey_id, Entry.entered_at == run.started_at)
            )
            run.entered, run.refused, run.finished_at = entered or 0, 0, now
            run.error = (
                f"interrupted: the scheduler stopped while the run wrote its entries; "
                f"{run.entered} of {run.selected} entered, the others not captured this time"
            )
    return len(stale)


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
