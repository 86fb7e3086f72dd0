"""The journey-definition document: every problem at once, and a compiled form for the engine."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter

from backend.journeys.predicates import AggregateSpec, aggregates_of, problems_of

KINDS = ("send", "wait", "wait_for_event", "condition", "split", "bonus", "points", "set_status",
         "update_profile", "webhook", "goto", "exit")
WAIT_KINDS = ("wait", "wait_for_event")
DEFAULT_LADDER = (("Entered", 0), ("Sent", 10), ("Delivered", 20), ("Opened", 30), ("Clicked", 40), ("Converted", 50))
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
# The fields a step of each kind needs to be configured.
REQUIRED = {
    "send": ("resource",), "wait": (), "wait_for_event": ("event",), "condition": ("where",),
    "split": ("branches",), "bonus": ("template",), "points": ("amount",), "set_status": ("status",),
    "update_profile": ("set",), "webhook": ("url",), "goto": ("to",), "exit": (),
}


@dataclass(frozen=True)
class Problem:
    step_id: str | None
    severity: str  # "ERROR" | "WARNING"
    message: str


@dataclass(frozen=True)
class Catalog:
    """What a definition may name: resource name or id -> channel; bonus template names and ids."""

    resources: Mapping[str, str] = field(default_factory=dict)
    bonus_templates: frozenset[str] = frozenset()


@dataclass(frozen=True)
class CompiledJourney:
    steps: Mapping[str, Mapping[str, Any]]
    start: str | None
    trigger: Mapping[str, Any]
    goal: Mapping[str, Any] | None
    exit_when: tuple[Mapping[str, Any], ...]
    move_when: tuple[Mapping[str, Any], ...]
    reactivation: Mapping[str, Any] | None
    ladder: Mapping[str, int]
    quiet_hours: tuple[str, str] | None
    aggregates: tuple[AggregateSpec, ...]

    def step(self, step_id: str | None) -> Mapping[str, Any] | None:
        return self.steps.get(step_id) if step_id else None


def is_configured(step: Mapping[str, Any]) -> bool:
    if step.get("configured") is False:
        return False
    kind = step.get("kind")
    if kind == "wait":
        return step.get("seconds") is not None or step.get("until") is not None
    return all(step.get(name) not in (None, "", [], {}) for name in REQUIRED.get(kind, ()))


def trigger_event_name(document: Any) -> str | None:
    trigger = document.get("trigger") if isinstance(document, dict) else None
    if isinstance(trigger, dict) and trigger.get("kind") == "EVENT" and isinstance(trigger.get("event"), str):
        return trigger["event"]
    return None


def _ladder(document: Mapping[str, Any]) -> dict[str, int]:
    statuses = document.get("statuses")
    if isinstance(statuses, list) and statuses:
        return {s["name"]: int(s["step"]) for s in statuses
                if isinstance(s, dict) and isinstance(s.get("name"), str) and isinstance(s.get("step"), int)}
    return dict(DEFAULT_LADDER)


def successors(step: Mapping[str, Any]) -> list[str]:
    kind = step.get("kind")
    out = [step.get("next")]
    if kind == "condition":
        out = [step.get("yes"), step.get("no")]
    elif kind == "wait_for_event":
        out = [step.get("next"), step.get("timeoutNext")]
    elif kind == "split":
        out = [b.get("next") for b in step.get("branches") or [] if isinstance(b, dict)]
    elif kind == "goto":
        out = [step.get("to")]
    elif kind == "exit":
        out = []
    return [s for s in out if isinstance(s, str)]


def _valid_zone(name: Any) -> bool:
    try:
        ZoneInfo(str(name))
        return True
    except (ZoneInfoNotFoundError, ValueError):
        return False


class _Checker:
    def __init__(self, document: Mapping[str, Any], catalog: Catalog):
        self.doc = document
        self.catalog = catalog
        self.problems: list[Problem] = []
        self.ladder = _ladder(document)

    def error(self, message: str, step_id: str | None = None) -> None:
        self.problems.append(Problem(step_id, "ERROR", message))

    def warn(self, message: str, step_id: str | None = None) -> None:
        self.problems.append(Problem(step_id, "WARNING", message))

    def predicate(self, pred: Any, where: str, *, allow_event: bool, step_id: str | None = None) -> None:
        for message in problems_of(pred, allow_event=allow_event):
            self.error(f"{where}: {message}", step_id)

    def run(self) -> list[Problem]:
        self.trigger()
        self.journey_rules()
        steps = self.steps()
        self.graph(steps)
        return self.problems

    def trigger(self) -> None:
        trigger = self.doc.get("trigger")
        if not isinstance(trigger, dict):
            self.error("the journey needs a trigger (API, EVENT or SCHEDULED_SEGMENT)")
            return
        kind = trigger.get("kind")
        if kind == "EVENT":
            if not isinstance(trigger.get("event"), str) or not trigger["event"]:
                self.error("an EVENT trigger needs the event name")
            if trigger.get("where") is not None:
                self.predicate(trigger["where"], "trigger.where", allow_event=True)
        elif kind == "SCHEDULED_SEGMENT":
            schedule = trigger.get("schedule")
            if not isinstance(schedule, dict) or not isinstance(schedule.get("cron"), str) or not croniter.is_valid(schedule["cron"]):
                self.error("trigger.schedule.cron is not a valid cron expression")
            if isinstance(schedule, dict) and schedule.get("timezone") is not None and not _valid_zone(schedule["timezone"]):
                self.error(f"unknown time zone {schedule.get('timezone')!r} in trigger.schedule")
            if trigger.get("segment") is None:
                self.error("a SCHEDULED_SEGMENT trigger needs a segment predicate")
            else:
                self.predicate(trigger["segment"], "trigger.segment", allow_event=False)
            limit = trigger.get("limitPercent", 100)
            if isinstance(limit, bool) or not isinstance(limit, (int, float)) or not 1 <= limit <= 100:
                self.error("trigger.limitPercent must be between 1 and 100")
        elif kind != "API":
            self.error(f"unknown trigger kind {kind!r} (API, EVENT or SCHEDULED_SEGMENT)")

    def journey_rules(self) -> None:
        goal = self.doc.get("goal")
        if goal is not None:
            if not isinstance(goal, dict) or not isinstance(goal.get("event"), str):
                self.error("goal needs an event name")
            elif goal.get("where") is not None:
                self.predicate(goal["where"], "goal.where", allow_event=True)
        for key in ("exitWhen", "moveWhen"):
            rules = self.doc.get(key) or []
            if not isinstance(rules, list):
                self.error(f"{key} must be a list")
                continue
            for i, rule in enumerate(rules):
                if not isinstance(rule, dict) or not isinstance(rule.get("event"), str):
                    self.error(f"{key}[{i}] needs an event name")
                    continue
                if rule.get("where") is not None:
                    self.predicate(rule["where"], f"{key}[{i}].where", allow_event=True)
        quiet = self.doc.get("quietHours")
        if quiet is not None and not (isinstance(quiet, dict) and all(
                isinstance(quiet.get(k), str) and _HHMM.match(quiet[k]) for k in ("start", "end"))):
            self.error("quietHours needs start and end as HH:MM")
        statuses = self.doc.get("statuses")
        if statuses is not None and (not isinstance(statuses, list) or len(self.ladder) != len(statuses)):
            self.error("statuses must be a list of {name, step} with whole step numbers")
        reactivation = self.doc.get("reactivation")
        if reactivation is not None:
            if not isinstance(reactivation, dict) or not isinstance(reactivation.get("event"), str):
                self.error("reactivation needs an event name")
            elif reactivation.get("where") is not None:
                self.predicate(reactivation["where"], "reactivation.where", allow_event=True)

    def steps(self) -> dict[str, Mapping[str, Any]]:
        raw = self.doc.get("steps")
        if not isinstance(raw, list):
            self.error("steps must be a list")
            return {}
        steps: dict[str, Mapping[str, Any]] = {}
        for i, step in enumerate(raw):
            if not isinstance(step, dict) or not isinstance(step.get("id"), str) or not step["id"]:
                self.error(f"step {i} needs a text id")
                continue
            sid = step["id"]
            if sid in steps:
                self.error(f"duplicate step id '{sid}'", sid)
                continue
            steps[sid] = step
            self.step(sid, step)
        return steps

    def step(self, sid: str, step: Mapping[str, Any]) -> None:
        kind = step.get("kind")
        if kind not in KINDS:
            self.error(f"unknown step kind {kind!r}", sid)
            return
        if not is_configured(step):
            self.warn(f"step '{sid}' is not configured: entries that reach it halt there", sid)
        if kind == "send" and step.get("resource") not in (None, "") and str(step["resource"]) not in self.catalog.resources:
            self.error(f"no resource named '{step['resource']}'", sid)
        elif kind == "bonus" and step.get("template") not in (None, "") and str(step["template"]) not in self.catalog.bonus_templates:
            self.error(f"no bonus template named '{step['template']}'", sid)
        elif kind == "set_status" and step.get("status") not in (None, "") and step["status"] not in self.ladder:
            self.error(f"no status named '{step['status']}' in the journey's statuses", sid)
        elif kind == "condition" and step.get("where") is not None:
            self.predicate(step["where"], "where", allow_event=False, step_id=sid)
        elif kind == "wait_for_event" and step.get("where") is not None:
            self.predicate(step["where"], "where", allow_event=True, step_id=sid)
        elif kind == "wait":
            self.wait(sid, step)
        elif kind == "split" and step.get("branches"):
            branches = step["branches"]
            if not isinstance(branches, list) or not all(isinstance(b, dict) for b in branches):
                self.error("branches must be a list of {name, percent, next}", sid)
            elif abs(sum(float(b.get("percent") or 0) for b in branches) - 100) > 1e-9:
                self.error("split percents must add up to 100", sid)
        elif kind == "points" and step.get("amount") is not None and (
                isinstance(step["amount"], bool) or not isinstance(step["amount"], int)):
            self.error("points amount must be a whole number", sid)
        elif kind == "update_profile" and step.get("set") is not None and not isinstance(step["set"], dict):
            self.error("set must be a JSON object", sid)
        if kind == "wait_for_event":
            timeout = step.get("timeoutSeconds")
            if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0):
                self.error("timeoutSeconds must be a number above 0", sid)

    def wait(self, sid: str, step: Mapping[str, Any]) -> None:
        seconds, until = step.get("seconds"), step.get("until")
        if seconds is not None and (isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds < 0):
            self.error("seconds must be a number, 0 or more", sid)
        if until is not None:
            if not isinstance(until, str) or not _HHMM.match(until):
                self.error("until must be HH:MM", sid)
            zone = step.get("timezone", "user")
            if zone != "user" and not _valid_zone(zone):
                self.error(f"unknown time zone {zone!r}", sid)

    def graph(self, steps: dict[str, Mapping[str, Any]]) -> None:
        start = self.doc.get("start")
        if not isinstance(start, str) or not start:
            self.error("the journey needs a start step")
        elif start not in steps:
            self.error(f"start names no step: '{start}'")
        for sid, step in steps.items():
            for target in successors(step):
                if target not in steps:
                    self.error(f"'{target}' names no step", sid)
        for key in ("moveWhen",):
            for rule in self.doc.get(key) or []:
                if isinstance(rule, dict) and rule.get("to") not in steps:
                    self.error(f"moveWhen names no step: '{rule.get('to')}'")
        reactivation = self.doc.get("reactivation")
        if isinstance(reactivation, dict) and reactivation.get("resumeAt") is not None and reactivation["resumeAt"] not in steps:
            self.error(f"reactivation.resumeAt names no step: '{reactivation['resumeAt']}'")
        loop = _unguarded_loop(steps)
        if loop:
            self.error(f"the loop {' -> '.join(loop)} runs without passing a wait or wait_for_event", loop[0])


def _unguarded_loop(steps: dict[str, Mapping[str, Any]]) -> list[str] | None:
    """A cycle among steps that are not waits: it could run forever in one pass."""
    graph = {sid: [t for t in successors(s) if t in steps and steps[t].get("kind") not in WAIT_KINDS]
             for sid, s in steps.items() if s.get("kind") not in WAIT_KINDS}
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if state.get(nxt) is None:
                found = visit(nxt)
                if found:
                    return found
        state[node] = 2
        path.pop()
        return None

    for node in graph:
        if state.get(node) is None:
            found = visit(node)
            if found:
                return found
    return None


def validate(document: Any, *, catalog: Catalog) -> list[Problem]:
    if not isinstance(document, dict):
        return [Problem(None, "ERROR", "the definition must be a JSON object")]
    return _Checker(document, catalog).run()


def compile(document: Any) -> CompiledJourney:  # noqa: A001 - the verb of the domain
    doc = document if isinstance(document, dict) else {}
    steps = {s["id"]: s for s in doc.get("steps") or [] if isinstance(s, dict) and isinstance(s.get("id"), str)}
    aggregates: list[AggregateSpec] = []
    for step in steps.values():
        aggregates += aggregates_of(step.get("where"))
    quiet = doc.get("quietHours")
    return CompiledJourney(
        steps=steps,
        start=doc.get("start"),
        trigger=doc.get("trigger") or {},
        goal=doc.get("goal"),
        exit_when=tuple(r for r in doc.get("exitWhen") or [] if isinstance(r, dict)),
        move_when=tuple(r for r in doc.get("moveWhen") or [] if isinstance(r, dict)),
        reactivation=doc.get("reactivation"),
        ladder=_ladder(doc),
        quiet_hours=(quiet["start"], quiet["end"]) if isinstance(quiet, dict) and "start" in quiet else None,
        aggregates=tuple(dict.fromkeys(aggregates)),
    )
