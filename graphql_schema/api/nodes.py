"""node(id): any object by its global id, with the same visibility as its own query."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from backend import models
from backend.reports import journeys as reads
from graphql_schema.ids import decode_any
from graphql_schema.types.common import Node
from graphql_schema.types.delivery import Communication, Resource
from graphql_schema.types.entries import Entry
from graphql_schema.types.gamification import Badge, Bonus, BonusTemplate, Mission
from graphql_schema.types.journeys import Journey
from graphql_schema.types.operators import Operator
from graphql_schema.types.users import Event, User

# type name -> (model, GraphQL type, does its visibility follow a journey?)
_TYPES = {
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
        if decoded is None:
            return None
        type_name, pk = decoded
        principal = info.context.principal

        def load(session):
            if type_name == "Journey":
                return reads.visible_journey(session, principal, pk)
            if type_name == "Entry":
                return reads.visible_entry(session, principal, pk)
            if type_name == "Communication":
                row = session.get(models.Communication, pk)
                if (
                    row is not None
                    and row.journey_id
                    and reads.visible_journey(session, principal, row.journey_id) is None
                ):
                    return None
                return row
            if type_name == "Operator":
                return session.get(models.Operator, pk) if principal.is_admin or principal.operator_id == pk else None
            if type_name in _TYPES:
                return session.get(_TYPES[type_name][0], pk)
            return None

        row = await info.context.read(load)
        if row is None:
            return None
        cls = {"Journey": Journey, "Entry": Entry, "Communication": Communication, "Operator": Operator}.get(
            type_name
        ) or _TYPES[type_name][1]
        return cls.from_model(row)
