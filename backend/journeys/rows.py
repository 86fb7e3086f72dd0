"""An entry's row and its state, a user's row and their facts, a logged step and its row:
the mapping between the tables and the interpreter's values, in both directions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row

from backend.journeys.state import EntryState, StepLogged, UserFacts
from backend.models import Entry, User


def facts_of(u: User | Row[Any], *, level: str | None, sent_today: dict[str, int] | None = None) -> UserFacts:
    """What the engine and the templates know of a user."""
    return UserFacts(
        user_id=u.id,
        external_id=u.external_id,
        username=u.username,
        email=u.email,
        phone=u.phone,
        timezone=u.timezone,
        attributes=dict(u.attributes or {}),
        opt_outs=frozenset(u.opt_outs or ()),
        points=u.points,
        level=level,
        deposit_count=u.deposit_count,
        deposit_total=float(u.deposit_total or 0),
        last_deposit_at=u.last_deposit_at,
        sent_today=dict(sent_today or {}),
    )


def facts_of_row(row: Row[Any], *, level: str | None, sent_today: dict[str, int] | None = None) -> UserFacts:
    """`facts_of` for a row of `loading.USER_FACT_COLUMNS`, read by position and built
    without the dataclass's `__init__` (a batch builds a thousand of them)."""
    uid, external_id, username, email, phone, timezone, attributes, opt_outs, points, count, total, last = tuple(row)
    facts = object.__new__(UserFacts)
    facts.__dict__.update(
        user_id=uid,
        external_id=external_id,
        username=username,
        email=email,
        phone=phone,
        timezone=timezone,
        attributes=dict(attributes or {}),
        opt_outs=frozenset(opt_outs or ()),
        points=points,
        level=level,
        deposit_count=count,
        deposit_total=float(total or 0),
        last_deposit_at=last,
        sent_today=dict(sent_today or {}),
        aggregates={},
    )
    return facts


def state_of(row: Entry | Row[Any]) -> EntryState:
    return EntryState(
        entry_id=row.id,
        journey_id=row.journey_id,
        user_id=row.user_id,
        round=row.round,
        version=row.version,
        status=row.status,
        in_control_group=row.in_control_group,
        entered_at=row.entered_at,
        current_step_id=row.current_step_id,
        step_entered_at=row.step_entered_at,
        wake_at=row.wake_at,
        waiting_event=row.waiting_event,
        visits=dict(row.visits or {}),
        progress_name=row.progress_name,
        progress_step=row.progress_step,
        progress_at=row.progress_at,
        converted_at=row.converted_at,
        stopped_at=row.stopped_at,
        stop_reason=row.stop_reason,
        blocked_reason=row.blocked_reason,
        payload=row.payload,
        reactivated_at=row.reactivated_at,
    )


def step_row(state: EntryState, fx: StepLogged) -> dict[str, Any]:
    return {
        "entry_id": state.entry_id,
        "journey_id": state.journey_id,
        "step_id": fx.step_id,
        "kind": fx.kind,
        "name": fx.name,
        "visit": fx.visit,
        "entered_at": fx.entered_at,
        "left_at": fx.left_at,
        "outcome": fx.outcome,
        "detail": fx.detail,
    }


def entry_row(state: EntryState, now: datetime) -> dict[str, Any]:
    return {
        "status": state.status,
        "version": state.version,
        "current_step_id": state.current_step_id,
        "step_entered_at": state.step_entered_at,
        "wake_at": state.wake_at,
        "waiting_event": state.waiting_event,
        "claimed_until": None,
        "progress_name": state.progress_name,
        "progress_step": state.progress_step,
        "progress_at": state.progress_at,
        "converted_at": state.converted_at,
        "stopped_at": state.stopped_at,
        "stop_reason": state.stop_reason,
        "blocked_reason": state.blocked_reason,
        "frozen_status": None,
        "frozen_reason": None,
        "reactivated_at": state.reactivated_at,
        "visits": state.visits,
        "updated_at": now,
    }
