"""Captured entries whose first send a batch writes set-based (backend.segments.first_send).

An EVENT journey whose start is a send, then a wait of fixed seconds or nothing, does
the same for every captured user but for the suppression reasons, which SQL computes.
The batch takes that path for an entry only where nothing else in the batch could read
or move it, so the rows are the interpreter's:

- the journey's first step has that shape (`first_send_of`: PostgreSQL, no quiet hours,
  a resource the journey may send) and it has no exitWhen or moveWhen rules;
- its user is captured once in the batch, has no entry the batch's events can move
  (none was locked: no running entry, no unconverted entry of a goal journey, no ended
  one a reactivation rule may run again), and has no event in the batch that is a
  journey's goal or reactivation event (those could convert or start entries of theirs).

Everything else takes the interpreter's path, event by event.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from backend.journeys.loading import LiveJourney, TrackedEvent
from backend.journeys.resources import JourneyResources
from backend.journeys.state import EntryState
from backend.processing.writer import ENTRY_COLUMNS, Written
from backend.segments import first_send
from backend.segments.first_send import FirstSend, first_send_of


def set_based(
    session: Session,
    *,
    live: Mapping[int, LiveJourney],
    events: Iterable[TrackedEvent],
    captured: Iterable[EntryState],
    held_users: set[int],
    frequency_cap: int,
    resources: JourneyResources,
) -> dict[int, tuple[FirstSend, list[int]]]:
    """By journey id: its first send's plan and the captured entries (ids) that take it."""
    moving = _goal_and_reactivation_events(live)
    names_of: dict[int, set[str]] = defaultdict(set)
    for event in events:
        names_of[event.user_id].add(event.name)
    captured = list(captured)
    captures_of = Counter(s.user_id for s in captured)
    plans: dict[int, FirstSend | None] = {}
    chosen: dict[int, list[int]] = defaultdict(list)
    for s in captured:
        if captures_of[s.user_id] != 1 or s.user_id in held_users or names_of[s.user_id] & moving:
            continue
        if s.journey_id not in plans:
            plans[s.journey_id] = _plan(session, live[s.journey_id], frequency_cap, resources)
        if plans[s.journey_id] is not None:
            chosen[s.journey_id].append(s.entry_id)
    return {jid: (plan, chosen[jid]) for jid, plan in plans.items() if plan is not None and chosen[jid]}


def _goal_and_reactivation_events(live: Mapping[int, LiveJourney]) -> set[str]:
    names: set[str] = set()
    for lj in live.values():
        for rule in (lj.journey.goal, lj.journey.reactivation):
            if rule and isinstance(rule.get("event"), str):
                names.add(rule["event"])
    return names


def _plan(session: Session, lj: LiveJourney, frequency_cap: int, resources: JourneyResources) -> FirstSend | None:
    if lj.journey.exit_when or lj.journey.move_when:
        return None
    return first_send_of(session, lj.journey, lj.meta.id, frequency_cap, resources)


def entry_after_send(plan: FirstSend, created: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """A captured entry's row as the interpreter's pass leaves it: the capture's row, with
    the columns a pass writes (those it does not touch empty, as for a new entry)."""
    return {**dict.fromkeys(ENTRY_COLUMNS), **created, **plan.entry_after(now)}


def write_first_sends(
    session: Session, first_sends: Mapping[int, FirstSend], written: Written, now: datetime
) -> Written:
    """The set-based first sends (by entry id), once their entries are written; their
    QUEUED communications join the batch's for delivery (pop-ups sent after the commit)."""
    by_plan: dict[FirstSend, list[int]] = defaultdict(list)
    for entry_id, plan in first_sends.items():
        by_plan[plan].append(entry_id)
    if not by_plan:
        return written
    queued = {channel: list(ids) for channel, ids in written.communication_ids.items()}
    for plan, entry_ids in by_plan.items():
        for channel, ids in first_send.write_first_sends(session, plan, entry_ids, now).items():
            queued.setdefault(channel, []).extend(ids)
    return replace(written, communication_ids=queued)
