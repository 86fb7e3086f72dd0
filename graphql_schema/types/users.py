"""User (the marketing profile) and the events a user did."""

from __future__ import annotations

import math
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from backend.models import Event as EventModel
from backend.models import User as UserModel
from backend.reports import journeys as reads
from backend.users.validation import MAX_TOTAL
from graphql_schema.ids import encode_id
from graphql_schema.loaders import children
from graphql_schema.types.common import JSON, Channel, Node, UserError
from graphql_schema.types.connections import CommunicationConnection, EntryConnection, EventConnection
from graphql_schema.types.pagination import PageRequest, connection, page_by_id_desc
from graphql_schema.types.related import user_of

if TYPE_CHECKING:
    from graphql_schema.types.gamification import Bonus, GamificationFacts

GamificationFactsRef = Annotated["GamificationFacts", strawberry.lazy("graphql_schema.types.gamification")]
BonusRef = Annotated["Bonus", strawberry.lazy("graphql_schema.types.gamification")]


@strawberry.type
class FinancialSummary:
    deposit_count: int
    deposit_total: float
    withdrawal_total: float
    last_deposit_at: datetime | None


def _finite(total: float | None) -> float:
    """A stored total as GraphQL's Float can carry it: an infinity that an older version
    could store on SQLite is served as the bound totals are now kept within."""
    value = float(total or 0)
    return value if math.isfinite(value) else math.copysign(MAX_TOTAL, value)


@strawberry.type
class User(Node):
    id: strawberry.ID
    external_id: str
    username: str | None
    email: str | None
    phone: str | None
    timezone: str | None
    attributes: JSON
    opt_outs: list[Channel]
    created_at: datetime
    pk: strawberry.Private[int]
    financial: FinancialSummary

    @classmethod
    def from_model(cls, u: UserModel) -> User:
        return cls(
            id=strawberry.ID(encode_id("User", u.id)),
            pk=u.id,
            external_id=u.external_id,
            username=u.username,
            email=u.email,
            phone=u.phone,
            timezone=u.timezone,
            attributes=JSON(u.attributes or {}),
            opt_outs=[Channel(c) for c in (u.opt_outs or [])],
            created_at=u.created_at,
            financial=FinancialSummary(
                deposit_count=u.deposit_count,
                deposit_total=_finite(u.deposit_total),
                withdrawal_total=_finite(u.withdrawal_total),
                last_deposit_at=u.last_deposit_at,
            ),
        )

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
        from backend.models import Entry as EntryModel
        from graphql_schema.ids import decode_any
        from graphql_schema.types.connections import EntryEdge
        from graphql_schema.types.entries import Entry

        decoded = decode_any(journey_id) if journey_id is not None else None
        jid = decoded[1] if decoded and decoded[0] == "Journey" else (-1 if journey_id is not None else None)
        principal = info.context.principal
        request = PageRequest(first=first, after=after, last=last, before=before)
        page = await info.context.read(
            lambda s: page_by_id_desc(s, reads.user_entries_query(s, principal, self.pk, jid), EntryModel.id, request)
        )
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
        from graphql_schema.types.connections import EventEdge

        request = PageRequest(first=first, after=after, last=last, before=before)
        page = await info.context.read(
            lambda s: page_by_id_desc(s, reads.user_events_query(self.pk, name), EventModel.id, request)
        )
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
        from backend.models import Communication as CommunicationModel
        from graphql_schema.types.connections import CommunicationEdge
        from graphql_schema.types.delivery import Communication

        principal = info.context.principal
        request = PageRequest(first=first, after=after, last=last, before=before)
        page = await info.context.read(
            lambda s: page_by_id_desc(
                s,
                reads.user_communications_query(s, principal, self.pk, channel.value if channel else None),
                CommunicationModel.id,
                request,
            )
        )
        return connection(page, CommunicationConnection, CommunicationEdge, Communication.from_model)

    @strawberry.field
    async def gamification(self, info: Info) -> GamificationFactsRef:
        from backend.gamification import points
        from graphql_schema.types.gamification import GamificationFacts

        return GamificationFacts.from_facts(await info.context.read(lambda s: points.facts(s, self.pk)))

    @strawberry.field
    async def bonuses(self, info: Info) -> list[BonusRef]:
        """Newest first: manual and mission bonuses, and those of journeys the caller may see."""
        from backend.models import Bonus as BonusModel
        from graphql_schema.types.gamification import Bonus

        rows = await children(info.context, BonusModel, "user_id", newest_first=True).load(self.pk)
        return [Bonus.from_model(b) for b in rows]


@strawberry.type
class Event(Node):
    id: strawberry.ID
    event_id: str
    name: str
    occurred_at: datetime
    properties: JSON
    user_pk: strawberry.Private[int]

    @classmethod
    def from_model(cls, e: EventModel) -> Event:
        return cls(
            id=strawberry.ID(encode_id("Event", e.id)),
            event_id=e.event_id,
            name=e.name,
            occurred_at=e.occurred_at,
            properties=JSON(e.properties or {}),
            user_pk=e.user_id,
        )

    @strawberry.field
    async def user(self, info: Info) -> User:
        return await user_of(info.context, self.user_pk)


@strawberry.input
class UserInput:
    external_id: str
    username: str | None = None
    email: str | None = None
    phone: str | None = None
    timezone: str | None = None
    attributes: JSON | None = strawberry.field(
        default=None, description="Merged into the stored attributes; a null value removes the key."
    )
    opt_outs: list[Channel] | None = None


@strawberry.input
class EventInput:
    event_id: str
    external_id: str
    name: str
    occurred_at: datetime | None = None
    properties: JSON | None = None


@strawberry.type
class UpsertUsersPayload:
    created: int = 0
    updated: int = 0
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class TrackEventsPayload:
    accepted: int = 0
    duplicates: int = 0
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class UserTokenPayload:
    token: str | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)
