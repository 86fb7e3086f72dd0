"""A database that cannot be reached answers 503 with Retry-After, on every HTTP path:
the client may try again shortly, and nothing was written (a unit of work that could
not commit rolled back)."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from backend.persistence.database import RETRY_AFTER_SECONDS, database_unavailable
from graphql_schema.error_codes import UNAVAILABLE, UNAVAILABLE_MESSAGE

log = logging.getLogger(__name__)


def retry_after() -> dict[str, str]:
    return {"Retry-After": str(RETRY_AFTER_SECONDS)}


def answers_unavailable(response_data: Any) -> bool:
    """Whether a GraphQL result holds an error that says the database is unavailable."""
    errors = response_data.get("errors") if isinstance(response_data, dict) else None
    return any(isinstance(e, dict) and (e.get("extensions") or {}).get("code") == UNAVAILABLE for e in errors or ())


async def database_error_handler(request: Request, exc: Exception) -> Response:
    """For errors outside GraphQL's execution (reading the caller's token, /api/events,
    tracking links, receipts); any other database error stays a server error."""
    if not database_unavailable(exc):
        raise exc
    log.warning("the database is unavailable (%s) for %s", type(exc).__name__, request.url.path)
    error = {"code": UNAVAILABLE, "message": UNAVAILABLE_MESSAGE}
    if request.url.path == "/api/events":
        body: dict[str, Any] = {"accepted": 0, "duplicates": 0, "errors": [error]}
    else:
        body = {"errors": [{"message": UNAVAILABLE_MESSAGE, "extensions": {"code": UNAVAILABLE}}]}
    return JSONResponse(body, status_code=503, headers=retry_after())


EXCEPTION_HANDLERS = {SQLAlchemyError: database_error_handler}
