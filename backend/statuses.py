"""Every stored status, in one place: the values a status column may hold (its CHECK
constraint is built from the same enum) and the groups the engine reads them in.

The members are `StrEnum`s, so `EntryStatus.ACTIVE == "ACTIVE"` and a status read from
the database compares with them as it is.
"""

from __future__ import annotations

from enum import StrEnum


class JourneyStatus(StrEnum):
    DRAFT = "DRAFT"
    ACTIVE = "ACTIVE"
    STOPPED = "STOPPED"
    ARCHIVED = "ARCHIVED"


class EntryStatus(StrEnum):
    ACTIVE = "ACTIVE"
    WAITING = "WAITING"
    HALTED = "HALTED"
    FROZEN = "FROZEN"
    COMPLETED = "COMPLETED"
    STOPPED = "STOPPED"
    EXITED = "EXITED"
    FAILED = "FAILED"


class DeliveryStatus(StrEnum):
    """A communication's."""

    QUEUED = "QUEUED"
    SENDING = "SENDING"
    SENT = "SENT"
    DELIVERED = "DELIVERED"
    FAILED = "FAILED"
    BOUNCED = "BOUNCED"
    SUPPRESSED = "SUPPRESSED"


class BonusStatus(StrEnum):
    PENDING = "PENDING"
    GRANTED = "GRANTED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"


class WebhookCallStatus(StrEnum):
    PENDING = "PENDING"
    SENT = "SENT"
    FAILED = "FAILED"


# An entry still in its journey (FROZEN ones wait for the journey to be activated again) ...
RUNNING: tuple[str, ...] = (EntryStatus.ACTIVE, EntryStatus.WAITING, EntryStatus.HALTED, EntryStatus.FROZEN)
# ... of which these move: a stop freezes or ends them.
MOVING: tuple[str, ...] = (EntryStatus.ACTIVE, EntryStatus.WAITING, EntryStatus.HALTED)
# An entry whose round is over.
ENDED: tuple[str, ...] = (EntryStatus.COMPLETED, EntryStatus.STOPPED, EntryStatus.EXITED, EntryStatus.FAILED)


def check_in(column: str, values: type[StrEnum], *, nullable: bool = False) -> str:
    """SQL for a CHECK constraint: `column` holds one of `values` (or NULL if `nullable`)."""
    allowed = ", ".join(f"'{v.value}'" for v in values)
    test = f"{column} IN ({allowed})"
    return f"{column} IS NULL OR {test}" if nullable else test
