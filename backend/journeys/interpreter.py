"""The journey interpreter: a pure function over one entry.

Given the entry's state, the compiled journey version, what is known of the user,
the time and why the entry is processed (captured, due, an event arrived), `advance`
returns the new state and the effects to write. No I/O, so a batch of thousands runs
in one go and every rule is tested with plain data.

Order of a pass (the definition's contract): exitWhen, then moveWhen, then the
current step, following `next` step after step until a wait, an end or a halt.
The helpers below it are the other moves an entry makes outside a pass: progress
from deliveries, freezing, stopping, and moving a halted entry to a new version.
"""

from __future__ import annotations

import copy
from datetime import datetime

from backend.journeys.definition import CompiledJourney
from backend.journeys.interpreter_steps import (
    MAX_STEPS_PER_PASS,
    Pass,
    end,
    fail,
    goto,
    matches,
    move_progress,
    run,
    stable_fraction,
    wait_reason,
)
from backend.journeys.state import ENDED, RUNNING, Captured, Due, EntryState, Env, EventArrived, StepLogged, UserFacts

__all__ = [
    "AUTOMATIC_STATUSES",
    "FROZEN_REASON",
    "MAX_STEPS_PER_PASS",
    "advance",
    "end",
    "fail",
    "freeze",
    "in_control_group",
    "matches",
    "migrate_halted",
    "move_progress",
    "progress_event",
    "stable_fraction",
    "stop",
    "unfreeze",
]

# Ladder names the engine moves by itself, when the ladder has them.
AUTOMATIC_STATUSES = ("Sent", "Delivered", "Opened", "Clicked", "Converted")
FROZEN_REASON = "frozen: the journey was stopped; it resumes here when the journey is activated again"
# rules.reactivate holds an entry before its resumeAt step with this blockedReason:
# when that timer fires the step runs from its start, even a wait.
REACTIVATION_HOLD = "reactivated:"
# HALTED entries still obey exitWhen and moveWhen: a self-excluded user must not be
# picked up again when a later version configures the step.
_REACTS = ("ACTIVE", "WAITING", "HALTED")


def in_control_group(*, journey_id: int, user_id: int, percent: float) -> bool:
    """Stable per (journey, user): the same group in every round of the user."""
    return percent > 0 and stable_fraction("control", journey_id, user_id) * 100 < percent


def advance(
    state: EntryState,
    journey: CompiledJourney,
    user: UserFacts,
    *,
    now: datetime,
    stimulus: Captured | Due | EventArrived,
    env: Env,
) -> tuple[EntryState, list]:
    s = copy.copy(state)
    if s.status not in _REACTS:
        return s, []
    event = None if isinstance(stimulus, Due) else stimulus.event
    if isinstance(stimulus, Captured):
        s.current_step_id = s.current_step_id or journey.start
        s.step_entered_at = now
    p = Pass(s, journey, user, now, env, event)
    if event is not None:
        for rule in journey.exit_when:
            if matches(rule, event, user, s, now):
                p.effects.append(
                    StepLogged(
                        s.current_step_id or "-",
                        "exit_when",
                        None,
                        1,
                        "exited",
                        now,
                        now,
                        f"exitWhen: event '{event.name}'",
                    )
                )
                end(s, "EXITED", f"exitWhen: {event.name}", now)
                return s, p.effects
        for rule in journey.move_when:
            if matches(rule, event, user, s, now):
                p.effects.append(
                    StepLogged(
                        s.current_step_id or "-",
                        "move_when",
                        None,
                        1,
                        "moved",
                        s.step_entered_at or now,
                        now,
                        f"moveWhen: event '{event.name}' -> '{rule['to']}'",
                    )
                )
                goto(s, rule["to"], now)
                run(p)
                return s, p.effects
    if s.status == "HALTED":
        return s, p.effects
    if isinstance(stimulus, EventArrived) and _event_received(p):
        run(p)
        return s, p.effects
    if s.status == "WAITING" and not _timer_done(p):
        return s, p.effects
    run(p)
    return s, p.effects


def _event_received(p: Pass) -> bool:
    s, event = p.s, p.event
    step = p.journey.step(s.current_step_id)
    if s.status != "WAITING" or step is None or step.get("kind") != "wait_for_event" or event is None:
        return False
    if s.wake_at is not None and event.occurred_at > s.wake_at:
        return False  # it came after the time-out: the timer decides
    if not matches(step, event, p.user, s, p.now):
        return False
    p.log(step, "event_received", detail=f"event '{event.name}'")
    goto(s, step.get("next"), p.now)
    return True


def _timer_done(p: Pass) -> bool:
    """A WAITING entry whose time has come leaves its wait; False while it still waits."""
    s = p.s
    if s.wake_at is None or s.wake_at > p.now:
        return False
    step = p.journey.step(s.current_step_id)
    kind = step.get("kind") if step else None
    if (s.blocked_reason or "").startswith(REACTIVATION_HOLD):
        kind = None
    if kind == "wait":
        p.log(step, "waited")
        goto(s, step.get("next"), p.now)
    elif kind == "wait_for_event":
        p.log(step, "timed_out")
        goto(s, step.get("timeoutNext"), p.now)
    else:
        # A send held by quiet hours (or a reactivated entry) runs its step as it is.
        s.status, s.wake_at, s.blocked_reason = "ACTIVE", None, None
    return True


def progress_event(state: EntryState, *, journey: CompiledJourney, name: str, at: datetime) -> tuple[EntryState, list]:
    """The delivery layer's news (a communication sent, delivered, opened, clicked; a
    conversion) moves the entry's progress, if the ladder has that status. Ended
    entries move too: a message opened after the journey ended still counts."""
    if name not in AUTOMATIC_STATUSES or name not in journey.ladder:
        return state, []
    s, effects = copy.copy(state), []
    move_progress(s, journey, name, at, effects)
    return (s, effects) if effects else (state, [])


def freeze(state: EntryState) -> EntryState:
    """The journey stopped with freezeOnStop: the entry keeps its place and timers."""
    if state.status not in ("ACTIVE", "WAITING", "HALTED"):
        return state
    s = copy.copy(state)
    s.status, s.blocked_reason = "FROZEN", FROZEN_REASON
    return s


def unfreeze(state: EntryState, *, journey: CompiledJourney) -> EntryState:
    """Back to what the entry was doing, read from where it stands (a timer that passed
    meanwhile makes it due at once)."""
    if state.status != "FROZEN":
        return state
    s = copy.copy(state)
    sid = s.current_step_id
    if sid is not None and journey.step(sid) is not None and sid not in journey.configured:
        s.status, s.blocked_reason = "HALTED", f"halted: step '{sid}' is not configured"
    elif s.wake_at is not None or s.waiting_event is not None:
        s.status = "WAITING"
        s.blocked_reason = wait_reason(s, journey.step(sid))
    else:
        s.status, s.blocked_reason = "ACTIVE", None
    return s


def stop(state: EntryState, *, now: datetime, status: str, reason: str) -> EntryState:
    """Ends a running entry from outside a pass: an operator (STOPPED), a rule (EXITED,
    e.g. 'restarted'), a failure for good (FAILED)."""
    if status not in ENDED:
        raise ValueError(f"an entry ends as one of {', '.join(ENDED)}, not {status}")
    if state.status not in RUNNING:
        return state
    s = copy.copy(state)
    if status == "FAILED":
        fail(s, reason, now)
    else:
        end(s, status, reason, now)
    return s


def migrate_halted(state: EntryState, *, journey: CompiledJourney, version: int) -> EntryState:
    """A HALTED entry goes on in a new version that configures the step it stopped at;
    it is then ACTIVE (due) at that same step."""
    if state.status != "HALTED" or state.current_step_id not in journey.configured:
        return state
    s = copy.copy(state)
    s.version, s.status, s.blocked_reason = version, "ACTIVE", None
    return s
