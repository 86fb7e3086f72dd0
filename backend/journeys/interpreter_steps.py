"""What each step kind does when an entry reaches it, and the loop that follows `next`.

A handler returns True when the pass goes on to the entry's (new) current step, and
False when the pass stops there: a wait, an end or a halt. Handlers change only the
pass's own copies of the entry's state and of the user's facts; what they ask the
world to do goes out as effects.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from backend.journeys import timing
from backend.journeys.definition import CompiledJourney
from backend.journeys.predicates import Facts, evaluate
from backend.journeys.state import (
    BonusRequested,
    Effect,
    EntryState,
    Env,
    EventFacts,
    PointsAdded,
    ProfileUpdated,
    SendQueued,
    StepLogged,
    UserFacts,
    WebhookRequested,
)
from backend.journeys.steps import (
    Bonus,
    Broken,
    Condition,
    Exit,
    Goto,
    Points,
    Predicate,
    Runnable,
    Send,
    SetStatus,
    Split,
    Step,
    Unconfigured,
    UpdateProfile,
    Wait,
    WaitForEvent,
    Webhook,
)

# Validation refuses loops without a wait, so only a very long straight run of steps
# (or a journey saved without validation) can reach this; the entry then FAILS
# rather than hold a worker.
MAX_STEPS_PER_PASS = 500
# The user field a channel delivers to, and the reason when it is empty. PUSH and
# POPUP go to the user's externalId, which every user has.
ADDRESS_NEEDED = {
    "EMAIL": ("email", "no email address"),
    "SMS": ("phone", "no phone number"),
    "IVR": ("phone", "no phone number"),
}
# entries.stop_reason holds this many characters.
MAX_REASON = 200


def stable_fraction(*parts: Any) -> float:
    """A number in [0, 1) that depends only on the parts: the same every run and every
    process (Python's hash() is salted per process, so it cannot be used)."""
    digest = hashlib.sha256(":".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def facts_for(user: UserFacts, state: EntryState, now: datetime, event: EventFacts | None) -> Facts:
    return Facts(
        now=now,
        user=user.as_dict(),
        event=event.as_dict() if event else None,
        entry={"round": state.round},
        aggregates=user.aggregates,
    )


def event_matches(
    name: Any, where: Predicate | None, event: EventFacts, user: UserFacts, state: EntryState, now: datetime
) -> bool:
    """An event of that name (and, with a `where`, for which it holds) is this one."""
    return name == event.name and (where is None or evaluate(where, facts_for(user, state, now, event)))


def matches(rule: Mapping[str, Any], event: EventFacts, user: UserFacts, state: EntryState, now: datetime) -> bool:
    """A rule (exitWhen, moveWhen) naming an event, and maybe a `where` over it, matches this one."""
    return event_matches(rule.get("event"), rule.get("where"), event, user, state, now)


def end(s: EntryState, status: str, reason: str, now: datetime) -> None:
    s.status, s.stop_reason, s.stopped_at = status, reason[:MAX_REASON], now
    s.wake_at = s.waiting_event = s.blocked_reason = None


def fail(s: EntryState, reason: str, now: datetime) -> None:
    end(s, "FAILED", reason, now)
    s.blocked_reason = f"failed: {reason}"


def goto(s: EntryState, step_id: str | None, now: datetime) -> None:
    s.current_step_id, s.step_entered_at, s.status = step_id, now, "ACTIVE"
    s.wake_at = s.waiting_event = s.blocked_reason = None


def move_progress(
    s: EntryState, journey: CompiledJourney, name: str, now: datetime, effects: list[Effect], step_id: str = "progress"
) -> bool | None:
    """Up or sideways only. True: moved (or already there); False: lower, ignored; None: no such status.
    A move not made by a set_status step is written to the history as its own line."""
    step = journey.ladder.get(name)
    if step is None:
        return None
    if step < s.progress_step:
        return False
    if name != s.progress_name:
        old = s.progress_name
        s.progress_name, s.progress_step, s.progress_at = name, step, now
        if step_id == "progress":
            effects.append(StepLogged("progress", "progress", None, 1, "status_set", now, now, f"{old} -> {name}"))
    return True


class Pass:
    """One run of an entry through its steps: the pass's own copies of the entry's
    state (`s`) and of the user's facts (`user`), and the effects it asks for."""

    __slots__ = ("_zone", "effects", "env", "event", "journey", "now", "s", "user")

    def __init__(
        self,
        s: EntryState,
        journey: CompiledJourney,
        user: UserFacts,
        now: datetime,
        env: Env,
        event: EventFacts | None,
    ):
        self.s, self.journey, self.user, self.now, self.env, self.event = s, journey, user, now, env, event
        self.effects: list[Effect] = []
        self._zone: ZoneInfo | None = None

    def emit(self, effect: Effect) -> None:
        """Asks for `effect`; the rest of the pass sees what it changes for the user."""
        self.effects.append(effect)
        self.user = self.user.after(effect, self.env.levels)

    def zone(self) -> ZoneInfo:
        if self._zone is None:
            self._zone = timing.zone(self.user.timezone, self.env.default_timezone)
        return self._zone

    def visit(self, step_id: str) -> int:
        # A new dict: the state the pass was given keeps its own visits.
        visits = {**self.s.visits, step_id: self.s.visits.get(step_id, 0) + 1}
        self.s.visits = visits
        return visits[step_id]

    def log(self, step: Step, outcome: str, detail: str | None = None, visit: int | None = None) -> None:
        self.effects.append(
            StepLogged(
                step.id,
                step.kind,
                step.name,
                visit or self.s.visits.get(step.id, 1),
                outcome,
                self.s.step_entered_at or self.now,
                self.now,
                detail,
            )
        )

    def next(self, step_id: str | None) -> bool:
        if step_id is None:
            end(self.s, "COMPLETED", "completed", self.now)
            return False
        self.s.current_step_id, self.s.step_entered_at = step_id, self.now
        return True


def run(p: Pass) -> None:
    """From the current step, step after step, until a wait, an end or a halt. A step
    that raises fails the entry there, with the error in its log."""
    s = p.s
    for _ in range(MAX_STEPS_PER_PASS):
        sid = s.current_step_id
        if sid is None:
            end(s, "COMPLETED", "completed", p.now)
            return
        step = p.journey.steps.get(sid)
        if step is None:
            fail(s, f"step '{sid}' does not exist in version {s.version}", p.now)
            return
        if isinstance(step, Unconfigured):
            # Never skipped: a later version that configures the step moves the entry on.
            s.status, s.wake_at, s.waiting_event = "HALTED", None, None
            s.blocked_reason = f"halted: step '{sid}' is not configured"
            p.log(step, "halted", visit=s.visits.get(sid, 0) + 1)
            return
        if not _run_step(p, step):
            return
    fail(s, f"more than {MAX_STEPS_PER_PASS} steps ran in one pass without a wait", p.now)


def _run_step(p: Pass, step: Runnable | Broken) -> bool:
    try:
        if isinstance(step, Broken):
            raise ValueError(step.problem)
        return _handle(p, step)
    except Exception as exc:  # a step that cannot run fails its entry, never the batch
        reason = f"step '{step.id}' ({step.kind}): {type(exc).__name__}: {exc}"
        p.log(step, "failed", detail=reason)
        fail(p.s, reason, p.now)
        return False


def wait_reason(s: EntryState, step: Step | None, zone_name: str | None = None) -> str | None:
    """blockedReason of a WAITING entry, from the step it waits at."""
    if isinstance(step, WaitForEvent):
        until = f" until {timing.fmt(s.wake_at)}" if s.wake_at else ""
        return f"waiting for event '{s.waiting_event}'{until}"
    if s.wake_at is None:
        return None
    if isinstance(step, Send):
        zone = f" ({zone_name})" if zone_name else ""
        return f"quiet hours: step '{s.current_step_id}' sends at {timing.fmt(s.wake_at)}{zone}"
    return f"waiting until {timing.fmt(s.wake_at)}"


def _wait(p: Pass, step: Wait) -> bool:
    p.visit(step.id)
    if step.until:
        zone = p.zone() if step.timezone == "user" else timing.zone(step.timezone, p.env.default_timezone)
        wake = timing.next_local(p.now, step.until, zone)
    else:
        wake = p.now + timedelta(seconds=step.seconds)
    s = p.s
    s.status, s.wake_at, s.step_entered_at = "WAITING", wake, p.now
    s.blocked_reason = wait_reason(s, step)
    return False


def _wait_for_event(p: Pass, step: WaitForEvent) -> bool:
    p.visit(step.id)
    s = p.s
    s.status, s.step_entered_at, s.waiting_event = "WAITING", p.now, step.event
    s.wake_at = p.now + timedelta(seconds=step.timeout_seconds) if step.timeout_seconds else None
    s.blocked_reason = wait_reason(s, step)
    return False


def _send(p: Pass, step: Send) -> bool:
    s = p.s
    if p.journey.quiet_hours is not None:
        quiet_end = timing.quiet_until(p.now, p.journey.quiet_hours, p.zone())
        if quiet_end is not None:
            # Held at the step, not sent: the visit is counted when it goes out.
            s.status, s.wake_at = "WAITING", quiet_end
            s.blocked_reason = wait_reason(s, step, p.zone().key)
            return False
    channel = _channel(p, step)
    visit = p.visit(step.id)
    reason = suppression(s, p.user, channel, p.env)
    # A second send to the same user, later in this pass or batch, sees this one under the frequency cap.
    p.emit(SendQueued(step.id, visit, step.resource, channel, reason))
    p.log(step, "suppressed" if reason else "sent", detail=reason or f"{channel} queued")
    return p.next(step.next)


def _channel(p: Pass, step: Send) -> str:
    scoped = p.env.journey_resources.get(p.s.journey_id)
    if scoped is None:
        return p.env.resources.get(step.resource, "EMAIL")
    if step.resource not in scoped:
        # Never sent: a resource outside the journey's access groups is not the journey's to send.
        raise LookupError(f"no resource named '{step.resource}' open to the journey's access groups")
    return scoped[step.resource]


def suppression(s: EntryState, user: UserFacts, channel: str, env: Env) -> str | None:
    """Why a communication is stored SUPPRESSED instead of going out, or None."""
    if s.in_control_group:
        return "control group"
    if channel in user.opt_outs:
        return f"opted out of {channel}"
    needed = ADDRESS_NEEDED.get(channel)
    if needed and not getattr(user, needed[0]):
        return needed[1]
    if env.frequency_cap and user.sent_today.get(channel, 0) >= env.frequency_cap:
        return f"frequency cap: {env.frequency_cap} {channel} messages a day"
    return None


def _condition(p: Pass, step: Condition) -> bool:
    p.visit(step.id)
    yes = evaluate(step.where, facts_for(p.user, p.s, p.now, None))
    p.log(step, "yes" if yes else "no")
    return p.next(step.yes if yes else step.no)


def _split(p: Pass, step: Split) -> bool:
    p.visit(step.id)
    # Stable per entry: the same entry takes the same branch on every lap and every retry.
    point, acc = stable_fraction("split", p.s.entry_id, step.id) * 100, 0.0
    chosen = step.branches[-1]
    for branch in step.branches:
        acc += branch.percent
        if point < acc:
            chosen = branch
            break
    p.log(step, f"branch:{chosen.name}")
    return p.next(chosen.next)


def _bonus(p: Pass, step: Bonus) -> bool:
    visit, held_out = p.visit(step.id), p.s.in_control_group
    p.emit(BonusRequested(step.id, visit, step.template, held_out))
    # The wallet's answer writes bonus_granted or bonus_failed later.
    p.log(
        step,
        "suppressed" if held_out else "bonus_requested",
        detail="control group" if held_out else "pending at the wallet",
    )
    return p.next(step.next)


def _points(p: Pass, step: Points) -> bool:
    visit, held_out = p.visit(step.id), p.s.in_control_group
    # Seen by a later condition on user.points or user.level in the same pass.
    p.emit(PointsAdded(step.id, visit, step.amount, step.reason or f"journey step '{step.id}'", held_out))
    detail = "control group" if held_out else f"{step.amount} points"
    p.log(step, "suppressed" if held_out else "points_added", detail=detail)
    return p.next(step.next)


def _set_status(p: Pass, step: SetStatus) -> bool:
    p.visit(step.id)
    moved = move_progress(p.s, p.journey, step.status, p.now, p.effects, step_id=step.id)
    p.log(step, "status_set" if moved else "status_ignored", detail=step.status)
    return p.next(step.next)


def _update_profile(p: Pass, step: UpdateProfile) -> bool:
    p.visit(step.id)
    p.emit(ProfileUpdated(dict(step.changes)))
    p.log(step, "profile_updated")
    return p.next(step.next)


def _webhook(p: Pass, step: Webhook) -> bool:
    # Not a message to the user, so the control group posts it too.
    visit = p.visit(step.id)
    p.emit(WebhookRequested(step.id, visit, step.url, step.body))
    # The poster writes webhook_sent or webhook_failed once the outside system answers.
    p.log(step, "webhook_requested")
    return p.next(step.next)


def _goto(p: Pass, step: Goto) -> bool:
    p.visit(step.id)
    p.log(step, "moved", detail=f"-> '{step.to}'")
    return p.next(step.to)


def _exit(p: Pass, step: Exit) -> bool:
    p.visit(step.id)
    p.log(step, "completed")
    end(p.s, "COMPLETED", "exit step", p.now)
    return False


def _handle(p: Pass, step: Runnable) -> bool:
    match step:
        case Send():
            return _send(p, step)
        case Wait():
            return _wait(p, step)
        case WaitForEvent():
            return _wait_for_event(p, step)
        case Condition():
            return _condition(p, step)
        case Split():
            return _split(p, step)
        case Bonus():
            return _bonus(p, step)
        case Points():
            return _points(p, step)
        case SetStatus():
            return _set_status(p, step)
        case UpdateProfile():
            return _update_profile(p, step)
        case Webhook():
            return _webhook(p, step)
        case Goto():
            return _goto(p, step)
        case Exit():
            return _exit(p, step)
