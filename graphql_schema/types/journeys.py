"""A journey's own fields, its reports, and the rows its lists show.

The fields that lead to other object types (its entries, its messages and the
resources they used) are added in `graph.py`, which builds the final `Journey` on
`JourneyFields`; what the reports return is in `journey_reports.py`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Self

import strawberry
from strawberry.types import Info

from backend.models import Entry as EntryModel
from backend.models import Journey as JourneyModel
from backend.models import JourneyVersion as VersionModel
from backend.reports import journey_stats as reports
from backend.reports.journeys import entries_query
from backend.reports.segment_runs import segment_runs
from graphql_schema.context import AppContext
from graphql_schema.ids import encode_id
from graphql_schema.loaders import children, used_resource
from graphql_schema.types.common import (
    JSON,
    Channel,
    EntryStatus,
    JourneyStatus,
    Node,
    Period,
    ReentryMode,
    TriggerKind,
    UserError,
)
from graphql_schema.types.delivery import Resource
from graphql_schema.types.journey_reports import (
    ControlGroupReport,
    DefinitionProblem,
    FunnelRow,
    GroupOutcome,
    JourneyStats,
    JourneyVersion,
    ResourceStats,
    SegmentRun,
    StepCount,
)
from graphql_schema.types.pagination import Page, PageRequest, clamp_first, page_by_id_desc

FromArg = Annotated[datetime | None, strawberry.argument(name="from")]


def window(period: Period | None, frm: datetime | None, to: datetime | None) -> tuple[datetime | None, datetime | None]:
    return reports.window(period.value if period else None, frm, to)


@strawberry.type
class JourneyFields(Node):
    id: strawberry.ID
    name: str
    description: str | None
    tags: list[str]
    access_groups: list[str]
    status: JourneyStatus
    version: int = strawberry.field(description="The published version that new entries start on.")
    trigger_kind: TriggerKind
    reentry_mode: ReentryMode
    freeze_on_stop: bool
    control_group_percent: float
    definition: JSON
    layout: JSON | None = strawberry.field(
        description="Where the journey editor draws each step: {stepId: {x, y}}, saved with "
        "saveJourneyLayout; null until a layout is saved. Not part of the definition."
    )
    created_at: datetime
    updated_at: datetime
    activated_at: datetime | None
    next_run_at: datetime | None
    pk: strawberry.Private[int]

    @classmethod
    def from_model(cls, j: JourneyModel) -> Self:
        return cls(
            id=strawberry.ID(encode_id("Journey", j.id)),
            pk=j.id,
            name=j.name,
            description=j.description,
            tags=list(j.tags or []),
            access_groups=list(j.access_groups or []),
            status=JourneyStatus(j.status),
            version=j.version,
            trigger_kind=TriggerKind(j.trigger_kind),
            reentry_mode=ReentryMode(j.reentry_mode),
            freeze_on_stop=j.freeze_on_stop,
            control_group_percent=j.control_group_percent,
            definition=JSON(j.definition),
            layout=JSON(j.layout) if j.layout is not None else None,
            created_at=j.created_at,
            updated_at=j.updated_at,
            activated_at=j.activated_at,
            next_run_at=j.next_run_at,
        )

    @strawberry.field
    async def problems(self, info: Info) -> list[DefinitionProblem]:
        from backend.lifecycle import problems_of

        principal, groups = info.context.principal, list(self.access_groups)
        found = await info.context.read(lambda s: problems_of(s, self.definition, principal, groups))
        return [DefinitionProblem(step_id=p.step_id, severity=p.severity, message=p.message) for p in found]

    @strawberry.field
    async def stats(
        self, info: Info, period: Period | None = None, from_: FromArg = None, to: datetime | None = None
    ) -> JourneyStats:
        frm, until = window(period, from_, to)
        s = await info.context.read(lambda session: reports.stats(session, self.pk, frm, until))
        return JourneyStats(
            entered=s.entered,
            completed=s.completed,
            converted=s.converted,
            stopped=s.stopped,
            exited=s.exited,
            failed=s.failed,
            errors=s.errors,
            in_progress=s.in_progress,
        )

    @strawberry.field
    async def live_stats(self, info: Info) -> list[StepCount]:
        rows = await info.context.read(lambda session: reports.live_stats(session, session.get(JourneyModel, self.pk)))
        return [StepCount(step_id=r.step_id, name=r.name, kind=r.kind, count=r.count) for r in rows]

    @strawberry.field
    async def funnel(
        self,
        info: Info,
        period: Period | None = None,
        from_: FromArg = None,
        to: datetime | None = None,
        round: int | None = None,
    ) -> list[FunnelRow]:
        frm, until = window(period, from_, to)
        rows = await info.context.read(
            lambda session: reports.funnel(session, session.get(JourneyModel, self.pk), frm, until, round)
        )
        return [FunnelRow(status=r.status, step=r.step, count=r.count) for r in rows]

    @strawberry.field
    async def control_group_report(
        self, info: Info, period: Period | None = None, from_: FromArg = None, to: datetime | None = None
    ) -> ControlGroupReport:
        frm, until = window(period, from_, to)
        r = await info.context.read(lambda session: reports.control_report(session, self.pk, frm, until))

        def outcome(g: reports.Group) -> GroupOutcome:
            return GroupOutcome(entries=g.entries, conversions=g.conversions, conversion_rate=g.rate)

        return ControlGroupReport(
            treatment=outcome(r.treatment),
            control=outcome(r.control),
            uplift=r.uplift,
            uplift_low=r.low,
            uplift_high=r.high,
            significant=r.significant,
        )


async def entries_page(
    info: Info,
    journey_pk: int,
    request: PageRequest,
    *,
    search: str | None,
    period: Period | None,
    status: EntryStatus | None,
    step_id: str | None,
    in_control_group: bool | None,
) -> Page:
    since, _ = window(period, None, None)
    stmt = entries_query(
        journey_pk,
        search=search,
        since=since,
        status=status.value if status else None,
        step_id=step_id,
        in_control_group=in_control_group,
    )
    return await info.context.read(lambda s: page_by_id_desc(s, stmt, EntryModel.id, request))


async def communication_stats_of(
    ctx: AppContext, journey_pk: int, frm: datetime | None, until: datetime | None
) -> list[ResourceStats]:
    rows = await ctx.read(lambda session: reports.communication_stats(session, journey_pk, frm, until))
    out = []
    for r in rows:
        resource = Resource.from_model(await used_resource(ctx).load(r.resource_id))
        out.append(
            ResourceStats(
                resource=resource,
                channel=Channel(r.channel),
                queued=r.queued,
                sent=r.sent,
                delivered=r.delivered,
                opened=r.opened,
                machine_opened=r.machine_opened,
                clicked=r.clicked,
                failed=r.failed,
                suppressed=r.suppressed,
            )
        )
    return out


async def segment_runs_of(ctx: AppContext, journey_pk: int, first: int | None) -> list[SegmentRun]:
    limit = clamp_first(20 if first is None else first)
    rows = await ctx.read(lambda s: segment_runs(s, journey_pk, limit))
    return [
        SegmentRun(
            scheduled_for=r.scheduled_for,
            started_at=r.started_at,
            finished_at=r.finished_at,
            matched=r.matched,
            selected=r.selected,
            entered=r.entered,
            refused=r.refused,
            error=r.error,
        )
        for r in rows
    ]


async def versions_of(ctx: AppContext, journey_pk: int) -> list[JourneyVersion]:
    rows = await children(ctx, VersionModel, "journey_id", "version").load(journey_pk)
    return [
        JourneyVersion(
            version=v.version, definition=v.definition, published_at=v.published_at, published_by=v.published_by
        )
        for v in rows
    ]


@strawberry.input
class JourneyInput:
    name: str
    description: str | None = None
    tags: list[str] | None = None
    access_groups: list[str] | None = None
    reentry_mode: ReentryMode | None = None
    freeze_on_stop: bool | None = None
    control_group_percent: float | None = None
    definition: JSON = strawberry.field(description="The journey-definition document.")


@strawberry.type
class CountPayload:
    count: int = 0
    errors: list[UserError] = strawberry.field(default_factory=list)
