"""The user's and the event's own fields, and the pages of rows a user's lists show.

The fields that lead to other object types (a user's entries, an event's user) are
added in `graph.py`, which builds the final `User` and `Event` on these classes.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Self

import strawberry
from strawberry.types import Info

from backend.models import Communication as CommunicationModel
from backend.models import Entry as EntryModel
from backend.models import Event as EventModel
from backend.models import User as UserModel
from backend.reports import journeys as reads
from backend.users.validation import MAX_TOTAL
from graphql_schema.ids import decode_any, encode_id
from graphql_schema.types.common import JSON, Channel, Node, UserError
from graphql_schema.types.pagination import Page, PageRequest, page_by_id_desc


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
class UserFields(Node):
    """User (the marketing profile) without its edges."""

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
    def from_model(cls, u: UserModel) -> Self:
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


@strawberry.type
class EventFields(Node):
    """An event a user did, without its user."""

    id: strawberry.ID
    event_id: str
    name: str
    occurred_at: datetime
    properties: JSON
    user_pk: strawberry.Private[int]

    @classmethod
    def from_model(cls, e: EventModel) -> Self:
        return cls(
            id=strawberry.ID(encode_id("Event", e.id)),
            event_id=e.event_id,
            name=e.name,
            occurred_at=e.occurred_at,
            properties=JSON(e.properties or {}),
            user_pk=e.user_id,
        )


async def entries_page(info: Info, user_pk: int, journey_id: strawberry.ID | None, request: PageRequest) -> Page:
    """A user's entries the caller may see, of one journey when `journey_id` is given."""
    decoded = decode_any(journey_id) if journey_id is not None else None
    jid = decoded[1] if decoded and decoded[0] == "Journey" else (-1 if journey_id is not None else None)
    principal = info.context.principal
    return await info.context.read(
        lambda s: page_by_id_desc(s, reads.user_entries_query(s, principal, user_pk, jid), EntryModel.id, request)
    )


async def events_page(info: Info, user_pk: int, name: str | None, request: PageRequest) -> Page:
    return await info.context.read(
        lambda s: page_by_id_desc(s, reads.user_events_query(user_pk, name), EventModel.id, request)
    )


async def communications_page(info: Info, user_pk: int, channel: Channel | None, request: PageRequest) -> Page:
    principal = info.context.principal
    return await info.context.read(
        lambda s: page_by_id_desc(
            s,
            reads.user_communications_query(s, principal, user_pk, channel.value if channel else None),
            CommunicationModel.id,
            request,
        )
    )


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
