"""Types shared by every area: Node, PageInfo, UserError, enums and the JSON scalar."""

from __future__ import annotations

from enum import Enum

import strawberry
from strawberry.scalars import JSON

from backend.errors import DomainError

__all__ = [
    "JSON",
    "BonusStatus",
    "Channel",
    "DeliveryStatus",
    "EntryStatus",
    "JourneyStatus",
    "Node",
    "PageInfo",
    "Period",
    "PopupAction",
    "ReentryMode",
    "Role",
    "TriggerKind",
    "UserError",
    "user_error",
]


@strawberry.interface
class Node:
    id: strawberry.ID


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool = False
    start_cursor: str | None = None
    end_cursor: str | None = None


@strawberry.type
class UserError:
    field: list[str] | None = strawberry.field(
        default=None,
        description="The input field the error is about, as a path, e.g. ['input', 'definition', 'steps', '2'].",
    )
    message: str
    code: str = strawberry.field(
        description="Stable machine-readable code, e.g. NOT_FOUND, INVALID_DEFINITION, FORBIDDEN, CONFLICT."
    )
    retry_after_seconds: int | None = strawberry.field(
        default=None, description="With TOO_MANY_ATTEMPTS: how many seconds to wait before trying again."
    )


def user_error(exc: DomainError) -> UserError:
    return UserError(
        field=exc.field,
        message=exc.message,
        code=exc.code,
        retry_after_seconds=getattr(exc, "retry_after_seconds", None),
    )


@strawberry.enum
class Role(Enum):
    ADMIN = "ADMIN"
    MANAGER = "MANAGER"
    ANALYST = "ANALYST"


@strawberry.enum
class Channel(Enum):
    EMAIL = "EMAIL"
    SMS = "SMS"
    POPUP = "POPUP"
    PUSH = "PUSH"
    IVR = "IVR"


@strawberry.enum
class JourneyStatus(Enum):
    DRAFT = "DRAFT"
    ACTIVE = "ACTIVE"
    STOPPED = "STOPPED"
    ARCHIVED = "ARCHIVED"


@strawberry.enum(description="What happens when a user who already entered a journey is captured again.")
class ReentryMode(Enum):
    ONCE = "ONCE"
    NOT_WHILE_ACTIVE = "NOT_WHILE_ACTIVE"
    RESTART = "RESTART"
    EVERY_ENTRY = "EVERY_ENTRY"


@strawberry.enum
class TriggerKind(Enum):
    API = "API"
    EVENT = "EVENT"
    SCHEDULED_SEGMENT = "SCHEDULED_SEGMENT"


@strawberry.enum
class EntryStatus(Enum):
    ACTIVE = "ACTIVE"
    WAITING = "WAITING"
    HALTED = "HALTED"
    FROZEN = "FROZEN"
    COMPLETED = "COMPLETED"
    STOPPED = "STOPPED"
    EXITED = "EXITED"
    FAILED = "FAILED"


@strawberry.enum
class DeliveryStatus(Enum):
    QUEUED = "QUEUED"
    SENDING = "SENDING"
    SENT = "SENT"
    DELIVERED = "DELIVERED"
    FAILED = "FAILED"
    BOUNCED = "BOUNCED"
    SUPPRESSED = "SUPPRESSED"


@strawberry.enum
class BonusStatus(Enum):
    PENDING = "PENDING"
    GRANTED = "GRANTED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"


@strawberry.enum
class Period(Enum):
    LAST_24_HOURS = "LAST_24_HOURS"
    LAST_7_DAYS = "LAST_7_DAYS"
    LAST_14_DAYS = "LAST_14_DAYS"
    LAST_30_DAYS = "LAST_30_DAYS"


@strawberry.enum
class PopupAction(Enum):
    SHOWN = "SHOWN"
    CLICKED = "CLICKED"
    DISMISSED = "DISMISSED"
