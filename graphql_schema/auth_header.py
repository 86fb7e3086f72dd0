"""Reading who is asking from a request's Authorization header."""

from __future__ import annotations

from anyio import to_thread

from backend.auth.policy import Principal
from backend.auth.service import resolve_operator_token
from graphql_schema.context import Services


def bearer_token(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


async def principal_from_header(services: Services, authorization: str | None) -> Principal | None:
    token = bearer_token(authorization)
    if token is None or services.signer.read_operator_token(token) is None:
        return None

    def lookup() -> Principal | None:
        with services.db.read() as session:
            return resolve_operator_token(session, signer=services.signer, token=token)

    return await to_thread.run_sync(lookup)
