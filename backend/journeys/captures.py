"""Creating entries for captured users: re-entry mode, rounds, control group, in bulk."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from backend.dialect import one_of
from backend.journeys.definition import CompiledJourney
from backend.journeys.interpreter import in_control_group
from backend.journeys.rules import decide_capture
from backend.journeys.state import EntryState
from backend.models import Entry, Journey
from backend.persistence.bulk import can_allocate_ids, insert_with_ids, next_ids
from backend.statuses import RUNNING


@dataclass(frozen=True)
class JourneyMeta:
    id: int
    version: int
    reentry_mode: str
    control_group_percent: float

    @classmethod
    def of(cls, journey: Journey) -> JourneyMeta:
        return cls(journey.id, journey.version, journey.reentry_mode, journey.control_group_percent)


@dataclass(frozen=True)
class Capture:
    user_id: int
    payload: dict[str, Any] | None
    tag: int | None = None  # what the caller wants back with the new entry (an event id)


@dataclass
class NewEntries:
    """Entries a capture made, with the caller's tag; those in `unwritten` have their id
    but no row yet: the caller inserts them with their state after their first steps."""

    states: list[tuple[EntryState, int | None]] = field(default_factory=list)
    refused: int = 0
    unwritten: dict[int, dict[str, Any]] = field(default_factory=dict)


def create_entries(
    session: Session, meta: JourneyMeta, journey: CompiledJourney, captures: list[Capture], now: datetime
) -> tuple[list[tuple[EntryState, int | None]], int]:
    """New entries, written now (with the caller's tag), and how many captures the re-entry mode refused."""
    made = capture_entries(session, meta, journey, captures, now, defer_insert=False)
    return made.states, made.refused


def capture_entries(
    session: Session,
    meta: JourneyMeta,
    journey: CompiledJourney,
    captures: list[Capture],
    now: datetime,
    *,
    defer_insert: bool = True,
    pending: Sequence[tuple[int, int, str, int]] = (),
) -> NewEntries:
    """New entries for these captures. With `defer_insert`, where the database can hand
    out ids first (PostgreSQL), the rows are left to the caller (`NewEntries.unwritten`),
    so an entry is written once, in the state its first steps leave it in, rather than
    inserted and then updated in the same transaction. `pending` are the caller's
    entries not written yet, as (id, user id, status, round), so a later capture of
    the same transaction counts them."""
    if not captures:
        return NewEntries()
    rows, tags, refused = _decide(session, meta, journey, captures, now, pending)
    if not rows:
        return NewEntries(refused=refused)
    unwritten: dict[int, dict[str, Any]] = {}
    if defer_insert and can_allocate_ids(session):
        ids = next_ids(session, Entry.__table__, len(rows))
        unwritten = dict(zip(ids, rows, strict=True))
    else:
        ids = insert_with_ids(session, Entry.__table__, rows)
    states = [(_state_of_new(pk, row, meta, journey, now), tag) for pk, row, tag in zip(ids, rows, tags, strict=True)]
    return NewEntries(states, refused, unwritten)


def _existing(
    session: Session, meta: JourneyMeta, user_ids: list[int], pending: Sequence[tuple[int, int, str, int]]
) -> dict[int, list[tuple[int, str, int]]]:
    existing: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
    for eid, uid, status, round_ in pending:
        existing[uid].append((eid, status, round_))
    for eid, uid, status, round_ in session.execute(
        select(Entry.id, Entry.user_id, Entry.status, Entry.round).where(
            Entry.journey_id == meta.id, one_of(session, Entry.user_id, user_ids)
        )
    ):
        existing[uid].append((eid, status, round_))
    return existing


def _decide(
    session: Session,
    meta: JourneyMeta,
    journey: CompiledJourney,
    captures: list[Capture],
    now: datetime,
    pending: Sequence[tuple[int, int, str, int]] = (),
) -> tuple[list[dict[str, Any]], list[int | None], int]:
    """The new entries' rows and tags, and how many captures were refused; the running
    entries a re-entry restarts are EXITED here."""
    existing = _existing(session, meta, sorted({c.user_id for c in captures}), pending)
    start_status = min(journey.ladder.items(), key=lambda kv: kv[1]) if journey.ladder else ("Entered", 0)
    rows: list[dict[str, Any]] = []
    tags: list[int | None] = []
    restart: list[int] = []
    refused = 0
    for cap in captures:
        decision = decide_capture(meta.reentry_mode, existing[cap.user_id])
        if not decision.enter:
            refused += 1
            continue
        restart.extend(decision.restart_entry_ids)
        existing[cap.user_id] = [
            (eid, "EXITED" if eid in decision.restart_entry_ids else st, r) for eid, st, r in existing[cap.user_id]
        ]
        # A placeholder id keeps later captures of this batch honest about the running entry.
        existing[cap.user_id].append((-len(rows) - 1, "ACTIVE", decision.round))
        rows.append(_new_row(meta, journey, cap, decision.round, start_status, now))
        tags.append(cap.tag)
    if restart:
        _exit_restarted(session, restart, now)
    return rows, tags, refused


def _new_row(
    meta: JourneyMeta, journey: CompiledJourney, cap: Capture, round_: int, start: tuple[str, int], now: datetime
) -> dict[str, Any]:
    return {
        "journey_id": meta.id,
        "user_id": cap.user_id,
        "round": round_,
        "version": meta.version,
        "status": "ACTIVE",
        "current_step_id": journey.start,
        "step_entered_at": now,
        "entered_at": now,
        "in_control_group": in_control_group(
            journey_id=meta.id, user_id=cap.user_id, percent=meta.control_group_percent
        ),
        "progress_name": start[0],
        "progress_step": start[1],
        "progress_at": now,
        "visits": {},
        "payload": cap.payload,
        "updated_at": now,
    }


def restarted(now: datetime) -> dict[str, Any]:
    """A running entry's fields once RESTART ends it for the user's new round."""
    return {
        "status": "EXITED",
        "stop_reason": "restarted",
        "stopped_at": now,
        "wake_at": None,
        "waiting_event": None,
        "blocked_reason": None,
        "claimed_until": None,
        "updated_at": now,
    }


def _exit_restarted(session: Session, entry_ids: list[int], now: datetime) -> None:
    session.execute(update(Entry).where(Entry.id.in_(entry_ids), Entry.status.in_(RUNNING)).values(**restarted(now)))


def _state_of_new(
    pk: int, row: dict[str, Any], meta: JourneyMeta, journey: CompiledJourney, now: datetime
) -> EntryState:
    return EntryState(
        entry_id=pk,
        journey_id=meta.id,
        user_id=row["user_id"],
        round=row["round"],
        version=meta.version,
        status="ACTIVE",
        in_control_group=row["in_control_group"],
        entered_at=now,
        current_step_id=journey.start,
        step_entered_at=now,
        progress_name=row["progress_name"],
        progress_step=row["progress_step"],
        progress_at=now,
        payload=row["payload"],
    )
