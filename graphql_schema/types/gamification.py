"""Bonus templates, a bonus's own fields, levels, badges, missions and the gamification
facts of a user.

A bonus's user, entry and template are added in `graph.py`, which builds the final
`Bonus` on `BonusFields`; the leaderboard's rows, which carry users, are in `results.py`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Self

import strawberry

from backend.gamification import points
from backend.models import Badge as BadgeModel
from backend.models import Bonus as BonusModel
from backend.models import BonusTemplate as BonusTemplateModel
from backend.models import Mission as MissionModel
from graphql_schema.context import AppContext
from graphql_schema.ids import encode_id
from graphql_schema.loaders import by_id
from graphql_schema.types.common import JSON, BonusStatus, Node, UserError


@strawberry.type
class BonusTemplate(Node):
    id: strawberry.ID
    name: str
    kind: str
    amount: float
    currency: str | None

    @classmethod
    def from_model(cls, t: BonusTemplateModel) -> BonusTemplate:
        return cls(
            id=strawberry.ID(encode_id("BonusTemplate", t.id)),
            name=t.name,
            kind=t.kind,
            amount=t.amount,
            currency=t.currency,
        )


@strawberry.type
class BonusFields(Node):
    id: strawberry.ID
    status: BonusStatus
    created_at: datetime
    granted_at: datetime | None
    error: str | None
    user_pk: strawberry.Private[int]
    entry_pk: strawberry.Private[int | None]
    template_pk: strawberry.Private[int]

    @classmethod
    def from_model(cls, b: BonusModel) -> Self:
        return cls(
            id=strawberry.ID(encode_id("Bonus", b.id)),
            status=BonusStatus(b.status),
            created_at=b.created_at,
            granted_at=b.granted_at,
            error=b.error,
            user_pk=b.user_id,
            entry_pk=b.entry_id,
            template_pk=b.template_id,
        )


@strawberry.type
class Level:
    name: str
    threshold: int


@strawberry.type
class Badge(Node):
    id: strawberry.ID
    name: str
    description: str | None
    rule: JSON

    @classmethod
    def from_model(cls, b: BadgeModel) -> Badge:
        return cls(
            id=strawberry.ID(encode_id("Badge", b.id)), name=b.name, description=b.description, rule=JSON(b.rule)
        )


@strawberry.type
class BadgeAward:
    badge: Badge
    awarded_at: datetime


@strawberry.type
class Mission(Node):
    id: strawberry.ID
    name: str
    description: str | None
    goal: JSON
    reward: JSON
    starts_at: datetime | None
    ends_at: datetime | None

    @classmethod
    def from_model(cls, m: MissionModel) -> Mission:
        reward = dict(m.reward)
        if reward.get("bonusTemplateId") is not None:  # shown as the ID the API gives the template
            reward["bonusTemplateId"] = encode_id("BonusTemplate", int(reward["bonusTemplateId"]))
        return cls(
            id=strawberry.ID(encode_id("Mission", m.id)),
            name=m.name,
            description=m.description,
            goal=JSON(m.goal),
            reward=JSON(reward),
            starts_at=m.starts_at,
            ends_at=m.ends_at,
        )


@strawberry.type
class MissionProgress:
    mission: Mission
    progress: float
    target: float
    completed_at: datetime | None


@strawberry.type
class GamificationFacts:
    points: int
    level: Level | None
    badges: list[BadgeAward]
    missions: list[MissionProgress]

    @classmethod
    def from_facts(cls, f: Any) -> GamificationFacts:
        return cls(
            points=f.points,
            level=Level(name=f.level.name, threshold=f.level.threshold) if f.level else None,
            badges=[BadgeAward(badge=Badge.from_model(b), awarded_at=at) for b, at in f.badges],
            missions=[
                MissionProgress(
                    mission=Mission.from_model(m), progress=p.progress, target=p.target, completed_at=p.completed_at
                )
                for m, p in f.missions
            ],
        )


async def template_of(ctx: AppContext, pk: int) -> BonusTemplate:
    return BonusTemplate.from_model(await by_id(ctx, BonusTemplateModel).load(pk))


async def facts_of(ctx: AppContext, user_pk: int) -> GamificationFacts:
    return GamificationFacts.from_facts(await ctx.read(lambda s: points.facts(s, user_pk)))


@strawberry.input
class BonusTemplateInput:
    name: str
    kind: str
    amount: float
    currency: str | None = None


@strawberry.input
class BadgeInput:
    name: str
    description: str | None = None
    rule: JSON


@strawberry.input
class MissionInput:
    name: str
    description: str | None = None
    goal: JSON
    reward: JSON
    starts_at: datetime | None = None
    ends_at: datetime | None = None


@strawberry.input
class LevelInput:
    name: str
    threshold: int


@strawberry.type
class BonusTemplatePayload:
    bonus_template: BonusTemplate | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class BadgePayload:
    badge: Badge | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class MissionPayload:
    mission: Mission | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class LevelsPayload:
    levels: list[Level] = strawberry.field(default_factory=list)
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class GamificationPayload:
    gamification: GamificationFacts | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)
