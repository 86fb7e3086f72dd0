"""Missions: a goal of count or sum over a user's events of one name, with a predicate,
in the mission's time window; progress kept per user; the reward given once.

Progress moves in the event batch, in the transaction that marks the events
processed, so each event counts exactly once. One upsert per batch adds the batch's
amounts to the stored progress (`progress = progress + excluded.progress`): it locks
each user's row and holds the lock to commit (SQLite has one writer at a time), so
two batches with events of one user add up instead of overwriting each other, and
only one of them sees the target reached: `completed_at` is set once, and the
reward is keyed `mission:<id>:<user>` (ledger line and bonus), so it exists once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from backend.dialect import insert_for
from backend.journeys.predicates import Facts, aggregates_of, evaluate, fields_read, problems_of
from backend.journeys.state import UserFacts
from backend.models import Mission, MissionProgress
from backend.persistence.plan import WritePlan


def where_problems(where: Any) -> list[str]:
    """A mission's `where` reads the counted event and its user; no aggregates, no entry."""
    problems = problems_of(where, allow_event=True)
    if not problems and aggregates_of(where):
        problems.append("a mission's where cannot hold eventCount or eventSum (the goal itself counts)")
    if not problems:
        problems += [
            f"'{p}' reads a journey entry; a mission has none"
            for p in sorted(fields_read(where))
            if p.startswith("entry.")
        ]
    return problems


def reward_key(mission_id: int, user_id: int) -> str:
    return f"mission:{mission_id}:{user_id}"


@dataclass(frozen=True)
class Goal:
    mission_id: int
    name: str
    event: str
    where: Any
    sum_of: str | None  # None: count
    target: float
    starts_at: datetime | None
    ends_at: datetime | None
    points: int | None
    template_id: int | None

    @classmethod
    def of(cls, m: Mission, template_ids: Mapping[str, int]) -> Goal:
        measure = m.goal.get("measure", "count")
        return cls(
            m.id,
            m.name,
            m.event_name,
            m.goal.get("where"),
            measure[4:] if measure.startswith("sum:") else None,
            float(m.goal["target"]),
            m.starts_at,
            m.ends_at,
            m.reward.get("points"),
            _template_id(m, template_ids),
        )

    def counts(self, event: Any, user: UserFacts | None, now: datetime) -> float:
        """How much this event adds (0 when it does not count)."""
        at = event.occurred_at
        if (self.starts_at and at < self.starts_at) or (self.ends_at and at >= self.ends_at):
            return 0.0
        props = event.properties or {}
        if self.where is not None and not evaluate(
            self.where,
            Facts(now=now, user=user.as_dict() if user else {}, event={"name": event.name, "properties": props}),
        ):
            return 0.0
        if self.sum_of is None:
            return 1.0
        value = props.get(self.sum_of)
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


def _template_id(m: Mission, template_ids: Mapping[str, int]) -> int | None:
    """The reward's template, resolved by createMission. A mission stored before that
    names it as given (a name, or an id as text), looked up among the templates now."""
    if m.reward.get("bonusTemplateId") is not None:
        return int(m.reward["bonusTemplateId"])
    template = m.reward.get("bonusTemplate")
    return template_ids.get(str(template)) if template is not None else None


def advance_missions(
    session: Session,
    *,
    events: Iterable[Any],
    users: Mapping[int, UserFacts],
    plan: WritePlan,
    template_ids: Mapping[str, int],
    now: datetime,
) -> list[tuple[int, int]]:
    """Adds the batch's events to the progress of the missions they count for; puts the
    rewards of missions completed now into `plan`. Returns the (mission, user) completed."""
    events = list(events)
    names = sorted({e.name for e in events})
    goals = (
        [Goal.of(m, template_ids) for m in session.scalars(select(Mission).where(Mission.event_name.in_(names)))]
        if names
        else []
    )
    if not goals:
        return []
    added: dict[tuple[int, int], float] = defaultdict(float)
    for e in events:
        for goal in goals:
            if goal.event == e.name:
                amount = goal.counts(e, users.get(e.user_id), now)
                if amount:
                    added[(goal.mission_id, e.user_id)] += amount
    if not added:
        return []
    by_id = {g.mission_id: g for g in goals}
    table = MissionProgress.__table__
    completed = []
    pairs = sorted(added)  # one order everywhere: two batches cannot deadlock on these rows
    ins = insert_for(session, table)
    # The upsert adds to the stored progress under the row's lock, held to commit; a
    # completed row is left as it is (and not returned).
    stmt = ins.on_conflict_do_update(
        index_elements=["mission_id", "user_id"],
        set_={"progress": table.c.progress + ins.excluded.progress, "updated_at": ins.excluded.updated_at},
        where=table.c.completed_at.is_(None),
    ).returning(table.c.id, table.c.mission_id, table.c.user_id, table.c.progress, table.c.target)
    rows = [
        {
            "mission_id": mid,
            "user_id": uid,
            "progress": added[(mid, uid)],
            "target": by_id[mid].target,
            "updated_at": now,
        }
        for mid, uid in pairs
    ]
    done = [r for r in session.execute(stmt, rows).all() if r.progress >= r.target]
    if done:
        session.execute(update(table).where(table.c.id.in_([r.id for r in done])).values(completed_at=now))
    for r in sorted(done, key=lambda r: (r.mission_id, r.user_id)):
        completed.append((r.mission_id, r.user_id))
        _reward(plan, by_id[r.mission_id], r.user_id, now)
    return completed


def _reward(plan: WritePlan, goal: Goal, user_id: int, now: datetime) -> None:
    key = reward_key(goal.mission_id, user_id)
    if goal.points:
        plan.points.append(
            {
                "user_id": user_id,
                "amount": int(goal.points),
                "reason": f"mission '{goal.name}'"[:500],
                "source": "mission",
                "idempotency_key": key,
                "entry_id": None,
                "mission_id": goal.mission_id,
                "created_at": now,
            }
        )
    if goal.template_id is not None:
        plan.bonuses.append(
            {
                "idempotency_key": key,
                "user_id": user_id,
                "template_id": goal.template_id,
                "entry_id": None,
                "journey_id": None,
                "mission_id": goal.mission_id,
                "source": "mission",
                "status": "PENDING",
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
            }
        )
