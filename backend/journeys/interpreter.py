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
    event_matches,
    fail,
    goto,
    matches,
    move_progress,
    run,
    stable_fraction,
    wait_reason,
)
from backend.journeys.state import (
    Captured,
    Due,
    Effect,
    EntryState,
    Env,
    EventArrived,
    EventFacts,
    StepLogged,
    Stimulus,
    UserFacts,
)
from backend.journeys.steps import Wait, WaitForEvent
from backend.statuses import ENDED, RUNNING

__all__ = [
    "AUTOMATIC_STATUSES",
    "FROZEN_REASON",
    "MAX_STEPS_PER_PASS",
    "advance",
    "advance_with_user",
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
    stimulus: Stimulus,
    env: Env,
) -> tuple[EntryState, list[Effect]]:
    """The entry's new state and the effects of this pass. `state` and `user` are left
    as they were: what the pass changes for the user is in the effects (see
    `state.user_after`). Whatever raises fails the entry, never the caller."""
    state, effects, _user = advance_with_user(state, journey, user, now=now, stimulus=stimulus, env=env)
    return state, effects


def advance_with_user(
    state: EntryState,
    journey: CompiledJourney,
    user: UserFacts,
    *,
    now: datetime,
    stimulus: Stimulus,
    env: Env,
) -> tuple[EntryState, list[Effect], UserFacts]:
    """`advance`, and the user's facts once its effects are written (what
    `state.user_after(user, effects)` gives), which the pass worked out already."""
    if state.status not in _REACTS:
        return state.copy(), [], user
    p = Pass(state.copy(), journey, user, now, env, None if isinstance(stimulus, Due) else stimulus.event)
    try:
        _pass(p, stimulus)
    except Exception as exc:  # a rule that cannot be checked fails its entry, never the batch
        failed = state.copy()
        reason = f"{type(exc).__name__}: {exc}"
        fail(failed, reason, now)
        step = failed.current_step_id or "-"
        # A step log changes nothing known of the user: the facts are those given.
        return failed, [StepLogged(step, "engine", None, 1, "failed", now, now, reason)], user
    return p.s, p.effects, p.user


def _pass(p: Pass, stimulus: Stimulus) -> None:
    s, event = p.s, p.event
    if isinstance(stimulus, Captured):
        s.current_step_id = s.current_step_id or p.journey.start
        s.step_entered_at = p.now
    if event is not None and _rules_moved(p, event):
        return
    if s.status == "HALTED":
        return
    if isinstance(stimulus, EventArrived) and _event_received(p, stimulus.event):
        run(p)
        return
    if s.status == "WAITING" and not _timer_done(p):
        return
    run(p)


def _rules_moved(p: Pass, event: EventFacts) -> bool:
    """exitWhen, then moveWhen: True when one of them moved the entry (the pass is over)."""
    s, now = p.s, p.now
    for rule in p.journey.exit_when:
        if matches(rule, event, p.user, s, now):
            detail = f"exitWhen: event '{event.name}'"
            p.effects.append(StepLogged(s.current_step_id or "-", "exit_when", None, 1, "exited", now, now, detail))
            end(s, "EXITED", f"exitWhen: {event.name}", now)
            return True
    for rule in p.journey.move_when:
        if matches(rule, event, p.user, s, now):
            detail = f"moveWhen: event '{event.name}' -> '{rule['to']}'"
            entered = s.step_entered_at or now
            p.effects.append(StepLogged(s.current_step_id or "-", "move_when", None, 1, "moved", entered, now, detail))
            goto(s, rule["to"], now)
            run(p)
            return True
    return False


def _event_received(p: Pass, event: EventFacts) -> bool:
    s = p.s
    step = p.journey.step(s.current_step_id)
    if s.status != "WAITING" or not isinstance(step, WaitForEvent):
        return False
    if s.wake_at is not None and event.occurred_at > s.wake_at:
        return False  # it came after the time-out: the timer decides
    if not event_matches(step.event, step.where, event, p.user, s, p.now):
        return False
    p.log(step, "event_received", detail=f"event '{event.name}'")
    goto(s, step.next, p.now)
    return True


def _timer_done(p: Pass) -> bool:
    """A WAITING entry whose time has come leaves its wait; False while it still waits."""
    s = p.s
    if s.wake_at is None or s.wake_at > p.now:
        return False
    step = p.journey.step(s.current_step_id)
    if (s.blocked_reason or "").startswith(REACTIVATION_HOLD):
        step = None
    if isinstance(step, Wait):
        p.log(step, "waited")
        goto(s, step.next, p.now)
    elif isinstance(step, WaitForEvent):
        p.log(step, "timed_out")
        goto(s, step.timeout_next, p.now)
    else:
        # A send held by quiet hours (or a reactivated entry) runs its step as it is.
        s.status, s.wake_at, s.blocked_reason = "ACTIVE", None, None
    return True


def progress_event(
    state: EntryState, *, journey: CompiledJourney, name: str, at: datetime
) -> tuple[EntryState, list[Effect]]:
    """The delivery layer's news (a communication sent, delivered, opened, clicked; a
    conversion) moves the entry's progress, if the ladder has that status. Ended
    entries move too: a message opened after the journey ended still counts."""
    effects: list[Effect] = []
    if name not in AUTOMATIC_STATUSES or name not in journey.ladder:
        return state, effects
    s = copy.copy(state)
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
