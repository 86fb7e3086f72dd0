"""What one operator may see, as one rule for every object a query can reach.

Journeys carry access groups; everything of a journey (its entries, their step logs,
communications and bonuses) is seen exactly when the journey is. Resources (message
templates) carry access groups of their own, by the same rule; a communication one may
see shows the resource it was made from (`used_resource` in the loaders). Rows of no
journey (a manual bonus, a message sent outside journeys) and the rest of the catalog
are seen by every operator; an operator row only by an ADMIN or by that operator.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.auth.policy import Principal
from backend.models import Bonus, Communication, Entry, Journey, Operator, Resource

# Rows that belong to a journey through their `journey_id` column.
JOURNEY_SCOPED = (Entry, Communication, Bonus)


@dataclass(frozen=True)
class Visibility:
    # None for a caller without an operator token, who sees no journey and no operator.
    principal: Principal | None
    # Ids of the journeys the operator may see; None when they may see every journey.
    journey_ids: frozenset[int] | None

    def journey(self, journey_id: int | None) -> bool:
        """Whether something of this journey (None: of no journey) may be seen."""
        return journey_id is None or self.journey_ids is None or journey_id in self.journey_ids

    def allows(self, row: Any) -> bool:
        if row is None:
            return False
        if isinstance(row, Journey):
            return row.deleted_at is None and self.journey(row.id)
        if isinstance(row, JOURNEY_SCOPED):
            return self.journey(row.journey_id)
        if isinstance(row, Operator):
            return self.principal is not None and (self.principal.is_admin or self.principal.operator_id == row.id)
        if isinstance(row, Resource):
            return self.principal is not None and self.principal.can_see_groups(row.access_groups or [])
        return True

    def keep(self, rows: list[Any]) -> list[Any]:
        return [row for row in rows if self.allows(row)]


def load_visibility(session: Session, principal: Principal | None) -> Visibility:
    """Journeys number in the hundreds, so their groups (JSON lists) are matched here
    once per request rather than in dialect-specific SQL."""
    if principal is None:
        return Visibility(None, frozenset())
    if principal.is_admin:
        return Visibility(principal, None)
    rows = session.execute(select(Journey.id, Journey.access_groups).where(Journey.deleted_at.is_(None))).all()
    return Visibility(principal, frozenset(pk for pk, groups in rows if principal.can_see_groups(groups or [])))
