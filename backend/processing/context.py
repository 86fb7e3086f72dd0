"""Everything a batch needs besides the entries, loaded once per batch."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.delivery.caps import sent_today
from backend.journeys.definition import CompiledJourney
from backend.journeys.levels import level_name
from backend.journeys.loading import JourneyCache, aggregate_totals, load_users
from backend.journeys.predicates import AggregateSpec
from backend.journeys.resources import JourneyResources
from backend.journeys.rows import facts_of_row
from backend.journeys.state import Env, UserFacts
from backend.models import BonusTemplate, Level, Resource
from backend.settings import Settings


class BatchContext:
    def __init__(self, session: Session, settings: Settings | None, now: datetime, cache: JourneyCache):
        self.session = session
        self.now = now
        self.settings = settings
        self.cache = cache
        resources = session.execute(select(Resource.id, Resource.name, Resource.channel)).all()
        self.journey_resources = JourneyResources(session)
        # Read for each batch: a change of thresholds applies from the next batch on.
        self.levels = sorted(
            (threshold, name) for threshold, name in session.execute(select(Level.threshold, Level.name))
        )
        self.env = Env(
            resources={**{n: c for _, n, c in resources}, **{str(i): c for i, _, c in resources}},
            journey_resources=self.journey_resources.channels(),
            frequency_cap=settings.frequency_cap if settings else 0,
            default_timezone=settings.timezone if settings else "UTC",
            levels=tuple(self.levels),
        )
        templates = session.execute(select(BonusTemplate.id, BonusTemplate.name)).all()
        self.template_ids = {**{n: i for i, n in templates}, **{str(i): i for i, _ in templates}}
        self.users: dict[int, UserFacts] = {}

    def resource_id(self, journey_id: int, name_or_id: str) -> int:
        """The resource a send step of this journey names (the interpreter sent only one it found)."""
        return self.journey_resources[journey_id][name_or_id][0]

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
            self.users[uid] = facts_of_row(u, level=self.level_of(u.points), sent_today=sent.get(uid))
        for spec in aggregates:
            self._aggregate(spec, missing)

    def _sent_today(self, user_ids: set[int]) -> dict[int, dict[str, int]]:
        return sent_today(self.session, user_ids, self.now, queued_too=True)

    def _aggregate(self, spec: AggregateSpec, user_ids: set[int]) -> None:
        totals = aggregate_totals(self.session, spec, user_ids, self.now)
        for uid in user_ids:
            if uid in self.users:
                self.users[uid].aggregates[spec] = totals.get(uid, 0)
