"""Journeys and entries: queries and lifecycle mutations."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from backend import lifecycle as life
from backend.errors import DomainError
from backend.journeys.state import EventFacts
from backend.layouts import save_layout
from backend.processing.preview import PreviewRequest, preview_journey
from backend.reports import journeys as reads
from graphql_schema.ids import decode_any, decode_id
from graphql_schema.payloads import returns_errors
from graphql_schema.types.common import JourneyStatus, ReentryMode, TriggerKind
from graphql_schema.types.graph import Entry, Journey, User
from graphql_schema.types.journey_reports import DefinitionProblem, JourneyPreview
from graphql_schema.types.journeys import CountPayload, JourneyInput
from graphql_schema.types.pagination import Page, PageRequest, connection, page_of_ids
from graphql_schema.types.results import (
    EnterJourneyPayload,
    EntryPayload,
    JourneyConnection,
    JourneyEdge,
    JourneyPayload,
    SegmentPreview,
)
from graphql_schema.types.users import EventInput


def _pk(global_id: str, type_name: str) -> int | None:
    decoded = decode_any(global_id or "")
    return decoded[1] if decoded and decoded[0] == type_name else None


@strawberry.type
class JourneyQuery:
    @strawberry.field
    async def journeys(
        self,
        info: Info,
        first: int | None = 50,
        after: str | None = None,
        search: str | None = None,
        status: JourneyStatus | None = None,
        tag: str | None = None,
        last: int | None = None,
        before: str | None = None,
        trigger_kind: TriggerKind | None = None,
    ) -> JourneyConnection:
        principal = info.context.principal
        request = PageRequest(first=first, after=after, last=last, before=before)

        def load(session):
            ids = reads.visible_journey_ids(
                session,
                principal,
                search=search,
                status=status.value if status else None,
                tag=tag,
                trigger_kind=trigger_kind.value if trigger_kind else None,
            )
            page_ids, has_next, has_previous = page_of_ids(ids, request)
            rows = reads.journeys_by_ids(session, page_ids)
            return Page(rows=rows, has_next=has_next, total=len(ids), has_previous=has_previous)

        return connection(await info.context.read(load), JourneyConnection, JourneyEdge, Journey.from_model)

    @strawberry.field
    async def journey(self, info: Info, id: strawberry.ID) -> Journey | None:
        pk = _pk(id, "Journey")
        if pk is None:
            return None
        row = await info.context.read(lambda s: reads.visible_journey(s, info.context.principal, pk))
        return Journey.from_model(row) if row else None

    @strawberry.field(
        description="What a journey document would do for one user now, writing nothing (the editor's "
        "'test with a user')."
    )
    async def preview_journey(
        self,
        info: Info,
        definition: JSON,
        external_id: str,
        event: EventInput | None = None,
        journey_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="The saved journey the draft belongs to: its re-entry mode, control group and the "
                "user's entries in it are taken into account."
            ),
        ] = None,
        reentry_mode: Annotated[
            ReentryMode | None, strawberry.argument(description="The draft's re-entry mode (default: the journey's).")
        ] = None,
        control_group_percent: Annotated[
            float | None, strawberry.argument(description="The draft's control group (default: the journey's).")
        ] = None,
    ) -> JourneyPreview:
        services = info.context.services.core
        request = PreviewRequest(
            definition=definition,
            external_id=external_id,
            event=_event_facts(event, services.clock()) if event else None,
            journey_id=decode_id(journey_id, "Journey", ["journeyId"]) if journey_id else None,
            reentry_mode=reentry_mode.value if reentry_mode else None,
            control_group_percent=control_group_percent,
        )
        now = services.clock()
        found = await info.context.read(
            lambda s: preview_journey(s, services.settings, info.context.principal, request, now)
        )
        return JourneyPreview.from_preview(found)

    @strawberry.field(
        description="The problems of a journey document, as Journey.problems gives them, without saving it "
        "(the editor checks a draft as it is edited)."
    )
    async def validate_journey(self, info: Info, definition: JSON) -> list[DefinitionProblem]:
        found = await info.context.read(lambda s: life.problems_of(s, definition, info.context.principal))
        return [DefinitionProblem(step_id=p.step_id, severity=p.severity, message=p.message) for p in found]

    @strawberry.field(description="How many users match a segment predicate now, and a few of them.")
    async def preview_segment(self, info: Info, segment: JSON, sample: int | None = 10) -> SegmentPreview:
        from backend.models import utcnow
        from backend.segments.preview import preview_segment

        now = utcnow()
        found = await info.context.read(lambda s: preview_segment(s, segment, sample, now))
        return SegmentPreview(matched=found.matched, sample=[User.from_model(u) for u in found.sample])

    @strawberry.field
    async def entry(self, info: Info, id: strawberry.ID) -> Entry | None:
        pk = _pk(id, "Entry")
        if pk is None:
            return None
        row = await info.context.read(lambda s: reads.visible_entry(s, info.context.principal, pk))
        return Entry.from_model(row) if row else None


def _event_facts(event: EventInput, now: datetime) -> EventFacts:
    if event.properties is not None and not isinstance(event.properties, dict):
        raise DomainError("INVALID_INPUT", "the event's properties must be a JSON object", ["event", "properties"])
    return EventFacts(event.name, event.properties or {}, event.occurred_at or now)


def _input(data: JourneyInput) -> life.JourneyInput:
    return life.JourneyInput(
        name=data.name,
        definition=data.definition,
        description=data.description,
        tags=data.tags,
        access_groups=data.access_groups,
        reentry_mode=data.reentry_mode.value if data.reentry_mode else None,
        freeze_on_stop=data.freeze_on_stop,
        control_group_percent=data.control_group_percent,
    )


@strawberry.type
class JourneyMutation:
    @strawberry.mutation
    @returns_errors(JourneyPayload)
    async def create_journey(self, info: Info, input: JourneyInput) -> JourneyPayload:
        p = info.context.principal
        row = await info.context.write(lambda uow: life.create_journey(uow, principal=p, data=_input(input)))
        return JourneyPayload(journey=Journey.from_model(row))

    @strawberry.mutation
    @returns_errors(JourneyPayload)
    async def update_journey(self, info: Info, id: strawberry.ID, input: JourneyInput) -> JourneyPayload:
        p, q, pk = info.context.principal, info.context.services.queue, decode_id(id, "Journey", ["id"])
        row = await info.context.write(
            lambda uow: life.update_journey(uow, principal=p, journey_id=pk, data=_input(input), queue=q)
        )
        return JourneyPayload(journey=Journey.from_model(row))

    @strawberry.mutation(
        description="Saves where the editor draws each step ({stepId: {x, y}}) for every operator; "
        "the definition and its versions stay as they were."
    )
    @returns_errors(JourneyPayload)
    async def save_journey_layout(self, info: Info, id: strawberry.ID, layout: JSON) -> JourneyPayload:
        p, pk = info.context.principal, decode_id(id, "Journey", ["id"])
        row = await info.context.write(lambda uow: save_layout(uow, principal=p, journey_id=pk, layout=layout))
        return JourneyPayload(journey=Journey.from_model(row))

    @strawberry.mutation
    @returns_errors(JourneyPayload)
    async def activate_journey(self, info: Info, id: strawberry.ID) -> JourneyPayload:
        p, q, pk = info.context.principal, info.context.services.queue, decode_id(id, "Journey", ["id"])
        row = await info.context.write(lambda uow: life.activate_journey(uow, principal=p, journey_id=pk, queue=q))
        return JourneyPayload(journey=Journey.from_model(row))

    @strawberry.mutation
    @returns_errors(JourneyPayload)
    async def stop_journey(
        self,
        info: Info,
        id: strawberry.ID,
        freeze: Annotated[
            bool | None,
            strawberry.argument(
                description="For this stop only: true freezes the running entries, false exits them; "
                "null follows the journey's freezeOnStop."
            ),
        ] = None,
    ) -> JourneyPayload:
        p, pk = info.context.principal, decode_id(id, "Journey", ["id"])
        row = await info.context.write(lambda uow: life.stop_journey(uow, principal=p, journey_id=pk, freeze=freeze))
        return JourneyPayload(journey=Journey.from_model(row))

    @strawberry.mutation
    @returns_errors(JourneyPayload)
    async def clone_journey(self, info: Info, id: strawberry.ID, name: str | None = None) -> JourneyPayload:
        p, pk = info.context.principal, decode_id(id, "Journey", ["id"])
        row = await info.context.write(lambda uow: life.clone_journey(uow, principal=p, journey_id=pk, name=name))
        return JourneyPayload(journey=Journey.from_model(row))

    @strawberry.mutation
    @returns_errors(CountPayload)
    async def delete_journey(self, info: Info, id: strawberry.ID) -> CountPayload:
        p, pk = info.context.principal, decode_id(id, "Journey", ["id"])
        count = await info.context.write(lambda uow: life.delete_journey(uow, principal=p, journey_id=pk))
        return CountPayload(count=count)

    @strawberry.mutation
    @returns_errors(CountPayload)
    async def clear_journey_entries(self, info: Info, id: strawberry.ID) -> CountPayload:
        p, pk = info.context.principal, decode_id(id, "Journey", ["id"])
        count = await info.context.write(lambda uow: life.clear_journey_entries(uow, principal=p, journey_id=pk))
        return CountPayload(count=count)

    @strawberry.mutation
    @returns_errors(EnterJourneyPayload)
    async def enter_journey(
        self, info: Info, journey_id: strawberry.ID, external_ids: list[str], payload: JSON | None = None
    ) -> EnterJourneyPayload:
        p, q, pk = info.context.principal, info.context.services.queue, decode_id(journey_id, "Journey", ["journeyId"])
        rows, refused = await info.context.write(
            lambda uow: life.enter_journey(
                uow, principal=p, journey_id=pk, external_ids=external_ids, payload=payload, queue=q
            )
        )
        return EnterJourneyPayload(entries=[Entry.from_model(r) for r in rows], refused=refused)

    @strawberry.mutation
    @returns_errors(EntryPayload)
    async def stop_entry(self, info: Info, id: strawberry.ID, reason: str | None = None) -> EntryPayload:
        p, pk = info.context.principal, decode_id(id, "Entry", ["id"])
        row = await info.context.write(lambda uow: life.stop_entry(uow, principal=p, entry_id=pk, reason=reason))
        return EntryPayload(entry=Entry.from_model(row))
