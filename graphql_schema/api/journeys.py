"""Journeys and entries: queries and lifecycle mutations."""
from __future__ import annotations


import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from backend.reports import journeys as reads
from graphql_schema.ids import decode_any
from graphql_schema.pagination import clamp_first, decode_cursor, encode_cursor
from graphql_schema.payloads import not_implemented
from graphql_schema.types.common import JourneyStatus, PageInfo
from graphql_schema.types.connections import JourneyConnection, JourneyEdge
from graphql_schema.types.entries import Entry, EntryPayload
from graphql_schema.types.journeys import CountPayload, EnterJourneyPayload, Journey, JourneyInput, JourneyPayload


def _pk(global_id: str, type_name: str) -> int | None:
    decoded = decode_any(global_id or "")
    return decoded[1] if decoded and decoded[0] == type_name else None


@strawberry.type
class JourneyQuery:
    @strawberry.field
    async def journeys(
        self, info: Info, first: int | None = 50, after: str | None = None, search: str | None = None,
        status: JourneyStatus | None = None, tag: str | None = None,
    ) -> JourneyConnection:
        principal = info.context.principal
        limit = clamp_first(first)
        last = decode_cursor(after)

        def load(session):
            ids = reads.visible_journey_ids(session, principal, search=search, status=status.value if status else None, tag=tag)
            rest = [i for i in ids if last is None or i < last]
            return len(ids), reads.journeys_by_ids(session, rest[:limit]), len(rest) > limit

        total, rows, has_next = await info.context.read(load)
        edges = [JourneyEdge(cursor=encode_cursor(j.id), node=Journey.from_model(j)) for j in rows]
        return JourneyConnection(
            edges=edges, total_count=total,
            page_info=PageInfo(has_next_page=has_next, end_cursor=edges[-1].cursor if edges else None),
        )

    @strawberry.field
    async def journey(self, info: Info, id: strawberry.ID) -> Journey | None:
        pk = _pk(id, "Journey")
        if pk is None:
            return None
        row = await info.context.read(lambda s: reads.visible_journey(s, info.context.principal, pk))
        return Journey.from_model(row) if row else None

    @strawberry.field
    async def entry(self, info: Info, id: strawberry.ID) -> Entry | None:
        pk = _pk(id, "Entry")
        if pk is None:
            return None
        row = await info.context.read(lambda s: reads.visible_entry(s, info.context.principal, pk))
        return Entry.from_model(row) if row else None


# The lifecycle mutations below are the journey engine's; until it is served they
# answer NOT_IMPLEMENTED and write nothing.
@strawberry.type
class JourneyMutation:
    @strawberry.mutation
    async def create_journey(self, info: Info, input: JourneyInput) -> JourneyPayload:
        return JourneyPayload(errors=[not_implemented("createJourney")])

    @strawberry.mutation
    async def update_journey(self, info: Info, id: strawberry.ID, input: JourneyInput) -> JourneyPayload:
        return JourneyPayload(errors=[not_implemented("updateJourney")])

    @strawberry.mutation
    async def activate_journey(self, info: Info, id: strawberry.ID) -> JourneyPayload:
        return JourneyPayload(errors=[not_implemented("activateJourney")])

    @strawberry.mutation
    async def stop_journey(self, info: Info, id: strawberry.ID) -> JourneyPayload:
        return JourneyPayload(errors=[not_implemented("stopJourney")])

    @strawberry.mutation
    async def clone_journey(self, info: Info, id: strawberry.ID, name: str | None = None) -> JourneyPayload:
        return JourneyPayload(errors=[not_implemented("cloneJourney")])

    @strawberry.mutation
    async def delete_journey(self, info: Info, id: strawberry.ID) -> CountPayload:
        return CountPayload(errors=[not_implemented("deleteJourney")])

    @strawberry.mutation
    async def clear_journey_entries(self, info: Info, id: strawberry.ID) -> CountPayload:
        return CountPayload(errors=[not_implemented("clearJourneyEntries")])

    @strawberry.mutation
    async def enter_journey(
        self, info: Info, journey_id: strawberry.ID, external_ids: list[str], payload: JSON | None = None
    ) -> EnterJourneyPayload:
        return EnterJourneyPayload(errors=[not_implemented("enterJourney")])

    @strawberry.mutation
    async def stop_entry(self, info: Info, id: strawberry.ID, reason: str | None = None) -> EntryPayload:
        return EntryPayload(errors=[not_implemented("stopEntry")])
