"""Mutations return their expected failures in the payload, never as server errors."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from backend.errors import DomainError, NotImplementedYet
from graphql_schema.types.common import UserError, user_error

P = TypeVar("P")
log = logging.getLogger(__name__)


def returns_errors(payload_cls: type[P]) -> Callable[[Callable[..., Awaitable[P]]], Callable[..., Awaitable[P]]]:
    """Wrap a mutation resolver: a `DomainError` becomes `payload_cls(errors=[...])`.

    The service raised before its unit of work committed, so nothing was written.
    """

    def decorate(fn: Callable[..., Awaitable[P]]) -> Callable[..., Awaitable[P]]:
        @functools.wraps(fn)
        async def wrapper(*args: Any, **kwargs: Any) -> P:
            try:
                return await fn(*args, **kwargs)
            except DomainError as exc:
                return payload_cls(errors=[user_error(exc)])  # type: ignore[call-arg]

        return wrapper

    return decorate


def not_implemented(what: str) -> UserError:
    return user_error(NotImplementedYet(what))


def raise_not_implemented(what: str) -> Any:
    """For query fields that a later piece of work fills in: a clear error, never fake data."""
    from graphql import GraphQLError

    raise GraphQLError(f"{what} is not implemented yet", extensions={"code": "NOT_IMPLEMENTED"})
