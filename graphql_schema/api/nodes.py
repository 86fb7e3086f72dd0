"""node(id): any object by its global id, seen through the same loaders (and so the same
visibility) as when it is reached through any other field."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from backend import models
from graphql_schema.ids import decode_any
from graphql_schema.loaders import by_id
from graphql_schema.types.common import Node
from graphql_schema.types.delivery import Resource
from graphql_schema.types.gamification import Badge, BonusTemplate, Mission
from graphql_schema.types.graph import Bonus, Communication, Entry, Event, Journey, User
from graphql_schema.types.operators import Operator

# type name -> (model, GraphQL type)
_TYPES: dict[str, tuple[Any, Any]] = {
    "Journey": (models.Journey, Journey),
    "Entry": (models.Entry, Entry),
    "Communication": (models.Communication, Communication),
    "Operator": (models.Operator, Operator),
    "User": (models.User, User),
    "Event": (models.Event, Event),
    "Resource": (models.Resource, Resource),
    "BonusTemplate": (models.BonusTemplate, BonusTemplate),
    "Badge": (models.Badge, Badge),
    "Mission": (models.Mission, Mission),
    "Bonus": (models.Bonus, Bonus),
}


@strawberry.type
class NodeQuery:
    @strawberry.field
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        decoded = decode_any(id)
        if decoded is None or decoded[0] not in _TYPES:
            return None
        model, cls = _TYPES[decoded[0]]
        row = await by_id(info.context, model).load(decoded[1])
        return cls.from_model(row) if row is not None else None
