"""The predicate language of journey definitions (`where`, `segment`, badge rules).

`problems_of` checks a predicate's shape; `evaluate` runs it over plain facts.
Event aggregates (eventCount / eventSum) are not computed here: `aggregates_of`
lists the ones a predicate reads, the caller computes each of them set-based for a
whole batch and hands the values in `Facts.aggregates`.
"""

from __future__ import annotations

import builtins
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeGuard

from backend.journeys.document_schema import (
    AGGREGATE_OPS,
    FIXED_PATHS,
    PART_KEYS,
    PREFIX_PATHS,
    suggestion,
    unknown_keys,
)
from backend.journeys.document_schema import OPS as OP_NAMES
from backend.journeys.limits import MAX_SECONDS_TEXT, too_many_seconds

OPS = frozenset(OP_NAMES)
# The only comparisons that hold for a field that is not there (the contract).
TRUE_WHEN_MISSING = frozenset({"not_exists", "ne", "not_in"})
_FIXED_PATHS = frozenset(FIXED_PATHS)
_KEY = re.compile(r"^[A-Za-z0-9_\-]+(\.[A-Za-z0-9_\-]+)*$")
_PATHS_TEXT = ", ".join((*FIXED_PATHS, *(f"{p}<key>" for p in PREFIX_PATHS)))
_SHAPES = "'field' (with op and value), 'all', 'any', 'not', 'eventCount' or 'eventSum'"
MISSING = object()


@dataclass(frozen=True)
class AggregateSpec:
    """One event aggregate a predicate reads; equal specs are computed once per batch."""

    kind: str  # "count" | "sum"
    name: str
    property: str | None
    where: str | None  # canonical JSON of the predicate over the counted events
    within_seconds: int | None

    @builtins.property  # `property` is a field of this class
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


def _is_number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _path_problem(path: Any, allow_event: bool, event_only: bool) -> str | None:
    if not isinstance(path, str):
        return f"field must be a path such as 'user.attributes.vip' (one of {_PATHS_TEXT})"
    if path.startswith("event.") and not allow_event:
        return f"field '{path}' reads the event, but there is no event here (only user.* and entry.round)"
    if event_only and not path.startswith("event."):
        return f"field '{path}' is not a field of the counted events (use event.name or event.properties.<key>)"
    if path in _FIXED_PATHS:
        return None
    for prefix in PREFIX_PATHS:
        if path.startswith(prefix) and _KEY.match(path[len(prefix) :]):
            return None
    near = suggestion(path, _FIXED_PATHS)
    hint = f" (did you mean '{near}'?)" if near else ""
    return f"field '{path}' is not a field a predicate can read{hint}; the fields are: {_PATHS_TEXT}"


def _aggregate_spec_problems(kind: str, spec: Any) -> list[str]:
    if not isinstance(spec, dict) or not isinstance(spec.get("name"), str) or not spec["name"]:
        return [f'{kind} needs the event name: {{"{kind}": {{"name": "deposit", ...}}, ...}}']
    problems = unknown_keys(spec, PART_KEYS[kind], kind)
    if kind == "eventSum" and (not isinstance(spec.get("property"), str) or not spec["property"]):
        problems.append('eventSum needs the property to add up (its key is "property")')
    within = spec.get("withinSeconds")
    if within is not None and (not isinstance(within, int) or isinstance(within, bool) or within <= 0):
        problems.append(f"{kind}.withinSeconds must be a whole number above 0")
    elif too_many_seconds(within):
        problems.append(f"{kind}.withinSeconds must be at most {MAX_SECONDS_TEXT}")
    if spec.get("where") is not None:
        problems += _problems(spec["where"], allow_event=True, event_only=True)
    return problems


def _aggregate_problems(kind: str, pred: dict[str, Any]) -> list[str]:
    problems = unknown_keys(pred, (kind, "op", "value"), f"an {kind} predicate")
    problems += _aggregate_spec_problems(kind, pred[kind])
    if pred.get("op") not in AGGREGATE_OPS:
        problems.append(f"{kind}: op must be one of {', '.join(AGGREGATE_OPS)}; got {pred.get('op')!r}")
    if not _is_number(pred.get("value")):
        problems.append(f"{kind}: value must be a number to compare the {kind} with")
    return problems


def _value_problem(op: str, pred: dict[str, Any]) -> str | None:
    """What is wrong with the value of a comparison whose op is known."""
    value = pred.get("value")
    if op in ("exists", "not_exists"):
        return None
    if "value" not in pred:
        return f"op '{op}' needs a value (the key \"value\")"
    if op in ("in", "not_in"):
        return None if isinstance(value, list) else f'op \'{op}\' needs a list value, such as ["a", "b"]'
    if op in ("within_last", "not_within_last"):
        if not (isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0):
            return f"op '{op}' needs a value in seconds, 0 or more"
        return f"op '{op}' takes at most {MAX_SECONDS_TEXT} seconds" if too_many_seconds(value) else None
    if isinstance(value, (list, dict)):
        return f"op '{op}' compares with a single value, not a list or an object"
    return None


def _comparison_problems(pred: dict[str, Any], allow_event: bool, event_only: bool) -> list[str]:
    problems = unknown_keys(pred, PART_KEYS["comparison"], "a comparison")
    path_problem = _path_problem(pred["field"], allow_event, event_only)
    if path_problem:
        problems.append(path_problem)
    op = pred.get("op")
    if op not in OPS:
        near = suggestion(str(op), OPS) if isinstance(op, str) else None
        hint = f" (did you mean '{near}'?)" if near else ""
        problems.append(f"op {op!r} is not an op{hint}; the ops are: {', '.join(OP_NAMES)}")
    else:
        value_problem = _value_problem(op, pred)
        if value_problem:
            problems.append(value_problem)
    return problems


def _combination_problems(key: str, pred: dict[str, Any], allow_event: bool, event_only: bool) -> list[str]:
    problems = unknown_keys(pred, (key,), f"an '{key}' predicate")
    if key == "not":
        return problems + _problems(pred["not"], allow_event=allow_event, event_only=event_only)
    items = pred[key]
    if not isinstance(items, list) or not items:
        return [*problems, f"'{key}' needs a non-empty list of predicates"]
    return problems + [p for item in items for p in _problems(item, allow_event=allow_event, event_only=event_only)]


def _shape_hint(pred: dict[str, Any]) -> str:
    """A "did you mean" for the keys of a predicate that has none of the known ones."""
    near = [suggestion(str(key), ("field", "all", "any", "not", "eventCount", "eventSum")) for key in pred]
    named = [f"'{n}'" for n in near if n]
    return f" (did you mean {', '.join(named)}?)" if named else ""


def _problems(pred: Any, *, allow_event: bool, event_only: bool) -> list[str]:
    if not isinstance(pred, dict) or not pred:
        return [f"a predicate must be a JSON object with {_SHAPES}"]
    for key in ("all", "any", "not"):
        if key in pred:
            return _combination_problems(key, pred, allow_event, event_only)
    for kind in ("eventCount", "eventSum"):
        if kind in pred:
            if event_only:
                return [f"{kind} cannot be nested in the predicate of another eventCount or eventSum"]
            return _aggregate_problems(kind, pred)
    if "field" not in pred:
        return [f"a predicate needs {_SHAPES}{_shape_hint(pred)}"]
    return _comparison_problems(pred, allow_event, event_only)


def problems_of(pred: Any, *, allow_event: bool) -> list[str]:
    """Every problem with a predicate's shape, in plain words (empty when it is fine)."""
    return _problems(pred, allow_event=allow_event, event_only=False)


def _walk(pred: Any) -> Iterator[dict[str, Any]]:
    """Every node of a predicate, outside the inner predicates of aggregates."""
    if not isinstance(pred, dict):
        return
    yield pred
    for key in ("all", "any"):
        items = pred.get(key)
        if isinstance(items, list):
            for item in items:
                yield from _walk(item)
    if "not" in pred:
        yield from _walk(pred["not"])


def _aggregate_spec(kind: str, spec: dict[str, Any]) -> AggregateSpec:
    where = spec.get("where")
    within = spec.get("withinSeconds")
    return AggregateSpec(
        kind=kind,
        name=spec["name"],
        property=spec.get("property") if kind == "sum" else None,
        where=json.dumps(where, sort_keys=True) if where is not None else None,
        within_seconds=int(within) if within is not None else None,
    )


def aggregates_of(pred: Any) -> list[AggregateSpec]:
    out: list[AggregateSpec] = []
    for node in _walk(pred):
        for key, kind in (("eventCount", "count"), ("eventSum", "sum")):
            spec = node.get(key)
            if isinstance(spec, dict) and isinstance(spec.get("name"), str):
                out.append(_aggregate_spec(kind, spec))
    return out


def fields_read(pred: Any) -> set[str]:
    """The paths a predicate reads (those inside an aggregate read the counted events, not these facts)."""
    return {node["field"] for node in _walk(pred) if isinstance(node.get("field"), str)}


def event_names_read(pred: Any) -> set[str]:
    """Events whose arrival can change the predicate's answer: those it counts or sums,
    and those it names through `event.name` (eq / in)."""
    names = {spec.name for spec in aggregates_of(pred)}
    for node in _walk(pred):
        if node.get("field") == "event.name":
            value = node.get("value")
            if node.get("op") == "eq" and isinstance(value, str):
                names.add(value)
            elif node.get("op") == "in" and isinstance(value, list):
                names.update(v for v in value if isinstance(v, str))
    return names


def lookup(facts: Facts, path: str) -> Any:
    head, _, rest = path.partition(".")
    root: Any = (
        facts.user if head == "user" else facts.event if head == "event" else facts.entry if head == "entry" else None
    )
    if root is None:
        return MISSING
    for part in rest.split("."):
        if not isinstance(root, dict) or part not in root:
            return MISSING
        root = root[part]
    # A null stored value reads as missing: "no email" and "email: null" mean the same.
    return MISSING if root is None else root


def _as_time(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else None
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed if parsed.tzinfo is not None else None
    return None


def _equal(actual: Any, expected: Any) -> bool:
    # True is not 1 here: a flag and a count are different facts.
    if isinstance(actual, bool) != isinstance(expected, bool):
        return False
    if isinstance(actual, datetime) or isinstance(expected, datetime):
        when = _as_time(actual)
        return when is not None and when == _as_time(expected)
    return bool(actual == expected)


def _is_in(actual: Any, expected: Any) -> bool:
    return isinstance(expected, list) and any(_equal(actual, v) for v in expected)


def _contains(actual: Any, expected: Any) -> bool:
    if isinstance(actual, str):
        return isinstance(expected, str) and expected in actual
    return isinstance(actual, list) and any(_equal(item, expected) for item in actual)


def _within_last(actual: Any, expected: Any, now: datetime) -> bool | None:
    """Whether `actual` lies in the last `expected` seconds; None when either is unusable."""
    when = _as_time(actual)
    if when is None or not _is_number(expected):
        return None
    return now - timedelta(seconds=float(expected)) <= when <= now


_ORDERINGS: dict[str, Callable[[Any, Any], bool]] = {
    "gt": lambda a, b: bool(a > b),
    "gte": lambda a, b: bool(a >= b),
    "lt": lambda a, b: bool(a < b),
    "lte": lambda a, b: bool(a <= b),
}

_PRESENT_VALUE_TESTS: dict[str, Callable[[Any, Any], bool]] = {
    "exists": lambda a, b: True,
    "not_exists": lambda a, b: False,
    "eq": _equal,
    "ne": lambda a, b: not _equal(a, b),
    "in": _is_in,
    "not_in": lambda a, b: not _is_in(a, b),
    "contains": _contains,
}


def _order(op: str, actual: Any, expected: Any) -> bool:
    ordering = _ORDERINGS.get(op)
    if ordering is None:
        return False
    # Times compare with times, whether given as datetimes or ISO text.
    if isinstance(actual, datetime) or isinstance(expected, datetime):
        actual, expected = _as_time(actual), _as_time(expected)
        if actual is None or expected is None:
            return False
    elif isinstance(actual, bool) or isinstance(expected, bool) or _is_number(actual) != _is_number(expected):
        return False
    try:
        return ordering(actual, expected)
    except TypeError:
        # A text against an object or the like: false, never an error.
        return False


def compare(op: str, actual: Any, expected: Any, now: datetime) -> bool:
    if actual is MISSING:
        return op in TRUE_WHEN_MISSING
    test = _PRESENT_VALUE_TESTS.get(op)
    if test is not None:
        return test(actual, expected)
    if op in ("within_last", "not_within_last"):
        inside = _within_last(actual, expected, now)
        if inside is None:
            return False
        return inside if op == "within_last" else not inside
    return _order(op, actual, expected)


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
