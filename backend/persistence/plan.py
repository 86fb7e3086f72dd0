"""What one batch will write, gathered while the interpreter runs, written in a few statements."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class WritePlan:
    # Full new state of each touched entry, keyed by entry id (last write wins).
    entry_updates: dict[int, dict[str, Any]] = field(default_factory=dict)
    # Entries new in this batch, whose ids were taken but whose rows are not written yet:
    # every column, inserted before anything that refers to them.
    entry_inserts: dict[int, dict[str, Any]] = field(default_factory=dict)
    step_rows: list[dict[str, Any]] = field(default_factory=list)
    communications: list[dict[str, Any]] = field(default_factory=list)
    bonuses: list[dict[str, Any]] = field(default_factory=list)
    points: list[dict[str, Any]] = field(default_factory=list)
    # user id -> attributes to merge (in order)
    profile_updates: dict[int, dict[str, Any]] = field(default_factory=dict)
    webhooks: list[dict[str, Any]] = field(default_factory=list)
    # Entries that must run again in this same batch round (captured, moved to a new track).
    to_advance: list[int] = field(default_factory=list)

    def merge_profile(self, user_id: int, changes: dict[str, Any]) -> None:
        self.profile_updates.setdefault(user_id, {}).update(changes)

    @property
    def empty(self) -> bool:
        return not (
            self.entry_updates
            or self.entry_inserts
            or self.step_rows
            or self.communications
            or self.bonuses
            or self.points
            or self.profile_updates
            or self.webhooks
        )
