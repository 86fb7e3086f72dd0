"""The operator's actions of the demo, through the product's services, at simulated times."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from backend import lifecycle as life
from backend.auth.policy import Principal
from backend.errors import DomainError
from backend.gamification.grants import grant_bonus
from backend.gamification.points import adjust_points
from backend.models import BadgeAward, Bonus, Entry, Journey, JourneyVersion, PointsLedger
from backend.persistence.database import Database
from questline.demo.engine import HintQueue, Restamp
from questline.demo.journeys import JourneySpec

JOURNEY_STAMPS = ("created_at", "updated_at", "activated_at", "stopped_at")


@dataclass
class Operator:
    """The operator at the desk: each action is a service call, then its stamps are moved to `at`."""

    db: Database
    principal: Principal
    queue: HintQueue
    restamp: Restamp
    suffix: str = ""
    ids: dict[str, int] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def _journey_stamps(self, key: str, at: datetime) -> None:
        jid = self.ids[key]
        self.restamp.table(Journey.__table__, JOURNEY_STAMPS, "id", [jid], at)
        self.restamp.table(JourneyVersion.__table__, ("published_at",), "journey_id", [jid], at)
        self.restamp.table(Entry.__table__, ("stopped_at", "updated_at"), "journey_id", [jid], at)

    def create(self, spec: JourneySpec, at: datetime) -> int:
        data = life.JourneyInput(
            name=spec.name + self.suffix,
            definition=spec.definition,
            description=spec.description,
            tags=spec.tags,
            access_groups=spec.access_groups,
            reentry_mode=spec.reentry_mode,
            freeze_on_stop=spec.freeze_on_stop,
            control_group_percent=spec.control_group_percent,
        )
        with self.db.unit_of_work() as uow:
            self.ids[spec.key] = life.create_journey(uow, principal=self.principal, data=data).id
        self.names[spec.key] = data.name
        self._journey_stamps(spec.key, at)
        return self.ids[spec.key]

    def activate(self, key: str, at: datetime) -> bool:
        """False, with the reason kept in `notes`, when the product refuses it."""
        try:
            with self.db.unit_of_work() as uow:
                life.activate_journey(uow, principal=self.principal, journey_id=self.ids[key], queue=self.queue)
        except DomainError as exc:
            self.notes.append(
                f"'{self.names[key]}' stays a DRAFT: activating it was refused ({exc.code}: {exc.message})"
            )
            return False
        self._journey_stamps(key, at)
        return True

    def stop(self, key: str, at: datetime) -> None:
        with self.db.unit_of_work() as uow:
            life.stop_journey(uow, principal=self.principal, journey_id=self.ids[key])
        self._journey_stamps(key, at)

    def publish(self, key: str, spec: JourneySpec, definition: dict[str, Any], at: datetime) -> None:
        data = life.JourneyInput(name=spec.name + self.suffix, definition=definition, description=spec.description)
        with self.db.unit_of_work() as uow:
            life.update_journey(uow, principal=self.principal, journey_id=self.ids[key], data=data, queue=self.queue)
        self._journey_stamps(key, at)

    def enter(self, key: str, external_ids: list[str], payload: dict[str, Any], at: datetime) -> list[int]:
        if not external_ids:
            return []
        with self.db.unit_of_work() as uow:
            entries, _refused = life.enter_journey(
                uow,
                principal=self.principal,
                journey_id=self.ids[key],
                external_ids=external_ids,
                payload=payload,
                queue=self.queue,
            )
            ids = [e.id for e in entries]
        # Before the engine runs them: a goal counts only events after the entry began.
        self.restamp.entries(ids, at)
        return ids

    def stop_entries(self, key: str, count: int, reason: str, at: datetime) -> None:
        with self.db.read() as session:
            ids = list(
                session.scalars(
                    select(Entry.id)
                    .where(Entry.journey_id == self.ids[key], Entry.status == "WAITING")
                    .order_by(Entry.id)
                    .limit(count)
                )
            )
        for entry_id in ids:
            with self.db.unit_of_work() as uow:
                life.stop_entry(uow, principal=self.principal, entry_id=entry_id, reason=reason)
        self.restamp.entries(ids, at)

    def adjust(self, external_id: str, amount: int, reason: str, at: datetime) -> None:
        with self.db.unit_of_work() as uow:
            user = adjust_points(uow, principal=self.principal, external_id=external_id, amount=amount, reason=reason)
            user_id = user.id
        self.restamp.table(PointsLedger.__table__, ("created_at",), "user_id", [user_id], at)
        self.restamp.table(BadgeAward.__table__, ("awarded_at",), "user_id", [user_id], at)

    def goodwill(self, external_id: str, template_id: int, request_id: str, at: datetime) -> None:
        """A manual bonus from a player's profile; the wallet worker grants it with the next run."""
        with self.db.unit_of_work() as uow:
            bonus = grant_bonus(
                uow, external_id=external_id, template_id=template_id, request_id=request_id, queue=self.queue
            )
            bonus_id = bonus.id
        self.restamp.table(Bonus.__table__, ("created_at", "next_attempt_at"), "id", [bonus_id], at)
