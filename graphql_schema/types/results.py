"""What root fields return around the object types of `graph.py`: the connections of the
root lists (journeys, users), mutation payloads, leaderboard rows and segment previews.

The connections that object types return themselves (a user's entries, events and
messages) are in `graph.py`.
"""

from __future__ import annotations

import strawberry

from graphql_schema.types.common import PageInfo, UserError
from graphql_schema.types.graph import Bonus, Communication, Entry, Journey, User


@strawberry.type
class JourneyEdge:
    cursor: str
    node: Journey


@strawberry.type
class JourneyConnection:
    edges: list[JourneyEdge]
    page_info: PageInfo
    total_count: int


@strawberry.type
class UserEdge:
    cursor: str
    node: User


@strawberry.type
class UserConnection:
    edges: list[UserEdge]
    page_info: PageInfo
    total_count: int


@strawberry.type
class SegmentPreview:
    matched: int
    sample: list[User]


@strawberry.type
class LeaderboardRow:
    rank: int
    user: User
    points: int


@strawberry.type
class JourneyPayload:
    journey: Journey | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class EnterJourneyPayload:
    entries: list[Entry] = strawberry.field(default_factory=list)
    refused: int = 0
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class EntryPayload:
    entry: Entry | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CommunicationPayload:
    communication: Communication | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class BonusPayload:
    bonus: Bonus | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)
