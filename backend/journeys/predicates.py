"""The predicate language of journey definitions (`where`, `segment`, badge rules).

`problems_of` checks a predicate's shape; `evaluate` runs it over plain facts.
Event aggregates (eventCount / eventSum) are not computed here: `aggregates_of`
lists the ones a predicate reads, the caller computes them set-based for a whole
batch and hands them in `Facts.aggregates`.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

OPS = frozenset({"eq", "ne", "gt", "gte", "lt", "lte", "in", "not_in", "contains", "exists", "not_exists",
                 "within_last", "not_within_last"})
_FIXED_PATHS = frozenset({
    "event.name", "user.externalId", "user.username", "user.email", "user.phone", "user.timezone",
    "user.points", "user.level", "user.financial.depositCount", "user.financial.depositTotal",
    "user.financial.lastDepositAt", "entry.round",
})
_PREFIX_PATHS = ("event.properties.", "user.attributes.")
_KEY = re.compile(r"^[A-Za-z0-9_\-]+(\.[A-Za-z0-9_\-]+)*$")
MISSING = object()


@dataclass(frozen=True)
class AggregateSpec:
    kind: str  # "count" | "sum"
    name: str
    property: str | None
    where: str | None  # canonical JSON of the event predicate
    within_seconds: int | None

    @property
    def where_predicate(self) -> Any:
        return json.loads(self.where) if self.where else None


@dataclass
class Facts:
    """What a predicate may read: nested plain values, plus precomputed aggregates."""

    now: datetime
    user: dict[str, Any] = field(default_factory=dict)
    event: dict[str, Any] | None = None
    entry: dict[str, Any] = field(default_factory=dict)
    aggregates: dict[AggregateSpec, float] = field(default_factory=dict)


def _valid_path(path: Any, allow_event: bool) -> str | None:
    if not isinstance(path, str):
        return "field must be a path such as 'user.attributes.vip'"
    if path.startswith("event.") and not allow_event:
        return f"'{path}' reads the event, but there is no event here"
    if path in _FIXED_PATHS:
        return None
    for prefix in _PREFIX_PATHS:
        if path.startswith(prefix) and _KEY.match(path[len(prefix):]):
            return None
    return f"unknown field '{path}'"


def _aggregate_spec(kind: str, spec: Any) -> AggregateSpec:
    where = spec.get("where")
    return AggregateSpec(
        kind=kind,
        name=spec["name"],
        property=spec.get("property") if kind == "sum" else None,
        where=json.dumps(where, sort_keys=True) if where is not None else None,
        within_seconds=int(spec["withinSeconds"]) if spec.get("withinSeconds") is not None else None,
    )


def problems_of(pred: Any, *, allow_event: bool) -> list[str]:
    """Every problem with a predicate's shape, in plain words (empty when it is fine)."""
    if not isinstance(pred, dict) or not pred:
        return ["a predicate must be a JSON object"]
    if "all" in pred or "any" in pred:
        key = "all" if "all" in pred else "any"
        items = pred[key]
        if not isinstance(items, list) or not items:
            return [f"'{key}' needs a non-empty list of predicates"]
        return [p for item in items for p in problems_of(item, allow_event=allow_event)]
    if "not" in pred:
        return problems_of(pred["not"], allow_event=allow_event)
    problems: list[str] = []
    if "eventCount" in pred or "eventSum" in pred:
        kind = "eventCount" if "eventCount" in pred else "eventSum"
        spec = pred[kind]
        if not isinstance(spec, dict) or not isinstance(spec.get("name"), str) or not spec["name"]:
            problems.append(f"{kind} needs an event name")
        else:
            if kind == "eventSum" and not isinstance(spec.get("property"), str):
                problems.append("eventSum needs the property to add up")
            within = spec.get("withinSeconds")
            if within is not None and (isinstance(within, bool) or not isinstance(within, int) or within <= 0):
                problems.append(f"{kind}.withinSeconds must be a whole number above 0")
            if spec.get("where") is not None:
                problems += problems_of(spec["where"], allow_event=True)
        if pred.get("op") not in ("eq", "ne", "gt", "gte", "lt", "lte"):
            problems.append(f"{kind} compares with eq, ne, gt, gte, lt or lte")
        if isinstance(pred.get("value"), bool) or not isinstance(pred.get("value"), (int, float)):
            problems.append(f"{kind} compares with a number")
        return problems
    if "field" not in pred:
        return ["a predicate needs 'field', 'all', 'any', 'not', 'eventCount' or 'eventSum'"]
    path_problem = _valid_path(pred["field"], allow_event)
    if path_problem:
        problems.append(path_problem)
    op = pred.get("op")
    if op not in OPS:
        problems.append(f"unknown op {op!r}")
    elif op in ("in", "not_in") and not isinstance(pred.get("value"), list):
        problems.append(f"'{op}' needs a list value")
    elif op in ("within_last", "not_within_last") and (
        isinstance(pred.get("value"), bool) or not isinstance(pred.get("value"), (int, float))
    ):
        problems.append(f"'{op}' needs a number of seconds")
    elif op not in ("exists", "not_exists") and "value" not in pred:
        problems.append(f"'{op}' needs a value")
    return problems


def aggregates_of(pred: Any) -> list[AggregateSpec]:
    if not isinstance(pred, dict):
        return []
    out: list[AggregateSpec] = []
    for key in ("all", "any"):
        for item in pred.get(key) or []:
            out += aggregates_of(item)
    if "not" in pred:
        out += aggregates_of(pred["not"])
    if isinstance(pred.get("eventCount"), dict) and "name" in pred["eventCount"]:
        out.append(_aggregate_spec("count", pred["eventCount"]))
    if isinstance(pred.get("eventSum"), dict) and "name" in pred["eventSum"]:
        out.append(_aggregate_spec("sum", pred["eventSum"]))
    return out


def fields_read(pred: Any) -> set[str]:
    if not isinstance(pred, dict):
        return set()
    out = {pred["field"]} if isinstance(pred.get("field"), str) else set()
    for key in ("all", "any"):
        for item in pred.get(key) or []:
            out |= fields_read(item)
    if "not" in pred:
        out |= fields_read(pred["not"])
    return out


def event_names_read(pred: Any) -> set[str]:
    return {spec.name for spec in aggregates_of(pred)}


def lookup(facts: Facts, path: str) -> Any:
    head, _, rest = path.partition(".")
    root: Any = {"user": facts.user, "event": facts.event, "entry": facts.entry}.get(head)
    if root is None:
        return MISSING
    for part in rest.split("."):
        if not isinstance(root, dict) or part not in root:
            return MISSING
        root = root[part]
    return MISSING if root is None else root


def _as_time(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    return None


def compare(op: str, actual: Any, expected: Any, now: datetime) -> bool:
    if actual is MISSING:
        return op in ("not_exists", "ne", "not_in")
    try:
        if op == "exists":
            return True
        if op == "not_exists":
            return False
        if op == "eq":
            return actual == expected
        if op == "ne":
            return actual != expected
        if op == "in":
            return actual in expected
        if op == "not_in":
            return actual not in expected
        if op == "contains":
            if isinstance(actual, (list, str)):
                return expected in actual
            return False
        if op in ("within_last", "not_within_last"):
            when = _as_time(actual)
            if when is None or when.tzinfo is None:
                return False
            inside = now - timedelta(seconds=float(expected)) <= when <= now
            return inside if op == "within_last" else not inside
        if isinstance(actual, bool) != isinstance(expected, bool):
            return False
        if op == "gt":
            return actual > expected
        if op == "gte":
            return actual >= expected
        if op == "lt":
            return actual < expected
        if op == "lte":
            return actual <= expected
    except TypeError:
        # Comparing a text with a number is false, never an error.
        return False
    return False


def evaluate(pred: Any, facts: Facts) -> bool:
    if "all" in pred:
        return all(evaluate(p, facts) for p in pred["all"])
    if "any" in pred:
        return any(evaluate(p, facts) for p in pred["any"])
    if "not" in pred:
        return not evaluate(pred["not"], facts)
    if "eventCount" in pred:
        value = facts.aggregates.get(_aggregate_spec("count", pred["eventCount"]), 0)
        return compare(pred["op"], value, pred["value"], facts.now)
    if "eventSum" in pred:
        value = facts.aggregates.get(_aggregate_spec("sum", pred["eventSum"]), 0)
        return compare(pred["op"], value, pred["value"], facts.now)
    return compare(pred["op"], lookup(facts, pred["field"]), pred.get("value"), facts.now)
