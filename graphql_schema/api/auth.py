"""login, me, operators, createOperator."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from backend.auth import service as auth
from backend.models import Operator as OperatorModel
from graphql_schema.payloads import returns_errors
from graphql_schema.types.operators import LoginPayload, Operator, OperatorInput, OperatorPayload


@strawberry.type
class AuthQuery:
    @strawberry.field
    async def me(self, info: Info) -> Operator:
        principal = info.context.principal
        op = await info.context.read(lambda s: s.get(OperatorModel, principal.operator_id))
        return Operator.from_model(op)

    @strawberry.field
    async def operators(self, info: Info) -> list[Operator]:
        ops = await info.context.read(auth.list_operators)
        return [Operator.from_model(op) for op in ops]


@strawberry.type
class AuthMutation:
    @strawberry.mutation
    @returns_errors(LoginPayload)
    async def login(self, info: Info, username: str, password: str) -> LoginPayload:
        signer = info.context.services.signer
        token, op = await info.context.write(
            lambda uow: auth.login(uow, signer=signer, username=username, password=password)
        )
        return LoginPayload(token=token, operator=Operator.from_model(op))

    @strawberry.mutation
    @returns_errors(OperatorPayload)
    async def create_operator(self, info: Info, input: OperatorInput) -> OperatorPayload:
        op = await info.context.write(
            lambda uow: auth.create_operator(
                uow,
                username=input.username,
                password=input.password,
                role=input.role.value,
                access_groups=input.access_groups,
            )
        )
        return OperatorPayload(operator=Operator.from_model(op))
