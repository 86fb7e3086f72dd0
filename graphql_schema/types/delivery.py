"""Resources (message templates), a communication's own fields, and pop-ups.

A communication's user, entry and journey are added in `graph.py`, which builds the
final `Communication` on `CommunicationFields`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Self

import strawberry
from strawberry.types import Info

from backend.delivery.render import text_part
from backend.models import Communication as CommunicationModel
from backend.models import Resource as ResourceModel
from graphql_schema.ids import encode_id
from graphql_schema.loaders import used_resource
from graphql_schema.types.common import Channel, DeliveryStatus, Node, UserError


@strawberry.type
class Resource(Node):
    id: strawberry.ID
    name: str
    channel: Channel
    subject: str | None
    body: str
    created_at: datetime
    access_groups: list[str] = strawberry.field(
        description="Operators who may see and edit it: those sharing one of these groups (none: every operator)."
    )

    @classmethod
    def from_model(cls, r: ResourceModel) -> Resource:
        return cls(
            id=strawberry.ID(encode_id("Resource", r.id)),
            name=r.name,
            channel=Channel(r.channel),
            subject=r.subject,
            body=r.body,
            created_at=r.created_at,
            access_groups=list(r.access_groups or []),
        )


@strawberry.type
class CommunicationFields(Node):
    id: strawberry.ID
    channel: Channel
    status: DeliveryStatus
    error: str | None
    queued_at: datetime
    sent_at: datetime | None
    delivered_at: datetime | None
    first_open_at: datetime | None
    machine_opened: bool
    first_click_at: datetime | None
    last_action: str | None
    click_count: int
    subject: str | None = strawberry.field(description="The rendered subject or title (null before rendering).")
    body: str | None = strawberry.field(
        description="The rendered text as sent, before tracking (null before rendering); for email, the text part."
    )
    resource_pk: strawberry.Private[int]
    user_pk: strawberry.Private[int]
    entry_pk: strawberry.Private[int | None]
    journey_pk: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, c: CommunicationModel) -> Self:
        return cls(
            id=strawberry.ID(encode_id("Communication", c.id)),
            channel=Channel(c.channel),
            status=DeliveryStatus(c.status),
            error=c.error,
            queued_at=c.queued_at,
            sent_at=c.sent_at,
            delivered_at=c.delivered_at,
            first_open_at=c.first_open_at,
            machine_opened=c.machine_open_at is not None and c.first_open_at is None,
            first_click_at=c.first_click_at,
            last_action=c.last_action,
            click_count=c.click_count,
            subject=c.subject,
            body=text_part(c.channel, c.body),
            resource_pk=c.resource_id,
            user_pk=c.user_id,
            entry_pk=c.entry_id,
            journey_pk=c.journey_id,
        )

    @strawberry.field
    async def resource(self, info: Info) -> Resource:
        return Resource.from_model(await used_resource(info.context).load(self.resource_pk))


@strawberry.type
class Popup:
    communication_id: strawberry.ID
    title: str | None
    body: str
    sent_at: datetime


@strawberry.input
class ResourceInput:
    name: str
    channel: Channel
    subject: str | None = None
    body: str
    access_groups: list[str] | None = strawberry.field(
        default=None,
        description="Who may see and edit it (see Resource.accessGroups). Left out: a new resource takes its "
        "manager's groups, an edited one keeps its own.",
    )


@strawberry.type
class ResourcePayload:
    resource: Resource | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)
