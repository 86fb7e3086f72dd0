"""An entry's own fields (one user's round through a journey) and its step-by-step log.

The fields that lead to other object types (the entry's journey, user, messages and
bonuses) are added in `graph.py`, which builds the final `Entry` on `EntryFields`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Self

import strawberry

from backend.models import Entry as EntryModel
from backend.models import EntryStep as EntryStepModel
from graphql_schema.context import AppContext
from graphql_schema.ids import encode_id
from graphql_schema.loaders import children
from graphql_schema.types.common import JSON, EntryStatus, Node


@strawberry.type
class ProgressStatus:
    name: str
    step: int
    reached_at: datetime | None


@strawberry.type
class EntryStep:
    step_id: str
    kind: str
    name: str | None
    entered_at: datetime
    left_at: datetime | None
    outcome: str
    detail: str | None


@strawberry.type
class EntryFields(Node):
    id: strawberry.ID
    round: int
    version: int
    status: EntryStatus
    in_control_group: bool
    entered_at: datetime
    converted_at: datetime | None
    stopped_at: datetime | None
    stop_reason: str | None
    current_step_id: str | None
    wake_at: datetime | None
    progress: ProgressStatus
    blocked_reason: str | None
    payload: JSON | None
    pk: strawberry.Private[int]
    journey_pk: strawberry.Private[int]
    user_pk: strawberry.Private[int]

    @classmethod
    def from_model(cls, e: EntryModel) -> Self:
        ended = e.status in ("COMPLETED", "STOPPED", "EXITED")
        return cls(
            id=strawberry.ID(encode_id("Entry", e.id)),
            pk=e.id,
            journey_pk=e.journey_id,
            user_pk=e.user_id,
            round=e.round,
            version=e.version,
            status=EntryStatus(e.status),
            in_control_group=e.in_control_group,
            entered_at=e.entered_at,
            converted_at=e.converted_at,
            stopped_at=e.stopped_at,
            stop_reason=e.stop_reason,
            current_step_id=e.current_step_id,
            wake_at=e.wake_at if e.status == "WAITING" else None,
            progress=ProgressStatus(name=e.progress_name, step=e.progress_step, reached_at=e.progress_at),
            blocked_reason=None if ended else e.blocked_reason,
            payload=JSON(e.payload) if e.payload is not None else None,
        )


async def steps_of(ctx: AppContext, entry_pk: int) -> list[EntryStep]:
    rows = await children(ctx, EntryStepModel, "entry_id").load(entry_pk)
    return [
        EntryStep(
            step_id=r.step_id,
            kind=r.kind,
            name=r.name,
            entered_at=r.entered_at,
            left_at=r.left_at,
            outcome=r.outcome,
            detail=r.detail,
        )
        for r in rows
    ]
