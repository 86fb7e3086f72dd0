"""What a journey's reports and checks return: problems, statistics, funnels, the
control-group report, segment runs, previews and published versions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from graphql_schema.types.common import JSON, Channel
from graphql_schema.types.delivery import Resource


@strawberry.type
class DefinitionProblem:
    step_id: str | None = strawberry.field(description="Step id the problem is about; null for the journey as a whole.")
    severity: str = strawberry.field(
        description="ERROR blocks activation; WARNING does not (an unconfigured step is a WARNING)."
    )
    message: str


@strawberry.type(description="One capture of a scheduled segment.")
class SegmentRun:
    scheduled_for: datetime
    started_at: datetime
    finished_at: datetime | None
    matched: int = strawberry.field(description="Users matching the segment at the run.")
    selected: int = strawberry.field(description="Users drawn by limitPercent.")
    entered: int = strawberry.field(description="Users who entered; the others were refused by the re-entry mode.")
    refused: int
    error: str | None


@strawberry.type
class PreviewStep:
    step_id: str
    kind: str
    outcome: str
    detail: str | None


@strawberry.type
class JourneyPreview:
    steps: list[PreviewStep] = strawberry.field(
        description="The steps the entry would take in its first pass, until a wait, an end or a halt."
    )
    outcome: str = strawberry.field(
        description="WAITING, COMPLETED, EXITED or HALTED after that pass; REFUSED when the trigger or the "
        "re-entry mode would not let the user in."
    )
    blocked_reason: str | None
    problems: list[DefinitionProblem]
    current_step_id: str | None = strawberry.field(
        default=None, description="The step the entry would be at after that pass (waiting or halted there)."
    )
    in_control_group: bool = strawberry.field(
        default=False, description="Whether the entry would be in the control group."
    )

    @classmethod
    def from_preview(cls, found: Any) -> JourneyPreview:
        return cls(
            steps=[
                PreviewStep(step_id=s.step_id, kind=s.kind, outcome=s.outcome, detail=s.detail) for s in found.steps
            ],
            outcome=found.outcome,
            blocked_reason=found.blocked_reason,
            problems=[
                DefinitionProblem(step_id=p.step_id, severity=p.severity, message=p.message) for p in found.problems
            ],
            current_step_id=found.current_step_id,
            in_control_group=found.in_control_group,
        )


@strawberry.type
class JourneyVersion:
    version: int
    definition: JSON
    published_at: datetime | None
    published_by: str | None


@strawberry.type
class JourneyStats:
    entered: int
    completed: int
    converted: int
    stopped: int
    exited: int
    failed: int
    errors: int
    in_progress: int


@strawberry.type
class ResourceStats:
    resource: Resource
    channel: Channel
    queued: int
    sent: int
    delivered: int
    opened: int
    machine_opened: int
    clicked: int
    failed: int
    suppressed: int


@strawberry.type
class StepCount:
    step_id: str
    name: str | None
    kind: str
    count: int


@strawberry.type
class FunnelRow:
    status: str
    step: int
    count: int


@strawberry.type
class GroupOutcome:
    entries: int
    conversions: int
    conversion_rate: float


@strawberry.type
class ControlGroupReport:
    treatment: GroupOutcome
    control: GroupOutcome
    uplift: float | None
    uplift_low: float | None
    uplift_high: float | None
    significant: bool
