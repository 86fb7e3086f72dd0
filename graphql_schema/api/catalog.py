"""Resources, bonus templates, badges, missions and levels: the catalog root fields."""

from __future__ import annotations

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from backend import catalog
from backend.delivery.preview import preview_text
from backend.models import Badge as BadgeModel
from backend.models import BonusTemplate as BonusTemplateModel
from backend.models import Level as LevelModel
from backend.models import Mission as MissionModel
from backend.models import Resource as ResourceModel
from graphql_schema.ids import decode_id
from graphql_schema.payloads import returns_errors
from graphql_schema.types.common import Channel
from graphql_schema.types.delivery import Resource, ResourceInput, ResourcePayload
from graphql_schema.types.gamification import (
    Badge,
    BadgeInput,
    BadgePayload,
    BonusTemplate,
    BonusTemplateInput,
    BonusTemplatePayload,
    Level,
    LevelInput,
    LevelsPayload,
    Mission,
    MissionInput,
    MissionPayload,
)


@strawberry.type(description="A resource's subject and text rendered for one user.")
class ResourcePreview:
    subject: str | None
    body: str | None
    error: str | None = strawberry.field(
        default=None, description="The template's error in words; subject and body are then null."
    )


@strawberry.type
class CatalogQuery:
    @strawberry.field(
        description="A resource's subject and text as this user would get them, before it is saved; nothing is "
        "written or sent. payload stands for the capture's properties (event.properties in the template)."
    )
    async def preview_resource(
        self, info: Info, input: ResourceInput, external_id: str, payload: JSON | None = None
    ) -> ResourcePreview:
        def run(session):
            return preview_text(
                session,
                channel=input.channel.value,
                subject=input.subject,
                body=input.body,
                external_id=external_id,
                payload=payload,
            )

        text = await info.context.read(run)
        return ResourcePreview(subject=text.subject, body=text.body, error=text.error)

    @strawberry.field
    async def resources(self, info: Info, channel: Channel | None = None) -> list[Resource]:
        def visible(session):
            return info.context.visibility(session).keep(catalog.list_all(session, ResourceModel, ResourceModel.name))

        rows = await info.context.read(visible)
        return [Resource.from_model(r) for r in rows if channel is None or r.channel == channel.value]

    @strawberry.field
    async def bonus_templates(self, info: Info) -> list[BonusTemplate]:
        rows = await info.context.read(lambda s: catalog.list_all(s, BonusTemplateModel, BonusTemplateModel.name))
        return [BonusTemplate.from_model(r) for r in rows]

    @strawberry.field
    async def badges(self, info: Info) -> list[Badge]:
        rows = await info.context.read(lambda s: catalog.list_all(s, BadgeModel, BadgeModel.name))
        return [Badge.from_model(r) for r in rows]

    @strawberry.field
    async def missions(self, info: Info) -> list[Mission]:
        rows = await info.context.read(lambda s: catalog.list_all(s, MissionModel, MissionModel.name))
        return [Mission.from_model(r) for r in rows]

    @strawberry.field
    async def levels(self, info: Info) -> list[Level]:
        rows = await info.context.read(lambda s: catalog.list_all(s, LevelModel, LevelModel.threshold))
        return [Level(name=r.name, threshold=r.threshold) for r in rows]


@strawberry.type
class CatalogMutation:
    @strawberry.mutation
    @returns_errors(ResourcePayload)
    async def create_resource(self, info: Info, input: ResourceInput) -> ResourcePayload:
        row = await info.context.write(
            lambda uow: catalog.create_resource(
                uow,
                principal=info.context.principal,
                name=input.name,
                channel=input.channel.value,
                subject=input.subject,
                body=input.body,
                access_groups=input.access_groups,
            )
        )
        return ResourcePayload(resource=Resource.from_model(row))

    @strawberry.mutation
    @returns_errors(ResourcePayload)
    async def update_resource(self, info: Info, id: strawberry.ID, input: ResourceInput) -> ResourcePayload:
        pk = decode_id(id, "Resource", ["id"])
        row = await info.context.write(
            lambda uow: catalog.update_resource(
                uow,
                principal=info.context.principal,
                resource_id=pk,
                name=input.name,
                channel=input.channel.value,
                subject=input.subject,
                body=input.body,
                access_groups=input.access_groups,
            )
        )
        return ResourcePayload(resource=Resource.from_model(row))

    @strawberry.mutation
    @returns_errors(BonusTemplatePayload)
    async def create_bonus_template(self, info: Info, input: BonusTemplateInput) -> BonusTemplatePayload:
        row = await info.context.write(
            lambda uow: catalog.create_bonus_template(
                uow, name=input.name, kind=input.kind, amount=input.amount, currency=input.currency
            )
        )
        return BonusTemplatePayload(bonus_template=BonusTemplate.from_model(row))

    @strawberry.mutation
    @returns_errors(BadgePayload)
    async def create_badge(self, info: Info, input: BadgeInput) -> BadgePayload:
        row = await info.context.write(
            lambda uow: catalog.create_badge(uow, name=input.name, description=input.description, rule=input.rule)
        )
        return BadgePayload(badge=Badge.from_model(row))

    @strawberry.mutation
    @returns_errors(MissionPayload)
    async def create_mission(self, info: Info, input: MissionInput) -> MissionPayload:
        row = await info.context.write(
            lambda uow: catalog.create_mission(
                uow,
                name=input.name,
                description=input.description,
                goal=input.goal,
                reward=input.reward,
                starts_at=input.starts_at,
                ends_at=input.ends_at,
            )
        )
        return MissionPayload(mission=Mission.from_model(row))

    @strawberry.mutation
    @returns_errors(LevelsPayload)
    async def set_levels(self, info: Info, levels: list[LevelInput]) -> LevelsPayload:
        rows = await info.context.write(
            lambda uow: catalog.set_levels(uow, levels=[(lv.name, lv.threshold) for lv in levels])
        )
        return LevelsPayload(levels=[Level(name=r.name, threshold=r.threshold) for r in rows])
