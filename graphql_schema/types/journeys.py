"""Journey and what hangs off it: versions, problems, statistics and reports."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from backend.models import Journey as JourneyModel
from backend.models import JourneyVersion as VersionModel
from backend.reports import journey_stats as reports
from graphql_schema.ids import encode_id
from graphql_schema.loaders import children
from graphql_schema.types.common import (
    JSON,
    Channel,
    DeliveryStatus,
    EntryStatus,
    JourneyStatus,
    Node,
    Period,
    ReentryMode,
    TriggerKind,
    UserError,
)
from graphql_schema.types.connections import CommunicationConnection, EntryConnection

FromArg = Annotated[datetime | None, strawberry.argument(name="from")]
if TYPE_CHECKING:
    from graphql_schema.types.delivery import Resource
    from graphql_schema.types.entries import Entry
    from graphql_schema.types.users import User

ResourceRef = Annotated["Resource", strawberry.lazy("graphql_schema.types.delivery")]
EntryRef = Annotated["Entry", strawberry.lazy("graphql_schema.types.entries")]
UserRef = Annotated["User", strawberry.lazy("graphql_schema.types.users")]


def _window(
    period: Period | None, frm: datetime | None, to: datetime | None
) -> tuple[datetime | None, datetime | None]:
    return reports.window(period.value if period else None, frm, to)


@strawberry.type
class DefinitionProblem:
    step_id: str | None = strawberry.field(description="Step id the problem is about; null for the journey as a whole.")
    severity: str = strawberry.field(
        description="ERROR blocks activation; WARNING does not (an unconfigured step is a WARNING)."
    )
    message: str


@strawberry.type(description="One capture of a scheduled segment.")
class SegmentRun:
    scheduled_for: datetime
    started_at: datetime
    finished_at: datetime | None
    matched: int = strawberry.field(description="Users matching the segment at the run.")
    selected: int = strawberry.field(description="Users drawn by limitPercent.")
    entered: int = strawberry.field(description="Users who entered; the others were refused by the re-entry mode.")
    refused: int
    error: str | None


@strawberry.type
class PreviewStep:
    step_id: str
    kind: str
    outcome: str
    detail: str | None


@strawberry.type
class JourneyPreview:
    steps: list[PreviewStep] = strawberry.field(
        description="The steps the entry would take in its first pass, until a wait, an end or a halt."
    )
    outcome: str = strawberry.field(
        description="WAITING, COMPLETED, EXITED or HALTED after that pass; REFUSED when the trigger or the "
        "re-entry mode would not let the user in."
    )
    blocked_reason: str | None
    problems: list[DefinitionProblem]
    current_step_id: str | None = strawberry.field(
        default=None, description="The step the entry would be at after that pass (waiting or halted there)."
    )
    in_control_group: bool = strawberry.field(
        default=False, description="Whether the entry would be in the control group."
    )

    @classmethod
    def from_preview(cls, found: Any) -> JourneyPreview:
        return cls(
            steps=[
                PreviewStep(step_id=s.step_id, kind=s.kind, outcome=s.outcome, detail=s.detail) for s in found.steps
            ],
            outcome=found.outcome,
            blocked_reason=found.blocked_reason,
            problems=[
                DefinitionProblem(step_id=p.step_id, severity=p.severity, message=p.message) for p in found.problems
            ],
            current_step_id=found.current_step_id,
            in_control_group=found.in_control_group,
        )


@strawberry.type
class SegmentPreview:
    matched: int
    sample: list[UserRef]


@strawberry.type
class JourneyVersion:
    version: int
    definition: JSON
    published_at: datetime | None
    published_by: str | None


@strawberry.type
class JourneyStats:
    entered: int
    completed: int
    converted: int
    stopped: int
    exited: int
    failed: int
    errors: int
    in_progress: int


@strawberry.type
class ResourceStats:
    resource: ResourceRef
    channel: Channel
    queued: int
    sent: int
    delivered: int
    opened: int
    machine_opened: int
    clicked: int
    failed: int
    suppressed: int


@strawberry.type
class StepCount:
    step_id: str
    name: str | None
    kind: str
    count: int


@strawberry.type
class FunnelRow:
    status: str
    step: int
    count: int


@strawberry.type
class GroupOutcome:
    entries: int
    conversions: int
    conversion_rate: float


@strawberry.type
class ControlGroupReport:
    treatment: GroupOutcome
    control: GroupOutcome
    uplift: float | None
    uplift_low: float | None
    uplift_high: float | None
    significant: bool


@strawberry.type
class Journey(Node):
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
    created_at: datetime
    updated_at: datetime
    activated_at: datetime | None
    next_run_at: datetime | None
    pk: strawberry.Private[int]

    @classmethod
    def from_model(cls, j: JourneyModel) -> Journey:
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
        frm, until = _window(period, from_, to)
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
        frm, until = _window(period, from_, to)
        rows = await info.context.read(
            lambda session: reports.funnel(session, session.get(JourneyModel, self.pk), frm, until, round)
        )
        return [FunnelRow(status=r.status, step=r.step, count=r.count) for r in rows]

    @strawberry.field
    async def control_group_report(
        self, info: Info, period: Period | None = None, from_: FromArg = None, to: datetime | None = None
    ) -> ControlGroupReport:
        frm, until = _window(period, from_, to)
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

    @strawberry.field(
        description=(
            "Participants: one row per entry (a user who entered twice has two). search matches internal "
            "username, external id, email or phone. stepId alone lists the entries at that step now (as "
            "liveStats counts them); with a status, the entries of that status whose last step it is."
        )
    )
    async def entries(
        self,
        info: Info,
        first: int | None = 50,
        after: str | None = None,
        search: str | None = None,
        period: Period | None = None,
        status: EntryStatus | None = None,
        step_id: str | None = None,
        in_control_group: bool | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> EntryConnection:
        from backend.models import Entry as EntryModel
        from backend.reports.journeys import entries_query
        from graphql_schema.types.connections import EntryEdge
        from graphql_schema.types.entries import Entry
        from graphql_schema.types.pagination import PageRequest, connection, page_by_id_desc

        since, _ = _window(period, None, None)
        stmt = entries_query(
            self.pk,
            search=search,
            since=since,
            status=status.value if status else None,
            step_id=step_id,
            in_control_group=in_control_group,
        )
        request = PageRequest(first=first, after=after, last=last, before=before)
        page = await info.context.read(lambda s: page_by_id_desc(s, stmt, EntryModel.id, request))
        return connection(page, EntryConnection, EntryEdge, Entry.from_model)

    @strawberry.field
    async def communication_stats(
        self, info: Info, period: Period | None = None, from_: FromArg = None, to: datetime | None = None
    ) -> list[ResourceStats]:
        from graphql_schema.loaders import used_resource
        from graphql_schema.types.delivery import Resource

        frm, until = _window(period, from_, to)
        rows = await info.context.read(lambda session: reports.communication_stats(session, self.pk, frm, until))
        out = []
        for r in rows:
            resource = Resource.from_model(await used_resource(info.context).load(r.resource_id))
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

    @strawberry.field
    async def communications(
        self,
        info: Info,
        first: int | None = 50,
        after: str | None = None,
        resource_name: str | None = None,
        channel: Channel | None = None,
        status: DeliveryStatus | None = None,
        period: Period | None = None,
        search: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> CommunicationConnection:
        from graphql_schema.types.communication_log import communication_page
        from graphql_schema.types.pagination import PageRequest

        return await communication_page(
            info,
            PageRequest(first=first, after=after, last=last, before=before),
            journey_id=self.pk,
            resource_name=resource_name,
            channel=channel,
            status=status,
            period=period,
            search=search,
        )

    @strawberry.field(description="Runs of a SCHEDULED_SEGMENT journey, newest first.")
    async def segment_runs(self, info: Info, first: int | None = 20) -> list[SegmentRun]:
        from backend.reports.segment_runs import segment_runs
        from graphql_schema.types.pagination import clamp_first

        limit = clamp_first(20 if first is None else first)
        rows = await info.context.read(lambda s: segment_runs(s, self.pk, limit))
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

    @strawberry.field
    async def versions(self, info: Info) -> list[JourneyVersion]:
        rows = await children(info.context, VersionModel, "journey_id", "version").load(self.pk)
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
class JourneyPayload:
    journey: Journey | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CountPayload:
    count: int = 0
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class EnterJourneyPayload:
    entries: list[EntryRef] = strawberry.field(default_factory=list)
    refused: int = 0
    errors: list[UserError] = strawberry.field(default_factory=list)
