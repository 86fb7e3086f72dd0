"""Times as callers send them, taken to UTC before anything compares or stores them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import overload

from backend.errors import DomainError


@overload
def to_utc(value: datetime, field: list[str]) -> datetime: ...
@overload
def to_utc(value: None, field: list[str]) -> None: ...
def to_utc(value: datetime | None, field: list[str]) -> datetime | None:
    """`value` in UTC, one without a zone read as UTC. A time that cannot be taken to UTC
    (year 1 or 9999 with an offset) is refused with INVALID_INPUT about `field`."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except (OverflowError, ValueError):
        name = field[-1] if field else "the time"
        raise DomainError(
            "INVALID_INPUT", f"`{name}` {value.isoformat()} is out of range once taken to UTC", field
        ) from None
