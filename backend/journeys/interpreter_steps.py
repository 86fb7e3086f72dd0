"""What each step kind does when an entry reaches it, and the loop that follows `next`.

A handler returns True when the pass goes on to the entry's (new) current step, and
False when the pass stops there: a wait, an end or a halt.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from backend.gamification.levels import level_name
from backend.journeys import timing
from backend.journeys.definition import CompiledJourney
from backend.journeys.predicates import Facts, evaluate
from backend.journeys.state import (
    BonusRequested,
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
Step = Mapping[str, Any]


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


def matches(rule: Step, event: EventFacts, user: UserFacts, state: EntryState, now: datetime) -> bool:
    """A rule or step naming an event (and maybe a `where` over it) matches this one."""
    if rule.get("event") != event.name:
        return False
    where = rule.get("where")
    return where is None or evaluate(where, facts_for(user, state, now, event))


def end(s: EntryState, status: str, reason: str, now: datetime) -> None:
    s.status, s.stop_reason, s.stopped_at = status, reason, now
    s.wake_at = s.waiting_event = s.blocked_reason = None


def fail(s: EntryState, reason: str, now: datetime) -> None:
    end(s, "FAILED", reason, now)
    s.blocked_reason = f"failed: {reason}"


def goto(s: EntryState, step_id: str | None, now: datetime) -> None:
    s.current_step_id, s.step_entered_at, s.status = step_id, now, "ACTIVE"
    s.wake_at = s.waiting_event = s.blocked_reason = None


def move_progress(
    s: EntryState, journey: CompiledJourney, name: str, now: datetime, effects: list, step_id: str = "progress"
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
    """One run of an entry through its steps: what every handler reads and writes."""

    __slots__ = ("s", "journey", "user", "now", "env", "effects", "event", "_zone")

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
        self.effects: list = []
        self._zone: ZoneInfo | None = None

    def zone(self) -> ZoneInfo:
        if self._zone is None:
            self._zone = timing.zone(self.user.timezone, self.env.default_timezone)
        return self._zone

    def visit(self, step_id: str) -> int:
        # Copied before the change: the caller's state keeps its own visits.
        visits = dict(self.s.visits)
        visits[step_id] = visits.get(step_id, 0) + 1
        self.s.visits = visits
        return visits[step_id]

    def log(self, step: Step, outcome: str, detail: str | None = None, visit: int | None = None) -> None:
        sid = step["id"]
        self.effects.append(
            StepLogged(
                sid,
                step["kind"],
                step.get("name"),
                visit or self.s.visits.get(sid, 1),
                outcome,
                self.s.step_entered_at or self.now,
                self.now,
                detail,
            )
        )

    def next(self, step_id: Any) -> bool:
        if step_id is None:
            end(self.s, "COMPLETED", "completed", self.now)
            return False
        self.s.current_step_id, self.s.step_entered_at = step_id, self.now
        return True


def run(p: Pass) -> None:
    """From the current step, step after step, until a wait, an end or a halt."""
    s, steps, configured = p.s, p.journey.steps, p.journey.configured
    for _ in range(MAX_STEPS_PER_PASS):
        sid = s.current_step_id
        if sid is None:
            end(s, "COMPLETED", "completed", p.now)
            return
        step = steps.get(sid)
        if step is None:
            fail(s, f"step '{sid}' does not exist in version {s.version}", p.now)
            return
        if sid not in configured:
            # Never skipped: a later version that configures the step moves the entry on.
            s.status, s.wake_at, s.waiting_event = "HALTED", None, None
            s.blocked_reason = f"halted: step '{sid}' is not configured"
            p.log(step, "halted", visit=s.visits.get(sid, 0) + 1)
            return
        if not HANDLERS[step["kind"]](p, step):
            return
    fail(s, f"more than {MAX_STEPS_PER_PASS} steps ran in one pass without a wait", p.now)


def wait_reason(s: EntryState, step: Step | None, zone_name: str | None = None) -> str | None:
    """blockedReason of a WAITING entry, from the step it waits at."""
    kind = step.get("kind") if step else None
    if kind == "wait_for_event":
        until = f" until {timing.fmt(s.wake_at)}" if s.wake_at else ""
        return f"waiting for event '{s.waiting_event}'{until}"
    if s.wake_at is None:
        return None
    if kind == "send":
        zone = f" ({zone_name})" if zone_name else ""
        return f"quiet hours: step '{s.current_step_id}' sends at {timing.fmt(s.wake_at)}{zone}"
    return f"waiting until {timing.fmt(s.wake_at)}"


def _wait(p: Pass, step: Step) -> bool:
    p.visit(step["id"])
    until = step.get("until")
    if until:
        zone_name = step.get("timezone", "user")
        zone = p.zone() if zone_name == "user" else timing.zone(zone_name, p.env.default_timezone)
        wake = timing.next_local(p.now, until, zone)
    else:
        wake = p.now + timedelta(seconds=float(step.get("seconds") or 0))
    s = p.s
    s.status, s.wake_at, s.step_entered_at = "WAITING", wake, p.now
    s.blocked_reason = wait_reason(s, step)
    return False


def _wait_for_event(p: Pass, step: Step) -> bool:
    p.visit(step["id"])
    s, timeout = p.s, step.get("timeoutSeconds")
    s.status, s.step_entered_at, s.waiting_event = "WAITING", p.now, step["event"]
    s.wake_at = p.now + timedelta(seconds=float(timeout)) if timeout else None
    s.blocked_reason = wait_reason(s, step)
    return False


def _send(p: Pass, step: Step) -> bool:
    s, sid = p.s, step["id"]
    if p.journey.quiet_hours is not None:
        quiet_end = timing.quiet_until(p.now, p.journey.quiet_hours, p.zone())
        if quiet_end is not None:
            # Held at the step, not sent: the visit is counted when it goes out.
            s.status, s.wake_at = "WAITING", quiet_end
            s.blocked_reason = wait_reason(s, step, p.zone().key)
            return False
    visit = p.visit(sid)
    resource = str(step["resource"])
    channel = p.env.resources.get(resource, "EMAIL")
    reason = suppression(s, p.user, channel, p.env)
    p.effects.append(SendQueued(sid, visit, resource, channel, reason))
    if reason is None:
        # The user's facts are shared by the batch, so a second send to the same user
        # in the same batch sees this one under the frequency cap.
        p.user.sent_today[channel] = p.user.sent_today.get(channel, 0) + 1
    p.log(step, "suppressed" if reason else "sent", detail=reason or f"{channel} queued")
    return p.next(step.get("next"))


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


def _condition(p: Pass, step: Step) -> bool:
    p.visit(step["id"])
    yes = evaluate(step["where"], facts_for(p.user, p.s, p.now, None))
    p.log(step, "yes" if yes else "no")
    return p.next(step.get("yes" if yes else "no"))


def _split(p: Pass, step: Step) -> bool:
    p.visit(step["id"])
    # Stable per entry: the same entry takes the same branch on every lap and every retry.
    point, acc = stable_fraction("split", p.s.entry_id, step["id"]) * 100, 0.0
    branches = step["branches"]
    chosen = branches[-1]
    for branch in branches:
        acc += float(branch.get("percent") or 0)
        if point < acc:
            chosen = branch
            break
    p.log(step, f"branch:{chosen.get('name')}")
    return p.next(chosen.get("next"))


def _bonus(p: Pass, step: Step) -> bool:
    visit, held_out = p.visit(step["id"]), p.s.in_control_group
    p.effects.append(BonusRequested(step["id"], visit, str(step["template"]), held_out))
    # The wallet's answer writes bonus_granted or bonus_failed later.
    p.log(
        step,
        "suppressed" if held_out else "bonus_requested",
        detail="control group" if held_out else "pending at the wallet",
    )
    return p.next(step.get("next"))


def _points(p: Pass, step: Step) -> bool:
    sid, visit, held_out = step["id"], p.visit(step["id"]), p.s.in_control_group
    amount = int(step["amount"])
    p.effects.append(PointsAdded(sid, visit, amount, step.get("reason") or f"journey step '{sid}'", held_out))
    if not held_out:
        # Seen by a later condition on user.points or user.level in the same pass.
        p.user.points += amount
        if p.env.levels:
            p.user.level = level_name(p.env.levels, p.user.points)
    p.log(
        step, "suppressed" if held_out else "points_added", detail="control group" if held_out else f"{amount} points"
    )
    return p.next(step.get("next"))


def _set_status(p: Pass, step: Step) -> bool:
    p.visit(step["id"])
    moved = move_progress(p.s, p.journey, step["status"], p.now, p.effects, step_id=step["id"])
    p.log(step, "status_set" if moved else "status_ignored", detail=step["status"])
    return p.next(step.get("next"))


def _update_profile(p: Pass, step: Step) -> bool:
    p.visit(step["id"])
    changes = dict(step["set"])
    p.effects.append(ProfileUpdated(changes))
    p.user.attributes = {**p.user.attributes, **changes}
    p.log(step, "profile_updated")
    return p.next(step.get("next"))


def _webhook(p: Pass, step: Step) -> bool:
    # Not a message to the user, so the control group posts it too.
    visit = p.visit(step["id"])
    p.effects.append(WebhookRequested(step["id"], visit, step["url"], step.get("body")))
    # The poster writes webhook_sent or webhook_failed once the outside system answers.
    p.log(step, "webhook_requested")
    return p.next(step.get("next"))


def _goto(p: Pass, step: Step) -> bool:
    p.visit(step["id"])
    p.log(step, "moved", detail=f"-> '{step['to']}'")
    return p.next(step["to"])


def _exit(p: Pass, step: Step) -> bool:
    p.visit(step["id"])
    p.log(step, "completed")
    end(p.s, "COMPLETED", "exit step", p.now)
    return False


HANDLERS: Mapping[str, Callable[[Pass, Step], bool]] = {
    "send": _send,
    "wait": _wait,
    "wait_for_event": _wait_for_event,
    "condition": _condition,
    "split": _split,
    "bonus": _bonus,
    "points": _points,
    "set_status": _set_status,
    "update_profile": _update_profile,
    "webhook": _webhook,
    "goto": _goto,
    "exit": _exit,
}
