"""Errors of query fields as clients can use them: an expected failure (a bad cursor, a
search the server refuses) carries its code in `extensions.code`; anything unexpected
is logged here and reaches the client only as "internal error", never with the text
of the exception (which may hold SQL or a connection string)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from backend.errors import DomainError
from backend.persistence.database import database_unavailable

UNAVAILABLE = "SERVICE_UNAVAILABLE"
UNAVAILABLE_MESSAGE = "the database cannot be reached just now; try again shortly"

log = logging.getLogger(__name__)


def _with_code(error: GraphQLError, message: str, code: str) -> GraphQLError:
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions={**(error.extensions or {}), "code": code},
    )


def client_error(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        return error
    if isinstance(original, DomainError):
        return _with_code(error, original.message, original.code)
    if database_unavailable(original):
        # Logged without the driver's text, which may name the host and user.
        log.warning("the database is unavailable (%s) in %s", type(original).__name__, _path(error))
        return _with_code(error, UNAVAILABLE_MESSAGE, UNAVAILABLE)
    log.error("unexpected error in %s", _path(error), exc_info=(type(original), original, original.__traceback__))
    return _with_code(error, "internal error", "INTERNAL_SERVER_ERROR")


def _path(error: GraphQLError) -> str:
    return ".".join(str(p) for p in error.path or ()) or "the operation"


_INVALID_VALUE = re.compile(r"got invalid value .*?(;|$)", flags=re.S)


def describe_refusal(errors: Sequence[GraphQLError]) -> str:
    """The client's mistakes for a log line: codes and messages, never a value that was sent."""
    parts = []
    for error in errors:
        original = error.original_error
        code = original.code if isinstance(original, DomainError) else (error.extensions or {}).get("code")
        message = _INVALID_VALUE.sub(lambda m: "got an invalid value" + m[1], error.message)[:300]
        parts.append(f"{code or 'GRAPHQL_VALIDATION_FAILED'}: {message}")
    return "; ".join(parts)


def _is_mistake(error: GraphQLError) -> bool:
    original = error.original_error
    expected = original is None or isinstance(original, (GraphQLError, DomainError))
    return expected and (error.extensions or {}).get("code") != "INTERNAL_SERVER_ERROR"


def log_client_errors(errors: Sequence[GraphQLError]) -> None:
    """A client's mistake (a bad cursor, first: -1, an unknown field) is not the server's
    error: one INFO line without a traceback. Unexpected errors were logged, with their
    traceback, where they were turned into INTERNAL_SERVER_ERROR."""
    mistakes = [e for e in errors if _is_mistake(e)]
    if mistakes:
        log.info("request refused: %s", describe_refusal(mistakes))


class ErrorCodes(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = [client_error(e) for e in result.errors]
