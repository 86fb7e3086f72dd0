"""Entry (one user's round through a journey) and its step-by-step log."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from backend.models import Bonus as BonusModel
from backend.models import Communication as CommunicationModel
from backend.models import Entry as EntryModel
from backend.models import EntryStep as EntryStepModel
from graphql_schema.ids import encode_id
from graphql_schema.loaders import children
from graphql_schema.types.common import JSON, EntryStatus, Node, UserError
from graphql_schema.types.related import journey_of, user_of

if TYPE_CHECKING:
    from graphql_schema.types.delivery import Communication
    from graphql_schema.types.gamification import Bonus
    from graphql_schema.types.journeys import Journey
    from graphql_schema.types.users import User

JourneyRef = Annotated["Journey", strawberry.lazy("graphql_schema.types.journeys")]
UserRef = Annotated["User", strawberry.lazy("graphql_schema.types.users")]
CommunicationRef = Annotated["Communication", strawberry.lazy("graphql_schema.types.delivery")]
BonusRef = Annotated["Bonus", strawberry.lazy("graphql_schema.types.gamification")]


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
class Entry(Node):
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
    def from_model(cls, e: EntryModel) -> Entry:
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

    @strawberry.field
    async def journey(self, info: Info) -> JourneyRef:
        journey = await journey_of(info.context, self.journey_pk)
        # An entry is visible exactly when its journey is (backend.auth.visibility).
        assert journey is not None, "a visible entry's journey is visible"
        return journey

    @strawberry.field
    async def user(self, info: Info) -> UserRef:
        return await user_of(info.context, self.user_pk)

    @strawberry.field
    async def steps(self, info: Info) -> list[EntryStep]:
        rows = await children(info.context, EntryStepModel, "entry_id").load(self.pk)
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

    @strawberry.field
    async def communications(self, info: Info) -> list[CommunicationRef]:
        from graphql_schema.types.delivery import Communication

        rows = await children(info.context, CommunicationModel, "entry_id").load(self.pk)
        return [Communication.from_model(r) for r in rows]

    @strawberry.field
    async def bonuses(self, info: Info) -> list[BonusRef]:
        from graphql_schema.types.gamification import Bonus

        rows = await children(info.context, BonusModel, "entry_id").load(self.pk)
        return [Bonus.from_model(r) for r in rows]


@strawberry.type
class EntryPayload:
    entry: Entry | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)
