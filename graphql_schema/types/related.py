"""The object at the other end of a foreign key, through the request's DataLoaders
(so it has passed the caller's visibility), as its GraphQL type.

The object types refer to one another (a user's entries, an entry's user), as the
graph does; each is imported where it is built, and strawberry resolves the field
types lazily.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from backend.models import Entry as EntryModel
from backend.models import Journey as JourneyModel
from backend.models import User as UserModel
from graphql_schema.context import AppContext
from graphql_schema.loaders import by_id

if TYPE_CHECKING:
    from graphql_schema.types.entries import Entry
    from graphql_schema.types.journeys import Journey
    from graphql_schema.types.users import User


async def user_of(ctx: AppContext, pk: int) -> User:
    from graphql_schema.types.users import User

    return User.from_model(await by_id(ctx, UserModel).load(pk))


async def entry_of(ctx: AppContext, pk: int | None) -> Entry | None:
    from graphql_schema.types.entries import Entry

    row = await by_id(ctx, EntryModel).load(pk) if pk else None
    return Entry.from_model(row) if row else None


async def journey_of(ctx: AppContext, pk: int | None) -> Journey | None:
    from graphql_schema.types.journeys import Journey

    row = await by_id(ctx, JourneyModel).load(pk) if pk else None
    return Journey.from_model(row) if row else None
