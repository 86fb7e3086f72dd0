"""Where the journey editor draws each step: `{step id: {"x": number, "y": number}}`.

The layout is kept on the journey beside its definition, never inside it: saving it
changes no version and no document, only what every operator's editor shows.
"""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy import update

from backend.auth.policy import Principal
from backend.errors import DomainError
from backend.journeys.limits import MAX_DEFINITION_STEPS, MAX_KEY
from backend.lifecycle import get_journey
from backend.models import Journey
from backend.persistence.database import UnitOfWork

# Far beyond any canvas an operator scrolls, and well inside a float's exact integers.
MAX_COORDINATE = 10_000_000


def _invalid(message: str, *path: str) -> DomainError:
    return DomainError("INVALID_INPUT", message, ["layout", *path])


def _coordinate(value: Any, step_id: str, axis: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise _invalid(f"the {axis} of step '{step_id}' must be a number", step_id, axis)
    if abs(value) > MAX_COORDINATE:
        raise _invalid(f"the {axis} of step '{step_id}' is beyond ±{MAX_COORDINATE:,}", step_id, axis)
    return float(value)


def checked_layout(layout: Any) -> dict[str, dict[str, float]]:
    """The layout as it is stored, or a DomainError saying what is wrong with it."""
    if not isinstance(layout, dict):
        raise _invalid('the layout must be a JSON object: {"step id": {"x": 0, "y": 0}}')
    if len(layout) > MAX_DEFINITION_STEPS:
        raise _invalid(f"a layout places at most {MAX_DEFINITION_STEPS:,} steps, got {len(layout):,}")
    placed: dict[str, dict[str, float]] = {}
    for step_id, point in layout.items():
        if not step_id or len(step_id) > MAX_KEY:
            raise _invalid(f"a step id in the layout is 1 to {MAX_KEY} characters")
        if not isinstance(point, dict) or set(point) != {"x", "y"}:
            raise _invalid(f'step \'{step_id}\' must be placed as {{"x": number, "y": number}}', step_id)
        placed[step_id] = {axis: _coordinate(point[axis], step_id, axis) for axis in ("x", "y")}
    return placed


def save_layout(uow: UnitOfWork, *, principal: Principal, journey_id: int, layout: Any) -> Journey:
    """Replaces the journey's layout; its definition, versions and `updatedAt` stay as they were."""
    placed = checked_layout(layout)
    session = uow.session
    journey = get_journey(session, principal, journey_id, for_update=True)
    session.execute(
        update(Journey)
        .where(Journey.id == journey.id)
        .values(layout=placed, updated_at=journey.updated_at)
        .execution_options(synchronize_session=False)
    )
    uow.flush()
    session.refresh(journey)
    return journey
