"""The keys of the journey document, and the JSON Schema built from them.

One table says which keys each part of the document takes: validation refuses any
other key (with the nearest known one as a suggestion), and the JSON Schema served at
/schema/journey-definition.json is built from the same table, so the two cannot
drift apart. The schema describes the shape; `definition.validate` also checks what a
schema cannot (step links, loops, resource names, cron expressions, time zones).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any

from backend.journeys.limits import MAX_KEY, MAX_LADDER_STEP, MAX_POINTS_STEP, MAX_SECONDS, MAX_STEP_NAME
from backend.statuses import ENDED

SCHEMA_ID = "/schema/journey-definition.json"
TRIGGER_KINDS = ("API", "EVENT", "SCHEDULED_SEGMENT")
STEP_KINDS = (
    "send",
    "wait",
    "wait_for_event",
    "condition",
    "split",
    "bonus",
    "points",
    "set_status",
    "update_profile",
    "webhook",
    "goto",
    "exit",
)
OPS = (
    "eq",
    "ne",
    "gt",
    "gte",
    "lt",
    "lte",
    "in",
    "not_in",
    "contains",
    "exists",
    "not_exists",
    "within_last",
    "not_within_last",
)
AGGREGATE_OPS = ("eq", "ne", "gt", "gte", "lt", "lte")
FIXED_PATHS = (
    "event.name",
    "user.externalId",
    "user.username",
    "user.email",
    "user.phone",
    "user.timezone",
    "user.points",
    "user.level",
    "user.financial.depositCount",
    "user.financial.depositTotal",
    "user.financial.lastDepositAt",
    "entry.round",
)
PREFIX_PATHS = ("event.properties.", "user.attributes.")

# -- JSON Schema pieces ------------------------------------------------------------------------

_STEP_ID = {"type": "string", "minLength": 1, "maxLength": MAX_KEY, "description": "the id of a step"}
_NAME = {"type": "string", "minLength": 1, "maxLength": MAX_KEY}
_SECONDS = {"type": "number", "minimum": 0, "maximum": MAX_SECONDS}
_POSITIVE_SECONDS = {"type": "number", "exclusiveMinimum": 0, "maximum": MAX_SECONDS}
_HHMM = {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "description": "HH:MM, 24-hour clock"}
_PREDICATE = {"$ref": "#/$defs/predicate"}
_NAME_OR_ID = {"type": ["string", "integer"], "description": "a name, or an id"}


def _path_pattern() -> str:
    fixed = "|".join(p.replace(".", "\\.") for p in FIXED_PATHS)
    prefixed = "|".join(p.replace(".", "\\.") for p in PREFIX_PATHS)
    return f"^(?:{fixed}|(?:{prefixed})[A-Za-z0-9_\\-]+(?:\\.[A-Za-z0-9_\\-]+)*)$"


# Every part of the document: its keys and each key's schema.
TRIGGER_KEYS: Mapping[str, Mapping[str, Any]] = {
    "API": {"kind": {"const": "API"}},
    "EVENT": {"kind": {"const": "EVENT"}, "event": _NAME, "where": _PREDICATE},
    "SCHEDULED_SEGMENT": {
        "kind": {"const": "SCHEDULED_SEGMENT"},
        "schedule": {"$ref": "#/$defs/schedule"},
        "segment": _PREDICATE,
        "limitPercent": {"type": "number", "minimum": 1, "maximum": 100, "default": 100},
    },
}
_STEP_COMMON: Mapping[str, Any] = {
    "id": _STEP_ID,
    "name": {"type": "string", "maxLength": MAX_STEP_NAME},
    "configured": {"type": "boolean", "description": "false: entries that reach the step halt there"},
}
_NEXT = {"next": _STEP_ID}
STEP_KEYS: Mapping[str, Mapping[str, Any]] = {
    "send": {"resource": _NAME_OR_ID, **_NEXT},
    "wait": {
        "seconds": _SECONDS,
        "until": _HHMM,
        "timezone": {"type": "string", "description": 'an IANA time zone, or "user" for the user\'s own'},
        **_NEXT,
    },
    "wait_for_event": {
        "event": _NAME,
        "where": _PREDICATE,
        "timeoutSeconds": _POSITIVE_SECONDS,
        **_NEXT,
        "timeoutNext": _STEP_ID,
    },
    "condition": {"where": _PREDICATE, "yes": _STEP_ID, "no": _STEP_ID},
    "split": {"branches": {"type": "array", "items": {"$ref": "#/$defs/branch"}}},
    "bonus": {"template": _NAME_OR_ID, **_NEXT},
    "points": {
        "amount": {"type": "integer", "minimum": -MAX_POINTS_STEP, "maximum": MAX_POINTS_STEP},
        "reason": {"type": "string"},
        **_NEXT,
    },
    "set_status": {"status": _NAME, **_NEXT},
    "update_profile": {"set": {"type": "object"}, **_NEXT},
    "webhook": {
        "url": {"type": "string", "pattern": "^https?://"},
        "body": {"type": "string", "description": "a JSON text template"},
        **_NEXT,
    },
    "goto": {"to": _STEP_ID},
    "exit": {},
}
PART_KEYS: Mapping[str, Mapping[str, Any]] = {
    "document": {
        "$schema": {"type": "string", "description": "the address of this schema, for editors"},
        "trigger": {"$ref": "#/$defs/trigger"},
        "goal": {"$ref": "#/$defs/goal"},
        "exitWhen": {"type": "array", "items": {"$ref": "#/$defs/exitRule"}},
        "moveWhen": {"type": "array", "items": {"$ref": "#/$defs/moveRule"}},
        "reactivation": {"anyOf": [{"type": "null"}, {"$ref": "#/$defs/reactivation"}]},
        "statuses": {"type": "array", "items": {"$ref": "#/$defs/status"}},
        "quietHours": {"$ref": "#/$defs/quietHours"},
        "start": _STEP_ID,
        "steps": {"type": "array", "items": {"$ref": "#/$defs/step"}},
    },
    "schedule": {
        "cron": {"type": "string", "description": "five-field cron, such as 0 9 * * MON-FRI"},
        "timezone": {"type": "string", "description": "an IANA time zone"},
        "endsAt": {"type": "string", "format": "date-time"},
    },
    "goal": {
        "event": _NAME,
        "where": _PREDICATE,
        "withinSeconds": _POSITIVE_SECONDS,
        "exitOnConversion": {"type": "boolean"},
    },
    "exitRule": {"event": _NAME, "where": _PREDICATE},
    "moveRule": {"event": _NAME, "where": _PREDICATE, "to": _STEP_ID},
    "reactivation": {
        "event": _NAME,
        "where": _PREDICATE,
        "waitSeconds": _SECONDS,
        "lookbackSeconds": _SECONDS,
        "eligibleStatuses": {"type": "array", "items": {"enum": [str(status) for status in ENDED]}},
        "resumeAt": _STEP_ID,
        "insertIfNone": {"type": "boolean"},
    },
    "status": {"name": _NAME, "step": {"type": "integer", "minimum": -MAX_LADDER_STEP, "maximum": MAX_LADDER_STEP}},
    "quietHours": {"start": _HHMM, "end": _HHMM},
    "branch": {
        "name": {"type": "string", "minLength": 1},
        "percent": {"type": "number", "minimum": 0},
        "next": _STEP_ID,
    },
    "eventCount": {"name": _NAME, "where": _PREDICATE, "withinSeconds": {"type": "integer", "minimum": 1}},
    "eventSum": {
        "name": _NAME,
        "property": {"type": "string", "minLength": 1},
        "where": _PREDICATE,
        "withinSeconds": {"type": "integer", "minimum": 1},
    },
    "comparison": {"field": {"type": "string", "pattern": _path_pattern()}, "op": {"enum": list(OPS)}, "value": {}},
}
REQUIRED_KEYS: Mapping[str, tuple[str, ...]] = {
    "document": ("trigger", "start", "steps"),
    "schedule": ("cron",),
    "goal": ("event",),
    "exitRule": ("event",),
    "moveRule": ("event", "to"),
    "reactivation": ("event",),
    "status": ("name", "step"),
    "quietHours": ("start", "end"),
    "branch": ("name", "percent"),
    "eventCount": ("name",),
    "eventSum": ("name", "property"),
    "comparison": ("field", "op"),
}
# How a part is called in a message.
PART_NAMES: Mapping[str, str] = {
    "document": "the journey document",
    "schedule": "trigger.schedule",
    "goal": "goal",
    "exitRule": "an exitWhen rule",
    "moveRule": "a moveWhen rule",
    "reactivation": "reactivation",
    "status": "a status of statuses",
    "quietHours": "quietHours",
    "branch": "a split branch",
    "eventCount": "eventCount",
    "eventSum": "eventSum",
    "comparison": "a comparison {field, op, value}",
}


def step_keys(kind: str) -> tuple[str, ...]:
    return ("kind", *_STEP_COMMON, *STEP_KEYS.get(kind, {}))


def trigger_keys(kind: str) -> tuple[str, ...]:
    return tuple(TRIGGER_KEYS.get(kind, {"kind": {}}))


def part_keys(part: str) -> tuple[str, ...]:
    return tuple(PART_KEYS[part])


def suggestion(word: str, known: Iterable[str]) -> str | None:
    """The known word nearest to `word` (difflib), if one is close enough."""
    candidates = list(known)
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    if close:
        return close[0]
    # A key cut short ("wait" for "waitSeconds"), in any case.
    lowered = word.lower()
    started = [c for c in candidates if len(lowered) >= 3 and c.lower().startswith(lowered)]
    return started[0] if len(started) == 1 else None


def unknown_keys(value: Any, allowed: Iterable[str], what: str) -> list[str]:
    """A message for each key of `value` that is not one of `allowed`."""
    if not isinstance(value, dict):
        return []
    known = list(allowed)
    messages = []
    for key in value:
        if key in known:
            continue
        near = suggestion(str(key), known)
        hint = f' (did you mean "{near}"?)' if near else ""
        keys = ", ".join(known) if known else "none"
        messages.append(f'unknown key "{key}" in {what}{hint}; its keys are: {keys}')
    return messages


# -- the schema ------------------------------------------------------------------------------------


def _object(
    properties: Mapping[str, Any], required: Iterable[str] = (), description: str | None = None
) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object", "properties": dict(properties), "additionalProperties": False}
    if required:
        out["required"] = list(required)
    if description:
        out["description"] = description
    return out


def _predicate() -> dict[str, Any]:
    aggregate = {"eventCount": "count", "eventSum": "sum"}
    alternatives: list[dict[str, Any]] = [
        _object({"all": {"type": "array", "minItems": 1, "items": _PREDICATE}}, ["all"]),
        _object({"any": {"type": "array", "minItems": 1, "items": _PREDICATE}}, ["any"]),
        _object({"not": _PREDICATE}, ["not"]),
        _object(PART_KEYS["comparison"], REQUIRED_KEYS["comparison"]),
    ]
    for key in aggregate:
        spec = _object(PART_KEYS[key], REQUIRED_KEYS[key])
        alternatives.append(
            _object({key: spec, "op": {"enum": list(AGGREGATE_OPS)}, "value": {"type": "number"}}, [key, "op", "value"])
        )
    return {"anyOf": alternatives, "description": "a predicate: all, any, not, a comparison, eventCount or eventSum"}


def _steps() -> dict[str, Any]:
    alternatives = []
    for kind, keys in STEP_KEYS.items():
        properties = {"kind": {"const": kind}, **_STEP_COMMON, **keys}
        alternatives.append(_object(properties, ["id", "kind"], f"a {kind} step"))
    return {"anyOf": alternatives}


def journey_definition_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the journey document."""
    defs: dict[str, Any] = {
        name: _object(keys, REQUIRED_KEYS.get(name, ()))
        for name, keys in PART_KEYS.items()
        if name not in ("document", "eventCount", "eventSum", "comparison")
    }
    defs["trigger"] = {
        "anyOf": [
            _object(keys, ("kind", "event") if kind == "EVENT" else ("kind",), f"a {kind} trigger")
            for kind, keys in TRIGGER_KEYS.items()
        ]
    }
    defs["predicate"] = _predicate()
    defs["step"] = _steps()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Questline journey definition",
        "description": "A journey's definition document: how users enter, the steps they go through, its goal "
        "and rules. See docs/journey-definition.md.",
        **_object(PART_KEYS["document"], REQUIRED_KEYS["document"]),
        "$defs": defs,
    }
