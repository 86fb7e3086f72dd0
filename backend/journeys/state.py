"""The plain data the interpreter works on: an entry's state, what is known of the
user and the event, and the effects a pass asks for."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from backend.journeys.levels import level_name


@dataclass
class EntryState:
    entry_id: int
    journey_id: int
    user_id: int
    round: int
    version: int
    status: str
    in_control_group: bool
    entered_at: datetime
    current_step_id: str | None = None
    step_entered_at: datetime | None = None
    wake_at: datetime | None = None
    waiting_event: str | None = None
    visits: dict[str, int] = field(default_factory=dict)
    progress_name: str = "Entered"
    progress_step: int = 0
    progress_at: datetime | None = None
    converted_at: datetime | None = None
    stopped_at: datetime | None = None
    stop_reason: str | None = None
    blocked_reason: str | None = None
    payload: dict[str, Any] | None = None
    reactivated_at: datetime | None = None

    def copy(self) -> EntryState:
        """A shallow copy (what `copy.copy` gives, without its generic protocol: the
        interpreter copies the state of every entry it runs)."""
        copied = object.__new__(EntryState)
        copied.__dict__.update(self.__dict__)
        return copied


@dataclass(frozen=True)
class EventFacts:
    name: str
    properties: Mapping[str, Any]
    occurred_at: datetime

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "properties": dict(self.properties)}


@dataclass
class UserFacts:
    user_id: int
    external_id: str
    username: str | None = None
    email: str | None = None
    phone: str | None = None
    timezone: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    opt_outs: frozenset[str] = frozenset()
    points: int = 0
    level: str | None = None
    deposit_count: int = 0
    deposit_total: float = 0.0
    last_deposit_at: datetime | None = None
    # Messages already sent (or queued) today per channel, for the frequency cap.
    sent_today: dict[str, int] = field(default_factory=dict)
    aggregates: dict[Any, float] = field(default_factory=dict)

    def _with(self, **changes: Any) -> UserFacts:
        """A copy with these fields changed: `dataclasses.replace` without running
        `__init__` again (it is called for every effect of every entry of a batch)."""
        changed = object.__new__(UserFacts)
        changed.__dict__.update(self.__dict__, **changes)
        return changed

    def after(self, effect: Effect, levels: Sequence[tuple[int, str]] = ()) -> UserFacts:
        """What is known of the user once `effect` is written: a later step, or a later
        entry of the same user in the same batch, sees it. The facts given stay as they were."""
        if isinstance(effect, SendQueued) and effect.suppressed_reason is None:
            sent = {**self.sent_today, effect.channel: self.sent_today.get(effect.channel, 0) + 1}
            return self._with(sent_today=sent)
        if isinstance(effect, PointsAdded) and not effect.suppressed:
            points = self.points + effect.amount
            return self._with(points=points, level=level_name(levels, points) if levels else self.level)
        if isinstance(effect, ProfileUpdated):
            return self._with(attributes={**self.attributes, **effect.changes})
        return self

    def as_dict(self) -> dict[str, Any]:
        return {
            "externalId": self.external_id,
            "username": self.username,
            "email": self.email,
            "phone": self.phone,
            "timezone": self.timezone,
            "attributes": self.attributes,
            "points": self.points,
            "level": self.level,
            "financial": {
                "depositCount": self.deposit_count,
                "depositTotal": self.deposit_total,
                "lastDepositAt": self.last_deposit_at,
            },
        }


@dataclass(frozen=True)
class Env:
    """What the engine needs from the world besides the entry: the catalog and settings."""

    resources: Mapping[str, str] = field(default_factory=dict)  # resource name or id -> channel
    # journey id -> the resources that journey may send (name or id -> channel); a journey
    # found here sends nothing else. Journeys not found here use `resources`.
    journey_resources: Mapping[int, Mapping[str, str]] = field(default_factory=dict)
    frequency_cap: int = 0
    default_timezone: str = "UTC"
    # (threshold, level name): a points step moves user.level with user.points in the same pass.
    levels: tuple[tuple[int, str], ...] = ()


# Stimuli: why the entry is processed now.
@dataclass(frozen=True)
class Captured:
    event: EventFacts | None = None


@dataclass(frozen=True)
class Due:
    pass


@dataclass(frozen=True)
class EventArrived:
    event: EventFacts


# Effects: what the batch processor writes.
@dataclass(frozen=True)
class StepLogged:
    step_id: str
    kind: str
    name: str | None
    visit: int
    outcome: str
    entered_at: datetime
    left_at: datetime | None
    detail: str | None = None


@dataclass(frozen=True)
class SendQueued:
    step_id: str
    visit: int
    resource: str
    channel: str
    suppressed_reason: str | None


@dataclass(frozen=True)
class BonusRequested:
    step_id: str
    visit: int
    template: str
    suppressed: bool


@dataclass(frozen=True)
class PointsAdded:
    step_id: str
    visit: int
    amount: int
    reason: str
    suppressed: bool


@dataclass(frozen=True)
class WebhookRequested:
    step_id: str
    visit: int
    url: str
    body: str | None


@dataclass(frozen=True)
class ProfileUpdated:
    changes: Mapping[str, Any]


# What the batch processor writes for a pass, in order.
Effect = StepLogged | SendQueued | BonusRequested | PointsAdded | WebhookRequested | ProfileUpdated
Stimulus = Captured | Due | EventArrived


def user_after(user: UserFacts, effects: Iterable[Effect], levels: Sequence[tuple[int, str]] = ()) -> UserFacts:
    for effect in effects:
        user = user.after(effect, levels)
    return user
