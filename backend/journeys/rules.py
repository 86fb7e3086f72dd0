"""Journey-level rules around the interpreter: re-entry, conversion."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from backend.journeys.definition import CompiledJourney
from backend.journeys.interpreter import end, move_progress
from backend.journeys.predicates import Facts, evaluate
from backend.journeys.state import Effect, EntryState, EventFacts, StepLogged, UserFacts
from backend.journeys.timing import fmt
from backend.statuses import RUNNING


@dataclass(frozen=True)
class CaptureDecision:
    enter: bool
    round: int
    # Running entries that end (EXITED, 'restarted') because the user starts again.
    restart_entry_ids: tuple[int, ...] = ()


def decide_capture(mode: str, existing: list[tuple[int, str, int]]) -> CaptureDecision:
    """`existing`: (entry id, status, round) of the user's entries in this journey."""
    next_round = max((r for _, _, r in existing), default=0) + 1
    running = tuple(eid for eid, status, _ in existing if status in RUNNING)
    if mode == "ONCE":
        return CaptureDecision(enter=not existing, round=next_round)
    if mode == "NOT_WHILE_ACTIVE":
        return CaptureDecision(enter=not running, round=next_round)
    if mode == "RESTART":
        return CaptureDecision(enter=True, round=next_round, restart_entry_ids=running)
    return CaptureDecision(enter=True, round=next_round)


def check_conversion(
    s: EntryState, journey: CompiledJourney, user: UserFacts, event: EventFacts, now: datetime
) -> tuple[EntryState, list[Effect]]:
    """The first goal event after the entry started, within the window, converts it —
    in the control group too, so the report compares like with like."""
    goal = journey.goal
    effects: list[Effect] = []
    if not goal or s.converted_at is not None or goal.get("event") != event.name:
        return s, effects
    if event.occurred_at < s.entered_at:
        return s, effects
    within = goal.get("withinSeconds")
    if within is not None and event.occurred_at > s.entered_at + timedelta(seconds=float(within)):
        return s, effects
    where = goal.get("where")
    facts = Facts(
        now=now, user=user.as_dict(), event=event.as_dict(), entry={"round": s.round}, aggregates=user.aggregates
    )
    if where is not None and not evaluate(where, facts):
        return s, effects
    s = EntryState(**vars(s))
    s.converted_at = event.occurred_at
    effects.append(StepLogged("goal", "goal", None, 1, "converted", now, now, f"event '{event.name}'"))
    move_progress(s, journey, "Converted", now, effects)
    if goal.get("exitOnConversion") and s.status in RUNNING:
        end(s, "EXITED", "converted", now)
    return s, effects


def reactivation_applies(journey: CompiledJourney, event: EventFacts, user: UserFacts, now: datetime) -> bool:
    rule = journey.reactivation
    if not rule or rule.get("event") != event.name:
        return False
    where = rule.get("where")
    facts = Facts(now=now, user=user.as_dict(), event=event.as_dict(), aggregates=user.aggregates)
    return where is None or evaluate(where, facts)


def pick_reactivation(journey: CompiledJourney, ended: list[EntryState], now: datetime) -> EntryState | None:
    """The user's most recent entry that ended within lookbackSeconds, with an eligible
    status, and was never reactivated before."""
    rule = journey.reactivation or {}
    eligible = rule.get("eligibleStatuses") or ["COMPLETED", "EXITED"]
    lookback = rule.get("lookbackSeconds")
    candidates = [
        (s.stopped_at, s)
        for s in ended
        if s.status in eligible
        and s.stopped_at is not None
        and s.reactivated_at is None
        and (lookback is None or s.stopped_at >= now - timedelta(seconds=float(lookback)))
    ]
    latest = max(candidates, key=lambda pair: pair[0], default=None)
    return latest[1] if latest is not None else None


def reactivate(s: EntryState, journey: CompiledJourney, now: datetime) -> tuple[EntryState, list[Effect]]:
    """Runs the entry again from resumeAt (or start), after waitSeconds."""
    rule = journey.reactivation or {}
    s = EntryState(**vars(s))
    resume: str | None = rule.get("resumeAt") or journey.start
    if resume is None:
        raise ValueError("a journey without a start step cannot reactivate an entry")
    wait = float(rule.get("waitSeconds") or 0)
    s.current_step_id, s.step_entered_at, s.reactivated_at = resume, now, now
    s.stopped_at = s.stop_reason = s.waiting_event = None
    if wait > 0:
        s.status, s.wake_at = "WAITING", now + timedelta(seconds=wait)
        s.blocked_reason = f"reactivated: resumes at step '{resume}' at {fmt(s.wake_at)}"
    else:
        s.status, s.wake_at, s.blocked_reason = "ACTIVE", None, None
    return s, [StepLogged(resume, "reactivation", None, 1, "reactivated", now, now, f"resumes at '{resume}'")]


def hold_inserted(s: EntryState, journey: CompiledJourney, now: datetime) -> tuple[EntryState, list[Effect]] | None:
    """The entry a reactivation rule inserted (insertIfNone) waits waitSeconds before its
    first step, as a reactivated entry does; None when the rule has no wait."""
    wait = float((journey.reactivation or {}).get("waitSeconds") or 0)
    first = s.current_step_id or journey.start
    if wait <= 0 or first is None:
        return None
    s = EntryState(**vars(s))
    s.current_step_id, s.step_entered_at = first, now
    s.status, s.wake_at = "WAITING", now + timedelta(seconds=wait)
    s.blocked_reason = f"reactivated: starts at step '{first}' at {fmt(s.wake_at)}"
    return s, [StepLogged(first, "reactivation", None, 1, "reactivated", now, now, f"a new entry starts at '{first}'")]
