"""login, me, operators, createOperator."""

from __future__ import annotations

import strawberry
from anyio import to_thread
from starlette.responses import Response
from strawberry.types import Info

from backend.auth import service as auth
from backend.auth.throttle import LoginThrottle, TooManyAttempts
from backend.models import Operator as OperatorModel
from graphql_schema.payloads import returns_errors
from graphql_schema.types.operators import LoginPayload, Operator, OperatorInput, OperatorPayload


def client_address(request) -> str:
    """The peer's address as the server sees it (a proxy in front should pass the
    client's own, e.g. uvicorn's --proxy-headers with --forwarded-allow-ips)."""
    client = getattr(request, "client", None)
    return client.host if client is not None and client.host else "unknown"


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
        services = info.context.services
        throttle = LoginThrottle.from_settings(services.settings)
        address = client_address(info.context.request)
        try:
            token, op = await to_thread.run_sync(
                lambda: auth.throttled_login(
                    services.db, throttle, signer=services.signer, username=username, password=password, address=address
                )
            )
        except TooManyAttempts as exc:
            if isinstance(info.context.response, Response):  # not over a WebSocket
                info.context.response.headers["Retry-After"] = str(exc.retry_after_seconds)
            raise
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
