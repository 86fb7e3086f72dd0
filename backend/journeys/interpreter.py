"""The journey interpreter: a pure function over one entry.

Given the entry's state, the compiled journey version, what is known of the user,
the time and why the entry is processed (captured, due, an event arrived), it
returns the new state and the effects to write. No I/O, so a batch of thousands
runs in one go and every rule is tested with plain data.

Order of a pass (the definition's contract): exitWhen, then moveWhen, then the
current step, following `next` step after step until a wait, an end or a halt.
"""
from __future__ import annotations

import copy
import hashlib
from datetime import datetime, timedelta
from typing import Any

from backend.journeys import timing
from backend.journeys.definition import CompiledJourney, is_configured
from backend.journeys.predicates import Facts, evaluate
from backend.journeys.state import (
    BonusRequested, Captured, Due, EntryState, Env, EventArrived, EventFacts, PointsAdded, ProfileUpdated,
    SendQueued, StepLogged, UserFacts, WebhookRequested,
)

# A pass that runs more steps than this without a wait is a runaway (validation
# refuses unguarded loops, so only a very long straight journey can reach it).
MAX_STEPS_PER_PASS = 500
ADDRESS_NEEDED = {"EMAIL": ("email", "no email address"), "SMS": ("phone", "no phone number"),
                  "IVR": ("phone", "no phone number")}


def stable_fraction(*parts: Any) -> float:
    """A number in [0, 1) that depends only on the parts: the same every run and every process."""
    digest = hashlib.sha256(":".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def in_control_group(*, journey_id: int, user_id: int, percent: float) -> bool:
    return percent > 0 and stable_fraction("control", journey_id, user_id) * 100 < percent


def matches(rule: Any, event: EventFacts, user: UserFacts, state: EntryState, now: datetime) -> bool:
    if rule.get("event") != event.name:
        return False
    where = rule.get("where")
    return where is None or evaluate(where, _facts(user, state, now, event))


def _facts(user: UserFacts, state: EntryState, now: datetime, event: EventFacts | None) -> Facts:
    return Facts(now=now, user=user.as_dict(), event=event.as_dict() if event else None,
                 entry={"round": state.round}, aggregates=user.aggregates)


def _visit(s: EntryState, step_id: str) -> int:
    s.visits = dict(s.visits)
    s.visits[step_id] = s.visits.get(step_id, 0) + 1
    return s.visits[step_id]


def end(s: EntryState, status: str, reason: str, now: datetime) -> None:
    s.status, s.stop_reason, s.stopped_at = status, reason, now
    s.wake_at = s.waiting_event = s.blocked_reason = None


def move_progress(s: EntryState, journey: CompiledJourney, name: str, now: datetime, effects: list,
                  step_id: str = "progress") -> bool | None:
    """Up or sideways only. True: moved; False: lower, ignored; None: no such status."""
    if name not in journey.ladder:
        return None
    step = journey.ladder[name]
    if step < s.progress_step:
        return False
    if name != s.progress_name:
        old = s.progress_name
        s.progress_name, s.progress_step, s.progress_at = name, step, now
        if step_id == "progress":
            effects.append(StepLogged("progress", "progress", None, 1, "status_set", now, now, f"{old} -> {name}"))
    return True


def advance(state: EntryState, journey: CompiledJourney, user: UserFacts, *, now: datetime,
            stimulus: Captured | Due | EventArrived, env: Env) -> tuple[EntryState, list]:
    s = copy.copy(state)
    effects: list = []
    if s.status not in ("ACTIVE", "WAITING"):
        return s, effects
    if isinstance(stimulus, Captured):
        s.current_step_id = s.current_step_id or journey.start
        s.step_entered_at = now
        _run(s, journey, user, now, env, effects, event=stimulus.event)
        return s, effects
    if isinstance(stimulus, EventArrived):
        event = stimulus.event
        for rule in journey.exit_when:
            if matches(rule, event, user, s, now):
                effects.append(StepLogged(s.current_step_id or "-", "exit_when", None, 1, "exited", now, now,
                                          f"exitWhen: event '{event.name}'"))
                end(s, "EXITED", f"exitWhen: {event.name}", now)
                return s, effects
        for rule in journey.move_when:
            if matches(rule, event, user, s, now):
                effects.append(StepLogged(s.current_step_id or "-", "move_when", None, 1, "moved", s.step_entered_at or now,
                                          now, f"moveWhen: event '{event.name}' -> '{rule['to']}'"))
                _goto(s, rule["to"], now)
                _run(s, journey, user, now, env, effects, event=event)
                return s, effects
        step = journey.step(s.current_step_id)
        if s.status == "WAITING" and step is not None and step.get("kind") == "wait_for_event" and matches(step, event, user, s, now):
            _log(s, step, "event_received", now, effects, detail=f"event '{event.name}'")
            _goto(s, step.get("next"), now)
            _run(s, journey, user, now, env, effects, event=event)
        return s, effects
    # Due: a timer fired, or an ACTIVE entry is picked up.
    step = journey.step(s.current_step_id)
    if s.status == "WAITING":
        if s.wake_at is not None and s.wake_at > now:
            return s, effects
        kind = step.get("kind") if step else None
        if kind == "wait":
            _log(s, step, "waited", now, effects)
            _goto(s, step.get("next"), now)
        elif kind == "wait_for_event":
            _log(s, step, "timed_out", now, effects)
            _goto(s, step.get("timeoutNext"), now)
        # A send held by quiet hours runs again as it is.
    _run(s, journey, user, now, env, effects, event=None)
    return s, effects


def _goto(s: EntryState, step_id: str | None, now: datetime) -> None:
    s.current_step_id = step_id
    s.step_entered_at = now
    s.status = "ACTIVE"
    s.wake_at = s.waiting_event = s.blocked_reason = None


def _log(s: EntryState, step: Any, outcome: str, now: datetime, effects: list, detail: str | None = None,
         visit: int | None = None) -> None:
    sid = step["id"]
    effects.append(StepLogged(sid, step["kind"], step.get("name"), visit or s.visits.get(sid, 1), outcome,
                              s.step_entered_at or now, now, detail))


def _run(s: EntryState, journey: CompiledJourney, user: UserFacts, now: datetime, env: Env, effects: list,
         event: EventFacts | None) -> None:
    for _ in range(MAX_STEPS_PER_PASS):
        if s.current_step_id is None:
            end(s, "COMPLETED", "completed", now)
            return
        step = journey.step(s.current_step_id)
        if step is None:
            end(s, "FAILED", f"step '{s.current_step_id}' is not in version {s.version}", now)
            s.blocked_reason = f"failed: step '{s.current_step_id}' does not exist in version {s.version}"
            return
        if not is_configured(step):
            s.status, s.wake_at = "HALTED", None
            s.blocked_reason = f"halted: step '{step['id']}' is not configured"
            _log(s, step, "halted", now, effects, visit=s.visits.get(step["id"], 0) + 1)
            return
        if not _step(s, step, journey, user, now, env, effects, event):
            return
    end(s, "FAILED", f"more than {MAX_STEPS_PER_PASS} steps in one pass", now)
    s.blocked_reason = f"failed: more than {MAX_STEPS_PER_PASS} steps ran without a wait"


def _step(s: EntryState, step: Any, journey: CompiledJourney, user: UserFacts, now: datetime, env: Env,
          effects: list, event: EventFacts | None) -> bool:
    """Runs one step; True when the pass goes on to the next one."""
    kind, sid = step["kind"], step["id"]
    tz = timing.zone(user.timezone, env.default_timezone)
    if kind == "wait":
        _visit(s, sid)
        if step.get("until"):
            zone_name = step.get("timezone", "user")
            wake = timing.next_local(now, step["until"], tz if zone_name == "user" else timing.zone(zone_name, env.default_timezone))
        else:
            wake = now + timedelta(seconds=float(step.get("seconds") or 0))
        s.status, s.wake_at, s.step_entered_at = "WAITING", wake, now
        s.blocked_reason = f"waiting until {timing.fmt(wake)}"
        return False
    if kind == "wait_for_event":
        _visit(s, sid)
        timeout = step.get("timeoutSeconds")
        s.status, s.step_entered_at, s.waiting_event = "WAITING", now, step["event"]
        s.wake_at = now + timedelta(seconds=float(timeout)) if timeout else None
        until = f" until {timing.fmt(s.wake_at)}" if s.wake_at else ""
        s.blocked_reason = f"waiting for event '{step['event']}'{until}"
        return False
    if kind == "send":
        quiet_end = timing.quiet_until(now, journey.quiet_hours, tz)
        if quiet_end is not None:
            s.status, s.wake_at = "WAITING", quiet_end
            s.blocked_reason = f"quiet hours: step '{sid}' sends at {timing.fmt(quiet_end)} ({tz.key})"
            return False
        visit = _visit(s, sid)
        resource = str(step["resource"])
        channel = env.resources.get(resource, "EMAIL")
        reason = _suppression(s, user, channel, env)
        effects.append(SendQueued(sid, visit, resource, channel, reason))
        if reason is None:
            user.sent_today[channel] = user.sent_today.get(channel, 0) + 1
        _log(s, step, "suppressed" if reason else "sent", now, effects, detail=reason or f"{channel} queued")
        return _next(s, step.get("next"), now)
    visit = _visit(s, sid)
    if kind == "condition":
        yes = evaluate(step["where"], _facts(user, s, now, None))
        _log(s, step, "yes" if yes else "no", now, effects)
        return _next(s, step.get("yes" if yes else "no"), now)
    if kind == "split":
        point, acc = stable_fraction("split", s.entry_id, sid, visit) * 100, 0.0
        chosen = step["branches"][-1]
        for branch in step["branches"]:
            acc += float(branch.get("percent") or 0)
            if point < acc:
                chosen = branch
                break
        _log(s, step, f"branch:{chosen.get('name')}", now, effects)
        return _next(s, chosen.get("next"), now)
    if kind == "bonus":
        effects.append(BonusRequested(sid, visit, str(step["template"]), s.in_control_group))
        _log(s, step, "suppressed" if s.in_control_group else "bonus_requested", now, effects,
             detail="control group" if s.in_control_group else "pending at the wallet")
        return _next(s, step.get("next"), now)
    if kind == "points":
        amount = int(step["amount"])
        effects.append(PointsAdded(sid, visit, amount, step.get("reason") or f"journey step '{sid}'", s.in_control_group))
        if not s.in_control_group:
            user.points += amount
        _log(s, step, "suppressed" if s.in_control_group else "points_added", now, effects,
             detail="control group" if s.in_control_group else f"{amount} points")
        return _next(s, step.get("next"), now)
    if kind == "set_status":
        moved = move_progress(s, journey, step["status"], now, effects, step_id=sid)
        _log(s, step, "status_set" if moved else "status_ignored", now, effects, detail=step["status"])
        return _next(s, step.get("next"), now)
    if kind == "update_profile":
        changes = dict(step["set"])
        effects.append(ProfileUpdated(changes))
        user.attributes = {**user.attributes, **changes}
        _log(s, step, "profile_updated", now, effects)
        return _next(s, step.get("next"), now)
    if kind == "webhook":
        effects.append(WebhookRequested(sid, visit, step["url"], step.get("body")))
        _log(s, step, "webhook_requested", now, effects)
        return _next(s, step.get("next"), now)
    if kind == "goto":
        _log(s, step, "moved", now, effects, detail=f"-> '{step['to']}'")
        return _next(s, step["to"], now)
    if kind == "exit":
        _log(s, step, "completed", now, effects)
        end(s, "COMPLETED", "exit step", now)
        return False
    end(s, "FAILED", f"unknown step kind '{kind}'", now)
    return False


def _next(s: EntryState, step_id: str | None, now: datetime) -> bool:
    if step_id is None:
        end(s, "COMPLETED", "completed", now)
        return False
    s.current_step_id, s.step_entered_at = step_id, now
    return True


def _suppression(s: EntryState, user: UserFacts, channel: str, env: Env) -> str | None:
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
