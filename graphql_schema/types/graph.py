"""The object types that lead to one another, as the graph does: a user's entries and an
entry's user, a journey's entries and an entry's journey, a message's or a bonus's user
and entry.

Each type's own fields, and the pages of rows its lists show, are in the module of its
area (`users.py`, `entries.py`, `journeys.py`, `delivery.py`, `gamification.py`); this
module adds the fields that reach another object type, so every import points down,
and builds the object at the other end of a foreign key through the request's
DataLoaders (so it has passed the caller's visibility).
"""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from backend.models import Bonus as BonusModel
from backend.models import Communication as CommunicationModel
from backend.models import Entry as EntryModel
from backend.models import Journey as JourneyModel
from backend.models import User as UserModel
from graphql_schema.context import AppContext
from graphql_schema.loaders import by_id, children
from graphql_schema.types import journeys, users
from graphql_schema.types.common import Channel, DeliveryStatus, EntryStatus, PageInfo, Period
from graphql_schema.types.communication_log import communication_page
from graphql_schema.types.delivery import CommunicationFields
from graphql_schema.types.entries import EntryFields, EntryStep, steps_of
from graphql_schema.types.gamification import BonusFields, BonusTemplate, GamificationFacts, facts_of, template_of
from graphql_schema.types.journey_reports import JourneyVersion, ResourceStats, SegmentRun
from graphql_schema.types.journeys import FromArg, JourneyFields
from graphql_schema.types.pagination import PageRequest, connection
from graphql_schema.types.users import EventFields, UserFields


async def user_of(ctx: AppContext, pk: int) -> User:
    return User.from_model(await by_id(ctx, UserModel).load(pk))


async def entry_of(ctx: AppContext, pk: int | None) -> Entry | None:
    row = await by_id(ctx, EntryModel).load(pk) if pk else None
    return Entry.from_model(row) if row else None


async def journey_of(ctx: AppContext, pk: int | None) -> Journey | None:
    row = await by_id(ctx, JourneyModel).load(pk) if pk else None
    return Journey.from_model(row) if row else None


@strawberry.type
class User(UserFields):
    @strawberry.field
    async def entries(
        self,
        info: Info,
        first: int | None = 50,
        after: str | None = None,
        journey_id: strawberry.ID | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> EntryConnection:
        request = PageRequest(first=first, after=after, last=last, before=before)
        page = await users.entries_page(info, self.pk, journey_id, request)
        return connection(page, EntryConnection, EntryEdge, Entry.from_model)

    @strawberry.field
    async def events(
        self,
        info: Info,
        first: int | None = 50,
        after: str | None = None,
        name: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> EventConnection:
        request = PageRequest(first=first, after=after, last=last, before=before)
        page = await users.events_page(info, self.pk, name, request)
        return connection(page, EventConnection, EventEdge, Event.from_model)

    @strawberry.field
    async def communications(
        self,
        info: Info,
        first: int | None = 50,
        after: str | None = None,
        channel: Channel | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> CommunicationConnection:
        request = PageRequest(first=first, after=after, last=last, before=before)
        page = await users.communications_page(info, self.pk, channel, request)
        return connection(page, CommunicationConnection, CommunicationEdge, Communication.from_model)

    @strawberry.field
    async def gamification(self, info: Info) -> GamificationFacts:
        return await facts_of(info.context, self.pk)

    @strawberry.field
    async def bonuses(self, info: Info) -> list[Bonus]:
        """Newest first: manual and mission bonuses, and those of journeys the caller may see."""
        rows = await children(info.context, BonusModel, "user_id", newest_first=True).load(self.pk)
        return [Bonus.from_model(b) for b in rows]


@strawberry.type
class Event(EventFields):
    @strawberry.field
    async def user(self, info: Info) -> User:
        return await user_of(info.context, self.user_pk)


@strawberry.type
class Entry(EntryFields):
    @strawberry.field
    async def journey(self, info: Info) -> Journey:
        journey = await journey_of(info.context, self.journey_pk)
        # An entry is visible exactly when its journey is (backend.auth.visibility).
        assert journey is not None, "a visible entry's journey is visible"
        return journey

    @strawberry.field
    async def user(self, info: Info) -> User:
        return await user_of(info.context, self.user_pk)

    @strawberry.field
    async def steps(self, info: Info) -> list[EntryStep]:
        return await steps_of(info.context, self.pk)

    @strawberry.field
    async def communications(self, info: Info) -> list[Communication]:
        rows = await children(info.context, CommunicationModel, "entry_id").load(self.pk)
        return [Communication.from_model(r) for r in rows]

    @strawberry.field
    async def bonuses(self, info: Info) -> list[Bonus]:
        rows = await children(info.context, BonusModel, "entry_id").load(self.pk)
        return [Bonus.from_model(r) for r in rows]


@strawberry.type
class Journey(JourneyFields):
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
        request = PageRequest(first=first, after=after, last=last, before=before)
        page = await journeys.entries_page(
            info,
            self.pk,
            request,
            search=search,
            period=period,
            status=status,
            step_id=step_id,
            in_control_group=in_control_group,
        )
        return connection(page, EntryConnection, EntryEdge, Entry.from_model)

    @strawberry.field
    async def communication_stats(
        self, info: Info, period: Period | None = None, from_: FromArg = None, to: datetime | None = None
    ) -> list[ResourceStats]:
        frm, until = journeys.window(period, from_, to)
        return await journeys.communication_stats_of(info.context, self.pk, frm, until)

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
        page = await communication_page(
            info,
            PageRequest(first=first, after=after, last=last, before=before),
            journey_id=self.pk,
            resource_name=resource_name,
            channel=channel,
            status=status,
            period=period,
            search=search,
        )
        return connection(page, CommunicationConnection, CommunicationEdge, Communication.from_model)

    @strawberry.field(description="Runs of a SCHEDULED_SEGMENT journey, newest first.")
    async def segment_runs(self, info: Info, first: int | None = 20) -> list[SegmentRun]:
        return await journeys.segment_runs_of(info.context, self.pk, first)

    @strawberry.field
    async def versions(self, info: Info) -> list[JourneyVersion]:
        return await journeys.versions_of(info.context, self.pk)


@strawberry.type
class Communication(CommunicationFields):
    @strawberry.field
    async def user(self, info: Info) -> User:
        return await user_of(info.context, self.user_pk)

    @strawberry.field
    async def entry(self, info: Info) -> Entry | None:
        return await entry_of(info.context, self.entry_pk)

    @strawberry.field
    async def journey(self, info: Info) -> Journey | None:
        return await journey_of(info.context, self.journey_pk)


@strawberry.type
class Bonus(BonusFields):
    @strawberry.field
    async def user(self, info: Info) -> User:
        return await user_of(info.context, self.user_pk)

    @strawberry.field
    async def entry(self, info: Info) -> Entry | None:
        return await entry_of(info.context, self.entry_pk)

    @strawberry.field
    async def template(self, info: Info) -> BonusTemplate:
        return await template_of(info.context, self.template_pk)


@strawberry.type
class EntryEdge:
    cursor: str
    node: Entry


@strawberry.type
class EntryConnection:
    edges: list[EntryEdge]
    page_info: PageInfo
    total_count: int


@strawberry.type
class EventEdge:
    cursor: str
    node: Event


@strawberry.type
class EventConnection:
    edges: list[EventEdge]
    page_info: PageInfo
    total_count: int


@strawberry.type
class CommunicationEdge:
    cursor: str
    node: Communication


@strawberry.type
class CommunicationConnection:
    edges: list[CommunicationEdge]
    page_info: PageInfo
    total_count: int
