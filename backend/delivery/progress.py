"""What a message did moves its entry's progress: sent, delivered, opened, clicked.

The interpreter decides (`progress_event`: up or sideways only, only statuses the
journey's ladder has); this writes the result for a whole batch at once, with the
entries locked in id order so a concurrent engine batch on the same entries waits
rather than overwrites."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select

from backend.journeys.interpreter import progress_event
from backend.journeys.loading import JourneyCache
from backend.journeys.rows import state_of, step_row
from backend.journeys.state import StepLogged
from backend.models import Entry, EntryStep
from backend.persistence.bulk import append_rows, update_by_id
from backend.persistence.database import UnitOfWork

PROGRESS_COLUMNS = ("progress_name", "progress_step", "progress_at", "updated_at")


def move_entries(uow: UnitOfWork, journeys: JourneyCache, moves: Iterable[tuple[int, str, datetime]]) -> int:
    """Applies (entry id, status name, when) moves; returns how many entries moved."""
    wanted: dict[int, list[tuple[str, datetime]]] = {}
    for entry_id, name, at in moves:
        wanted.setdefault(entry_id, []).append((name, at))
    if not wanted:
        return 0
    session = uow.session
    stmt = select(Entry).where(Entry.id.in_(sorted(wanted))).order_by(Entry.id)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    updates, steps = {}, []
    for row in session.scalars(stmt):
        state = state_of(row)
        journey = journeys.version(session, row.journey_id, row.version)
        moved = False
        for name, at in wanted[row.id]:
            state, effects = progress_event(state, journey=journey, name=name, at=at)
            for fx in effects:
                if isinstance(fx, StepLogged):
                    steps.append(step_row(state, fx))
                    moved = True
        if moved:
            updates[row.id] = {
                "progress_name": state.progress_name,
                "progress_step": state.progress_step,
                "progress_at": state.progress_at,
                "updated_at": max(at for _, at in wanted[row.id]),
            }
    update_by_id(session, Entry.__table__, updates)
    append_rows(session, EntryStep.__table__, steps)
    return len(updates)
