"""Turns the interpreter's effects into the rows of a WritePlan."""

from __future__ import annotations

from datetime import datetime

from backend.delivery.addresses import ADDRESS
from backend.journeys.rows import entry_row, step_row
from backend.journeys.state import (
    BonusRequested,
    Effect,
    EntryState,
    PointsAdded,
    ProfileUpdated,
    SendQueued,
    StepLogged,
    UserFacts,
    WebhookRequested,
)
from backend.persistence.plan import WritePlan
from backend.processing.context import BatchContext
from backend.processing.templating import render_body


def key(state: EntryState, step_id: str, visit: int) -> str:
    return f"{state.entry_id}:{step_id}:{visit}"


def collect(
    plan: WritePlan, ctx: BatchContext, state: EntryState, effects: list[Effect], user: UserFacts, now: datetime
) -> None:
    plan.entry_updates[state.entry_id] = entry_row(state, now)
    for fx in effects:
        if isinstance(fx, StepLogged):
            plan.step_rows.append(step_row(state, fx))
        elif isinstance(fx, SendQueued):
            plan.communications.append(
                {
                    "idempotency_key": key(state, fx.step_id, fx.visit),
                    "user_id": state.user_id,
                    "resource_id": ctx.resource_id(state.journey_id, fx.resource),
                    "journey_id": state.journey_id,
                    "entry_id": state.entry_id,
                    "step_id": fx.step_id,
                    "channel": fx.channel,
                    "status": "SUPPRESSED" if fx.suppressed_reason else "QUEUED",
                    "error": fx.suppressed_reason,
                    "to_address": getattr(user, ADDRESS.get(fx.channel, "external_id")),
                    "queued_at": now,
                    "next_attempt_at": None if fx.suppressed_reason else now,
                    "attempts": 0,
                    "open_count": 0,
                    "click_count": 0,
                }
            )
        elif isinstance(fx, BonusRequested) and not fx.suppressed:
            plan.bonuses.append(
                {
                    "idempotency_key": key(state, fx.step_id, fx.visit),
                    "user_id": state.user_id,
                    "template_id": ctx.template_ids[fx.template],
                    "entry_id": state.entry_id,
                    "journey_id": state.journey_id,
                    "mission_id": None,
                    "source": "journey",
                    "status": "PENDING",
                    "attempts": 0,
                    "next_attempt_at": now,
                    "created_at": now,
                }
            )
        elif isinstance(fx, PointsAdded) and not fx.suppressed:
            plan.points.append(
                {
                    "user_id": state.user_id,
                    "amount": fx.amount,
                    "reason": fx.reason[:500],
                    "source": "journey_step",
                    "idempotency_key": key(state, fx.step_id, fx.visit),
                    "entry_id": state.entry_id,
                    "mission_id": None,
                    "created_at": now,
                }
            )
        elif isinstance(fx, ProfileUpdated):
            plan.merge_profile(state.user_id, dict(fx.changes))
        elif isinstance(fx, WebhookRequested):
            plan.webhooks.append(
                {
                    "idempotency_key": key(state, fx.step_id, fx.visit),
                    "entry_id": state.entry_id,
                    "journey_id": state.journey_id,
                    "step_id": fx.step_id,
                    "url": fx.url,
                    "body": render_body(fx.body, user, state),
                    "status": "PENDING",
                    "attempts": 0,
                    "next_attempt_at": now,
                    "created_at": now,
                }
            )
