"""Each rule of the journey-definition contract, checked over a document of any shape.

Every check reads the document defensively (a field may hold anything), so a bad
document gives problems, never an exception.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter

from backend.journeys.document_schema import (
    PART_NAMES,
    STEP_KINDS,
    TRIGGER_KINDS,
    part_keys,
    step_keys,
    suggestion,
    trigger_keys,
    unknown_keys,
)
from backend.journeys.limits import (
    MAX_KEY,
    MAX_LADDER_STEP,
    MAX_POINTS_STEP,
    MAX_SECONDS_TEXT,
    MAX_STEP_NAME,
    too_long,
    too_many_seconds,
)
from backend.journeys.predicates import problems_of
from backend.journeys.step_graph import LINK_FIELDS, unguarded_loops
from backend.statuses import ENDED

_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_TRIGGERS_TEXT = ", ".join(TRIGGER_KINDS)
_KINDS_TEXT = ", ".join(STEP_KINDS)
Found = tuple[str | None, str, str]


def _number(value: Any, *, above: float | None = None, least: float | None = None) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return (above is None or value > above) and (least is None or value >= least)


def valid_zone(name: Any) -> bool:
    if not isinstance(name, str) or not name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _valid_time(text: Any) -> bool:
    if not isinstance(text, str):
        return False
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


class Checker:
    def __init__(
        self,
        document: Mapping[str, Any],
        catalog: Any,
        *,
        ladder: Mapping[str, int],
        kinds: Sequence[str],
        configured: Callable[[Mapping[str, Any]], bool],
    ):
        self.doc = document
        self.catalog = catalog
        self.ladder = ladder
        self.kinds = kinds
        self.configured = configured
        self.found: list[Found] = []
        self.step_documents: dict[str, Mapping[str, Any]] = {}

    def error(self, message: str, step_id: str | None = None) -> None:
        self.found.append((step_id, "ERROR", self.about(step_id) + message))

    def about(self, step_id: str | None) -> str:
        """Where a step's problem is: "step 'welcome' (send): "."""
        if step_id is None:
            return ""
        step = self.step_documents.get(step_id, {})
        kind = step.get("kind")
        return f"step '{step_id}' ({kind}): " if isinstance(kind, str) and kind in self.kinds else f"step '{step_id}': "

    def unknown(self, value: Any, part: str, step_id: str | None = None) -> None:
        for message in unknown_keys(value, part_keys(part), PART_NAMES[part]):
            self.error(message, step_id)

    def seconds(self, value: Any, key: str, step_id: str | None = None) -> None:
        """A number of seconds the engine can add to a date: at most 10 years."""
        if too_many_seconds(value):
            self.error(f"{key} must be at most {MAX_SECONDS_TEXT}", step_id)

    def key(self, value: Any, key: str, step_id: str | None = None) -> None:
        """An id or a name kept in a column of MAX_KEY characters."""
        if too_long(value):
            self.error(f"{key} is longer than {MAX_KEY} characters", step_id)

    def predicate(self, pred: Any, where: str, *, allow_event: bool, step_id: str | None = None) -> None:
        for message in problems_of(pred, allow_event=allow_event):
            self.error(f"{where}: {message}", step_id)

    def run(self) -> list[Found]:
        self.unknown(self.doc, "document")
        self.trigger()
        self.goal()
        self.rules()
        self.settings()
        steps = self.steps()
        self.links(steps)
        return self.found

    def trigger(self) -> None:
        trigger = self.doc.get("trigger")
        if not isinstance(trigger, dict):
            self.error(self._trigger_shape(trigger))
            return
        kind = trigger.get("kind")
        if kind not in TRIGGER_KINDS:
            self.error(self._trigger_kind(kind, trigger))
            return
        for message in unknown_keys(trigger, trigger_keys(kind), f"a {kind} trigger"):
            self.error(message)
        if kind == "EVENT":
            self.event_trigger(trigger)
        elif kind == "SCHEDULED_SEGMENT":
            self.segment_trigger(trigger)

    @staticmethod
    def _trigger_shape(trigger: Any) -> str:
        if trigger is None:
            return f'the key "trigger" is missing: how users enter, such as {{"kind": "API"}} (kinds: {_TRIGGERS_TEXT})'
        if isinstance(trigger, str) and trigger.upper() in TRIGGER_KINDS:
            return (
                f'"trigger" must be an object, not the text {trigger!r}: write {{"kind": "{trigger.upper()}", ...}} '
                f"(kinds: {_TRIGGERS_TEXT})"
            )
        return f'"trigger" must be an object with a "kind" (one of {_TRIGGERS_TEXT})'

    @staticmethod
    def _trigger_kind(kind: Any, trigger: Mapping[str, Any]) -> str:
        if kind is None:
            near = [k for k, v in trigger.items() if isinstance(v, str) and v.upper() in TRIGGER_KINDS]
            hint = f' (did you mean "kind" instead of "{near[0]}"?)' if near else ""
            return f"trigger.kind is missing{hint}; it is one of {_TRIGGERS_TEXT}"
        near_kind = suggestion(str(kind).upper(), TRIGGER_KINDS)
        hint = f" (did you mean '{near_kind}'?)" if near_kind else ""
        return f"trigger.kind {kind!r} is not a trigger kind{hint}; it is one of {_TRIGGERS_TEXT}"

    def event_trigger(self, trigger: Mapping[str, Any]) -> None:
        if not isinstance(trigger.get("event"), str) or not trigger["event"]:
            self.error('an EVENT trigger needs the event name: trigger.event, such as "deposit"')
        self.key(trigger.get("event"), "trigger.event")
        if trigger.get("where") is not None:
            self.predicate(trigger["where"], "trigger.where", allow_event=True)

    def segment_trigger(self, trigger: Mapping[str, Any]) -> None:
        self.schedule(trigger.get("schedule"))
        if trigger.get("segment") is None:
            self.error("a SCHEDULED_SEGMENT trigger needs a segment predicate (trigger.segment)")
        else:
            self.predicate(trigger["segment"], "trigger.segment", allow_event=False)
        if not _number(trigger.get("limitPercent", 100), least=1) or trigger.get("limitPercent", 100) > 100:
            self.error("trigger.limitPercent must be a number from 1 to 100")

    def schedule(self, schedule: Any) -> None:
        if not isinstance(schedule, dict):
            self.error("a SCHEDULED_SEGMENT trigger needs trigger.schedule: {cron, timezone, endsAt}")
            return
        self.unknown(schedule, "schedule")
        cron = schedule.get("cron")
        if not isinstance(cron, str) or not croniter.is_valid(cron):
            self.error(f"trigger.schedule.cron {cron!r} is not a valid cron expression (such as '0 9 * * MON-FRI')")
        if schedule.get("timezone") is not None and not valid_zone(schedule["timezone"]):
            self.error(
                f"trigger.schedule.timezone {schedule['timezone']!r} is not a time zone "
                "(an IANA name such as Europe/Riga)"
            )
        if schedule.get("endsAt") is not None and not _valid_time(schedule["endsAt"]):
            self.error("trigger.schedule.endsAt must be a date and time such as 2026-12-31T23:59:00Z")

    def goal(self) -> None:
        goal = self.doc.get("goal")
        if goal is None:
            return
        if not isinstance(goal, dict) or not isinstance(goal.get("event"), str) or not goal["event"]:
            self.error('goal needs an event name: goal.event, such as "deposit"')
            return
        self.unknown(goal, "goal")
        if goal.get("where") is not None:
            self.predicate(goal["where"], "goal.where", allow_event=True)
        if goal.get("withinSeconds") is not None and not _number(goal["withinSeconds"], above=0):
            self.error("goal.withinSeconds must be a number above 0")
        self.seconds(goal.get("withinSeconds"), "goal.withinSeconds")
        self.key(goal.get("event"), "goal.event")

    def rules(self) -> None:
        for key in ("exitWhen", "moveWhen"):
            rules = self.doc.get(key)
            if rules is None:
                continue
            if not isinstance(rules, list):
                self.error(f"{key} must be a list of rules {{event, where}}")
                continue
            for i, rule in enumerate(rules):
                if not isinstance(rule, dict) or not isinstance(rule.get("event"), str) or not rule["event"]:
                    self.error(f"{key}[{i}] needs an event name: {key}[{i}].event")
                    continue
                self.unknown(rule, "exitRule" if key == "exitWhen" else "moveRule")
                self.key(rule["event"], f"{key}[{i}].event")
                if rule.get("where") is not None:
                    self.predicate(rule["where"], f"{key}[{i}].where", allow_event=True)
        self.reactivation()

    def reactivation(self) -> None:
        reactivation = self.doc.get("reactivation")
        if reactivation is None:
            return
        if (
            not isinstance(reactivation, dict)
            or not isinstance(reactivation.get("event"), str)
            or not reactivation["event"]
        ):
            self.error("reactivation needs an event name: reactivation.event")
            return
        self.unknown(reactivation, "reactivation")
        if reactivation.get("where") is not None:
            self.predicate(reactivation["where"], "reactivation.where", allow_event=True)
        self.key(reactivation["event"], "reactivation.event")
        for key in ("waitSeconds", "lookbackSeconds"):
            if reactivation.get(key) is not None and not _number(reactivation[key], least=0):
                self.error(f"reactivation.{key} must be a number of seconds, 0 or more")
            self.seconds(reactivation.get(key), f"reactivation.{key}")
        eligible = reactivation.get("eligibleStatuses")
        if eligible is not None and (not isinstance(eligible, list) or not all(s in ENDED for s in eligible)):
            self.error("reactivation.eligibleStatuses must list ended statuses: " + ", ".join(ENDED))

    def settings(self) -> None:
        quiet = self.doc.get("quietHours")
        self.unknown(quiet, "quietHours")
        if quiet is not None:
            if not (
                isinstance(quiet, dict)
                and all(isinstance(quiet.get(k), str) and _HHMM.match(quiet[k]) for k in ("start", "end"))
            ):
                self.error("quietHours needs start and end as HH:MM")
            elif quiet["start"] == quiet["end"]:
                self.error("quietHours start and end must differ")
        statuses = self.doc.get("statuses")
        if statuses is not None and (not isinstance(statuses, list) or len(self.ladder) != len(statuses)):
            self.error("statuses must be a list of {name, step}, with different names and whole step numbers")
        for i, status in enumerate(statuses if isinstance(statuses, list) else []):
            if not isinstance(status, dict):
                continue
            self.unknown(status, "status")
            self.key(status.get("name"), f"statuses[{i}].name")
            step = status.get("step")
            if isinstance(step, int) and abs(step) > MAX_LADDER_STEP:
                self.error(
                    f"statuses[{i}].step must be a whole number from -{MAX_LADDER_STEP:,} to {MAX_LADDER_STEP:,}"
                )

    def steps(self) -> dict[str, Mapping[str, Any]]:
        raw = self.doc.get("steps")
        if not isinstance(raw, list):
            what = 'the key "steps" is missing' if raw is None else '"steps" must be a list'
            self.error(f'{what}: a list of steps such as [{{"id": "welcome", "kind": "send", "resource": "Welcome"}}]')
            return {}
        steps: dict[str, Mapping[str, Any]] = {}
        for i, step in enumerate(raw):
            if not isinstance(step, dict) or not isinstance(step.get("id"), str) or not step["id"]:
                self.error(f'step {i + 1} of steps needs a text "id" (the name other steps and "start" use for it)')
                continue
            sid = step["id"]
            if too_long(sid):
                self.found.append(
                    (sid[:MAX_KEY], "ERROR", f"step id '{sid[:20]}...' is longer than {MAX_KEY} characters")
                )
                continue
            if sid in steps:
                self.error(f"duplicate step id '{sid}'", sid)
                continue
            steps[sid] = step
            self.step_documents[sid] = step
            self.step(sid, step)
        return steps

    def step(self, sid: str, step: Mapping[str, Any]) -> None:
        kind = step.get("kind")
        if kind not in self.kinds:
            self.error(self._kind_problem(kind, step), sid)
            return
        for message in unknown_keys(step, step_keys(str(kind)), f"a {kind} step"):
            self.error(message, sid)
        if not self.configured(step):
            self.found.append((sid, "WARNING", f"step '{sid}' is not configured: entries that reach it halt there"))
        if too_long(step.get("name"), MAX_STEP_NAME):
            self.error(f"name is longer than {MAX_STEP_NAME} characters", sid)
        getattr(self, f"step_{kind}", lambda _sid, _step: None)(sid, step)

    def _kind_problem(self, kind: Any, step: Mapping[str, Any]) -> str:
        if kind is None:
            misplaced = [k for k in step if k != "kind" and isinstance(step[k], str) and step[k] in self.kinds]
            hint = f' (did you mean "kind" instead of "{misplaced[0]}"?)' if misplaced else ""
            return f'the key "kind" is missing{hint}; it is one of {_KINDS_TEXT}'
        near = suggestion(str(kind).lower(), self.kinds)
        hint = f" (did you mean '{near}'?)" if near else ""
        return f"kind {kind!r} is not a step kind{hint}; it is one of {_KINDS_TEXT}"

    def step_send(self, sid: str, step: Mapping[str, Any]) -> None:
        resource = step.get("resource")
        if resource not in (None, "") and (
            isinstance(resource, (dict, list, bool)) or str(resource) not in self.catalog.resources
        ):
            self.error(f"resource: no resource named '{resource}' (the name or id of a resource)", sid)
        elif str(resource) in self.catalog.shared_names:
            self.error(f"resource: more than one resource is named '{resource}': name the one to send by its id", sid)
        elif str(resource) in self.catalog.outside_journey:
            self.error(
                f"resource: '{resource}' is not open to every access group of the journey (a journey sends "
                "only a resource with no access groups or one in each of the journey's groups)",
                sid,
            )

    def step_bonus(self, sid: str, step: Mapping[str, Any]) -> None:
        template = step.get("template")
        if template not in (None, "") and (
            isinstance(template, (dict, list, bool)) or str(template) not in self.catalog.bonus_templates
        ):
            self.error(f"template: no bonus template named '{template}' (the name or id of a bonus template)", sid)

    def step_set_status(self, sid: str, step: Mapping[str, Any]) -> None:
        status = step.get("status")
        self.key(status, "status", sid)
        if status not in (None, "") and (not isinstance(status, str) or status not in self.ladder):
            names = ", ".join(self.ladder)
            self.error(f"status: no status named '{status}' in the journey's statuses ({names})", sid)

    def step_condition(self, sid: str, step: Mapping[str, Any]) -> None:
        if step.get("where") is not None:
            self.predicate(step["where"], "where", allow_event=False, step_id=sid)

    def step_wait_for_event(self, sid: str, step: Mapping[str, Any]) -> None:
        if step.get("event") not in (None, "") and not isinstance(step["event"], str):
            self.error("event must be an event name", sid)
        if step.get("where") is not None:
            self.predicate(step["where"], "where", allow_event=True, step_id=sid)
        if step.get("timeoutSeconds") is not None and not _number(step["timeoutSeconds"], above=0):
            self.error("timeoutSeconds must be a number above 0", sid)
        self.seconds(step.get("timeoutSeconds"), "timeoutSeconds", sid)
        self.key(step.get("event"), "event", sid)

    def step_wait(self, sid: str, step: Mapping[str, Any]) -> None:
        if step.get("seconds") is not None and not _number(step["seconds"], least=0):
            self.error("seconds must be a number, 0 or more", sid)
        self.seconds(step.get("seconds"), "seconds", sid)
        if step.get("until") is not None and not (isinstance(step["until"], str) and _HHMM.match(step["until"])):
            self.error("until must be HH:MM", sid)
        zone = step.get("timezone", "user")
        if zone != "user" and not valid_zone(zone):
            self.error(f'timezone {zone!r} is not a time zone (an IANA name such as Europe/Riga, or "user")', sid)

    def step_split(self, sid: str, step: Mapping[str, Any]) -> None:
        branches = step.get("branches")
        if branches in (None, []):
            return
        if not isinstance(branches, list) or not all(isinstance(b, dict) for b in branches):
            self.error("branches must be a list of {name, percent, next}", sid)
            return
        for branch in branches:
            self.unknown(branch, "branch", sid)
        if not all(isinstance(b.get("name"), str) and b["name"] for b in branches):
            self.error("every branch needs a name (branches[].name)", sid)
        if not all(b.get("next") is None or isinstance(b["next"], str) for b in branches):
            self.error("a branch's next must be a step id", sid)
        if not all(_number(b.get("percent"), least=0) for b in branches):
            self.error("every branch needs a percent, 0 or more (branches[].percent)", sid)
        elif abs(sum(b["percent"] for b in branches) - 100) > 1e-9:
            self.error(
                f"split percents must add up to 100 (they add up to {sum(b['percent'] for b in branches):g})", sid
            )

    def step_points(self, sid: str, step: Mapping[str, Any]) -> None:
        amount = step.get("amount")
        if amount is not None and (
            isinstance(amount, bool) or not isinstance(amount, int) or abs(amount) > MAX_POINTS_STEP
        ):
            self.error(f"amount must be a whole number from -{MAX_POINTS_STEP:,} to {MAX_POINTS_STEP:,}", sid)

    def step_update_profile(self, sid: str, step: Mapping[str, Any]) -> None:
        if step.get("set") is not None and not isinstance(step["set"], dict):
            self.error("set must be a JSON object", sid)

    def step_webhook(self, sid: str, step: Mapping[str, Any]) -> None:
        url = step.get("url")
        if url not in (None, "") and not (isinstance(url, str) and url.startswith(("https://", "http://"))):
            self.error("url must start with https:// or http://", sid)
        if step.get("body") is not None and not isinstance(step["body"], str):
            self.error("body must be a JSON text template", sid)

    def links(self, steps: dict[str, Mapping[str, Any]]) -> None:
        start = self.doc.get("start")
        ids = ", ".join(list(steps)[:20]) or "none yet"
        if not isinstance(start, str) or not start:
            self.error(f'the key "start" is missing: the id of the step entries begin at (step ids: {ids})')
        elif start not in steps:
            self.error(f"start names no step: '{start}' (step ids: {ids})")
        for sid, step in steps.items():
            if step.get("kind") in self.kinds:
                self.step_links(sid, step, steps, ids)
        self.rule_links(steps)
        for loop in unguarded_loops(steps):
            self.error(f"the loop {' -> '.join(loop)} runs without passing a wait or wait_for_event", loop[0])

    def step_links(self, sid: str, step: Mapping[str, Any], steps: Mapping[str, Any], ids: str) -> None:
        """Each key of the step that names a step: a step id, and one that exists."""
        if step["kind"] == "split":
            branches = step.get("branches")
            named = [
                (f"branches[{i}].next", b.get("next"))
                for i, b in enumerate(branches if isinstance(branches, list) else [])
                if isinstance(b, dict)
            ]
        else:
            fields = LINK_FIELDS.get(step["kind"], ("next",))
            named = [(name, step.get(name)) for name in fields]
            for name, target in named:
                if target is not None and not isinstance(target, str):
                    self.error(f"{name} must be a step id", sid)
        for name, target in named:
            if isinstance(target, str) and target not in steps:
                self.error(f"{name} names no step: '{target}' (step ids: {ids})", sid)

    def rule_links(self, steps: Mapping[str, Any]) -> None:
        move_when = self.doc.get("moveWhen")
        for i, rule in enumerate(move_when if isinstance(move_when, list) else []):
            if isinstance(rule, dict) and isinstance(rule.get("event"), str):
                to = rule.get("to")
                if not isinstance(to, str) or to not in steps:
                    self.error(f"moveWhen[{i}].to names no step: '{to}'")
        reactivation = self.doc.get("reactivation")
        if isinstance(reactivation, dict) and reactivation.get("resumeAt") is not None:
            resume = reactivation["resumeAt"]
            if not isinstance(resume, str) or resume not in steps:
                self.error(f"reactivation.resumeAt names no step: '{resume}'")
