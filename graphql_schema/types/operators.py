from __future__ import annotations

import strawberry

from backend.models import Operator as OperatorModel
from graphql_schema.ids import encode_id
from graphql_schema.types.common import Node, Role, UserError


@strawberry.type
class Operator(Node):
    id: strawberry.ID
    username: str
    role: Role
    access_groups: list[str]

    @classmethod
    def from_model(cls, op: OperatorModel) -> Operator:
        return cls(
            id=strawberry.ID(encode_id("Operator", op.id)),
            username=op.username,
            role=Role(op.role),
            access_groups=list(op.access_groups or []),
        )


@strawberry.input
class OperatorInput:
    username: str
    password: str
    role: Role
    access_groups: list[str] | None = None


@strawberry.type
class LoginPayload:
    token: str | None = None
    operator: Operator | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class OperatorPayload:
    operator: Operator | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)
