"""The journey-definition document: every problem at once, and a compiled form for the engine.

`validate` never raises on a bad document: whatever arrives (a draft, a paste from
somewhere else) gets a list of problems in plain words. `compile` is run once per
published (journey, version) and cached, so the interpreter never re-parses.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from backend.journeys.definition_checks import Checker
from backend.journeys.document_schema import STEP_KINDS
from backend.journeys.predicates import AggregateSpec, aggregates_of
from backend.journeys.step_graph import WAIT_KINDS, successors
from backend.journeys.steps import Step, parse_step

__all__ = [
    "DEFAULT_LADDER",
    "KINDS",
    "REQUIRED",
    "WAIT_KINDS",
    "Catalog",
    "CompiledJourney",
    "Problem",
    "compile",
    "is_configured",
    "ladder_of",
    "successors",
    "trigger_event_name",
    "validate",
]

KINDS = STEP_KINDS
DEFAULT_LADDER = (("Entered", 0), ("Sent", 10), ("Delivered", 20), ("Opened", 30), ("Clicked", 40), ("Converted", 50))
# The fields a step of each kind needs to be configured (a wait needs seconds or until).
REQUIRED: Mapping[str, tuple[str, ...]] = {
    "send": ("resource",),
    "wait": (),
    "wait_for_event": ("event",),
    "condition": ("where",),
    "split": ("branches",),
    "bonus": ("template",),
    "points": ("amount",),
    "set_status": ("status",),
    "update_profile": ("set",),
    "webhook": ("url",),
    "goto": ("to",),
    "exit": (),
}


@dataclass(frozen=True)
class Problem:
    step_id: str | None
    severity: str  # "ERROR" | "WARNING"
    message: str


@dataclass(frozen=True)
class Catalog:
    """What a definition may name: resource name or str(id) -> channel; bonus template names and str(ids).
    `outside_journey`: resource names and ids the operator sees that the journey may not send."""

    resources: Mapping[str, str] = field(default_factory=dict)
    bonus_templates: Set[str] = frozenset()
    outside_journey: Set[str] = frozenset()
    # Names more than one resource the journey may send has (ids are never shared).
    shared_names: Set[str] = frozenset()


@dataclass(frozen=True, eq=False)
class CompiledJourney:
    """One journey version, read-only, shared by every entry on it for the life of the process."""

    steps: Mapping[str, Step]
    start: str | None
    trigger: Mapping[str, Any]
    goal: Mapping[str, Any] | None
    exit_when: tuple[Mapping[str, Any], ...]
    move_when: tuple[Mapping[str, Any], ...]
    reactivation: Mapping[str, Any] | None
    ladder: Mapping[str, int]
    quiet_hours: tuple[str, str] | None
    aggregates: tuple[AggregateSpec, ...]
    # Ids of the steps that can run; an entry reaching any other step halts there.
    configured: frozenset[str] = frozenset()

    def step(self, step_id: str | None) -> Step | None:
        return self.steps.get(step_id) if step_id else None


def is_configured(step: Mapping[str, Any]) -> bool:
    if step.get("configured") is False:
        return False
    kind = step.get("kind")
    if kind == "wait":
        return step.get("seconds") is not None or step.get("until") is not None
    return all(step.get(name) not in (None, "", [], {}) for name in REQUIRED.get(str(kind), ()))


def trigger_event_name(document: Any) -> str | None:
    trigger = document.get("trigger") if isinstance(document, dict) else None
    if isinstance(trigger, dict) and trigger.get("kind") == "EVENT" and isinstance(trigger.get("event"), str):
        return trigger["event"] or None
    return None


def ladder_of(document: Mapping[str, Any]) -> dict[str, int]:
    """The journey's status ladder; the default one when the document has none."""
    statuses = document.get("statuses")
    if isinstance(statuses, list) and statuses:
        return {
            s["name"]: s["step"]
            for s in statuses
            if isinstance(s, dict)
            and isinstance(s.get("name"), str)
            and isinstance(s.get("step"), int)
            and not isinstance(s.get("step"), bool)
        }
    return dict(DEFAULT_LADDER)


def validate(document: Any, *, catalog: Catalog) -> list[Problem]:
    if not isinstance(document, dict):
        return [Problem(None, "ERROR", "the definition must be a JSON object")]
    checker = Checker(document, catalog, ladder=ladder_of(document), kinds=KINDS, configured=is_configured)
    return [Problem(step_id, severity, message) for step_id, severity, message in checker.run()]


def _rules(doc: Mapping[str, Any], key: str) -> tuple[Mapping[str, Any], ...]:
    rules = doc.get(key)
    return tuple(r for r in rules if isinstance(r, dict)) if isinstance(rules, list) else ()


def _predicates_read(doc: Mapping[str, Any], steps: Mapping[str, Mapping[str, Any]]) -> list[Any]:
    """Every predicate the engine evaluates for this journey. The segment of a scheduled
    trigger is left out: it runs in the database, not over loaded facts."""
    preds: list[Any] = [
        step.get("where") for step in steps.values() if step.get("kind") in ("condition", "wait_for_event")
    ]
    for holder in (
        doc.get("trigger"),
        doc.get("goal"),
        doc.get("reactivation"),
        *_rules(doc, "exitWhen"),
        *_rules(doc, "moveWhen"),
    ):
        if isinstance(holder, dict):
            preds.append(holder.get("where"))
    return [p for p in preds if isinstance(p, dict)]


def compile(document: Any) -> CompiledJourney:
    doc = document if isinstance(document, dict) else {}
    steps = doc.get("steps")
    raw = steps if isinstance(steps, list) else []
    documents: dict[str, Mapping[str, Any]] = {}
    for step in raw:
        # The first of duplicate ids wins, as validation reports the others.
        if isinstance(step, dict) and isinstance(step.get("id"), str) and step["id"] not in documents:
            documents[step["id"]] = step
    aggregates = [spec for pred in _predicates_read(doc, documents) for spec in aggregates_of(pred)]
    configured = frozenset(sid for sid, step in documents.items() if step.get("kind") in KINDS and is_configured(step))
    steps = {sid: parse_step(sid, step, configured=sid in configured) for sid, step in documents.items()}
    quiet = doc.get("quietHours")
    quiet_hours = None
    if isinstance(quiet, dict) and isinstance(quiet.get("start"), str) and isinstance(quiet.get("end"), str):
        quiet_hours = (quiet["start"], quiet["end"])
    trigger, goal, reactivation = doc.get("trigger"), doc.get("goal"), doc.get("reactivation")
    return CompiledJourney(
        steps=MappingProxyType(steps),
        start=doc.get("start") if isinstance(doc.get("start"), str) else None,
        trigger=trigger if isinstance(trigger, dict) else {},
        goal=goal if isinstance(goal, dict) else None,
        exit_when=_rules(doc, "exitWhen"),
        move_when=_rules(doc, "moveWhen"),
        reactivation=reactivation if isinstance(reactivation, dict) else None,
        ladder=MappingProxyType(ladder_of(doc)),
        quiet_hours=quiet_hours,
        aggregates=tuple(dict.fromkeys(aggregates)),
        configured=configured,
    )
