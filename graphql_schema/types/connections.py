"""Relay connections of the contract, each named as the contract names it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from graphql_schema.types.common import PageInfo

if TYPE_CHECKING:
    from graphql_schema.types.delivery import Communication
    from graphql_schema.types.entries import Entry
    from graphql_schema.types.journeys import Journey
    from graphql_schema.types.users import Event, User

JourneyRef = Annotated["Journey", strawberry.lazy("graphql_schema.types.journeys")]
EntryRef = Annotated["Entry", strawberry.lazy("graphql_schema.types.entries")]
UserRef = Annotated["User", strawberry.lazy("graphql_schema.types.users")]
EventRef = Annotated["Event", strawberry.lazy("graphql_schema.types.users")]
CommunicationRef = Annotated["Communication", strawberry.lazy("graphql_schema.types.delivery")]


@strawberry.type
class JourneyEdge:
    cursor: str
    node: JourneyRef


@strawberry.type
class JourneyConnection:
    edges: list[JourneyEdge]
    page_info: PageInfo
    total_count: int


@strawberry.type
class EntryEdge:
    cursor: str
    node: EntryRef


@strawberry.type
class EntryConnection:
    edges: list[EntryEdge]
    page_info: PageInfo
    total_count: int


@strawberry.type
class UserEdge:
    cursor: str
    node: UserRef


@strawberry.type
class UserConnection:
    edges: list[UserEdge]
    page_info: PageInfo
    total_count: int


@strawberry.type
class EventEdge:
    cursor: str
    node: EventRef


@strawberry.type
class EventConnection:
    edges: list[EventEdge]
    page_info: PageInfo
    total_count: int


@strawberry.type
class CommunicationEdge:
    cursor: str
    node: CommunicationRef


@strawberry.type
class CommunicationConnection:
    edges: list[CommunicationEdge]
    page_info: PageInfo
    total_count: int
