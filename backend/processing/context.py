"""Everything a batch needs besides the entries, loaded once per batch."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from backend.delivery.caps import sent_today
from backend.gamification.levels import level_name
from backend.journeys.definition import CompiledJourney
from backend.journeys.predicates import AggregateSpec
from backend.journeys.state import EntryState, Env, UserFacts
from backend.models import BonusTemplate, Entry, Level, Resource, User
from backend.processing.loading import JourneyCache, aggregate_totals, load_users
from backend.settings import Settings


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


class BatchContext:
    def __init__(self, session: Session, settings: Settings | None, now: datetime, cache: JourneyCache):
        self.session = session
        self.now = now
        self.settings = settings
        self.cache = cache
        resources = session.execute(select(Resource.id, Resource.name, Resource.channel)).all()
        self.resource_ids = {**{n: i for i, n, _ in resources}, **{str(i): i for i, _, _ in resources}}
        # Read for each batch: a change of thresholds applies from the next batch on.
        self.levels = [tuple(r) for r in sorted(session.execute(select(Level.threshold, Level.name)).all())]
        self.env = Env(
            resources={**{n: c for _, n, c in resources}, **{str(i): c for i, _, c in resources}},
            frequency_cap=settings.frequency_cap if settings else 0,
            default_timezone=settings.timezone if settings else "UTC",
            levels=tuple(self.levels),
        )
        templates = session.execute(select(BonusTemplate.id, BonusTemplate.name)).all()
        self.template_ids = {**{n: i for i, n in templates}, **{str(i): i for i, _ in templates}}
        self.users: dict[int, UserFacts] = {}

    def journey(self, journey_id: int, version: int) -> CompiledJourney:
        return self.cache.version(self.session, journey_id, version)

    def level_of(self, points: int) -> str | None:
        return level_name(self.levels, points)

    def load_users(self, user_ids: set[int], aggregates: set[AggregateSpec]) -> None:
        missing = user_ids - set(self.users)
        if not missing:
            return
        rows = load_users(self.session, missing)
        sent = self._sent_today(missing) if self.env.frequency_cap else {}
        for uid, u in rows.items():
            self.users[uid] = facts_of(u, level=self.level_of(u.points), sent_today=sent.get(uid))
        for spec in aggregates:
            self._aggregate(spec, missing)

    def _sent_today(self, user_ids: set[int]) -> dict[int, dict[str, int]]:
        return sent_today(self.session, user_ids, self.now, queued_too=True)

    def _aggregate(self, spec: AggregateSpec, user_ids: set[int]) -> None:
        totals = aggregate_totals(self.session, spec, user_ids, self.now)
        for uid in user_ids:
            if uid in self.users:
                self.users[uid].aggregates[spec] = totals.get(uid, 0)


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
        "reactivated_at": state.reactivated_at,
        "visits": state.visits,
        "updated_at": now,
    }
