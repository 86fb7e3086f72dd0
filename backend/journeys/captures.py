"""Creating entries for captured users: re-entry mode, rounds, control group, in bulk."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from backend.journeys.definition import CompiledJourney
from backend.journeys.interpreter import in_control_group
from backend.journeys.rules import decide_capture
from backend.journeys.state import EntryState
from backend.models import Entry, Journey
from backend.persistence.bulk import insert_with_ids
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


def create_entries(
    session: Session, meta: JourneyMeta, journey: CompiledJourney, captures: list[Capture], now: datetime
) -> tuple[list[tuple[EntryState, int | None]], int]:
    """New entries (with the caller's tag) and how many captures the re-entry mode refused."""
    if not captures:
        return [], 0
    user_ids = sorted({c.user_id for c in captures})
    existing: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
    for eid, uid, status, round_ in session.execute(
        select(Entry.id, Entry.user_id, Entry.status, Entry.round).where(
            Entry.journey_id == meta.id, Entry.user_id.in_(user_ids)
        )
    ):
        existing[uid].append((eid, status, round_))
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
        rows.append(
            {
                "journey_id": meta.id,
                "user_id": cap.user_id,
                "round": decision.round,
                "version": meta.version,
                "status": "ACTIVE",
                "current_step_id": journey.start,
                "step_entered_at": now,
                "entered_at": now,
                "in_control_group": in_control_group(
                    journey_id=meta.id, user_id=cap.user_id, percent=meta.control_group_percent
                ),
                "progress_name": start_status[0],
                "progress_step": start_status[1],
                "progress_at": now,
                "visits": {},
                "payload": cap.payload,
                "updated_at": now,
            }
        )
        tags.append(cap.tag)
    if restart:
        session.execute(
            update(Entry)
            .where(Entry.id.in_(restart), Entry.status.in_(RUNNING))
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
    if not rows:
        return [], refused
    ids = insert_with_ids(session, Entry.__table__, rows)
    states = []
    for pk, row, tag in zip(ids, rows, tags, strict=True):
        states.append(
            (
                EntryState(
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
                ),
                tag,
            )
        )
    return states, refused
