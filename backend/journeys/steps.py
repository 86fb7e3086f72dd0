"""The steps of a journey version as typed definitions, read once from the document.

`parse_step` never raises: a step that misses what it needs is `Unconfigured` (an
entry that reaches it halts there, as the contract says), and a step whose fields
hold what cannot run (a document saved without validation) is `Broken` (an entry
that reaches it fails with the problem as its reason).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

Predicate = Mapping[str, Any]


class Unreadable(ValueError):
    """A field of a step holds a value the engine cannot run."""


@dataclass(frozen=True)
class Send:
    kind: ClassVar[str] = "send"
    id: str
    name: str | None
    next: str | None
    resource: str


@dataclass(frozen=True)
class Wait:
    kind: ClassVar[str] = "wait"
    id: str
    name: str | None
    next: str | None
    seconds: float
    until: str | None  # HH:MM: waits until the wall clock shows it, instead of `seconds`
    timezone: str  # "user": the user's own time zone


@dataclass(frozen=True)
class WaitForEvent:
    kind: ClassVar[str] = "wait_for_event"
    id: str
    name: str | None
    next: str | None
    event: str
    where: Predicate | None
    timeout_seconds: float | None
    timeout_next: str | None


@dataclass(frozen=True)
class Condition:
    kind: ClassVar[str] = "condition"
    id: str
    name: str | None
    where: Predicate
    yes: str | None
    no: str | None


@dataclass(frozen=True)
class Branch:
    name: str | None
    percent: float
    next: str | None


@dataclass(frozen=True)
class Split:
    kind: ClassVar[str] = "split"
    id: str
    name: str | None
    branches: tuple[Branch, ...]


@dataclass(frozen=True)
class Bonus:
    kind: ClassVar[str] = "bonus"
    id: str
    name: str | None
    next: str | None
    template: str


@dataclass(frozen=True)
class Points:
    kind: ClassVar[str] = "points"
    id: str
    name: str | None
    next: str | None
    amount: int
    reason: str | None


@dataclass(frozen=True)
class SetStatus:
    kind: ClassVar[str] = "set_status"
    id: str
    name: str | None
    next: str | None
    status: str


@dataclass(frozen=True)
class UpdateProfile:
    kind: ClassVar[str] = "update_profile"
    id: str
    name: str | None
    next: str | None
    changes: Mapping[str, Any]


@dataclass(frozen=True)
class Webhook:
    kind: ClassVar[str] = "webhook"
    id: str
    name: str | None
    next: str | None
    url: str
    body: str | None


@dataclass(frozen=True)
class Goto:
    kind: ClassVar[str] = "goto"
    id: str
    name: str | None
    to: str


@dataclass(frozen=True)
class Exit:
    kind: ClassVar[str] = "exit"
    id: str
    name: str | None


@dataclass(frozen=True)
class Unconfigured:
    """A step without what its kind needs (or marked `configured: false`), or of an unknown kind."""

    id: str
    kind: str
    name: str | None


@dataclass(frozen=True)
class Broken:
    id: str
    kind: str
    name: str | None
    problem: str


Runnable = (
    Send | Wait | WaitForEvent | Condition | Split | Bonus | Points | SetStatus | UpdateProfile | Webhook | Goto | Exit
)
Step = Runnable | Unconfigured | Broken


def _text(raw: Mapping[str, Any], key: str) -> str:
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise Unreadable(f"{key} must be a name")
    return str(value)


def _link(raw: Mapping[str, Any], key: str) -> str | None:
    value = raw.get(key)
    if value is not None and not isinstance(value, str):
        raise Unreadable(f"{key} must be a step id")
    return value


def _number(value: Any, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Unreadable(f"{key} must be a number")
    return float(value)


def _predicate(raw: Mapping[str, Any], key: str) -> Predicate | None:
    value = raw.get(key)
    if value is not None and not isinstance(value, dict):
        raise Unreadable(f"{key} must be a predicate")
    return value


def _send(sid: str, name: str | None, raw: Mapping[str, Any]) -> Step:
    return Send(sid, name, _link(raw, "next"), _text(raw, "resource"))


def _wait(sid: str, name: str | None, raw: Mapping[str, Any]) -> Step:
    until, zone = raw.get("until") or None, raw.get("timezone", "user")
    if until is not None and not isinstance(until, str):
        raise Unreadable("until must be HH:MM")
    if not isinstance(zone, str):
        raise Unreadable("timezone must be a time zone name")
    seconds = 0.0 if until is not None else _number(raw.get("seconds") or 0, "seconds")
    return Wait(sid, name, _link(raw, "next"), seconds, until, zone)


def _wait_for_event(sid: str, name: str | None, raw: Mapping[str, Any]) -> Step:
    timeout = raw.get("timeoutSeconds")
    return WaitForEvent(
        sid,
        name,
        _link(raw, "next"),
        _text(raw, "event"),
        _predicate(raw, "where"),
        _number(timeout, "timeoutSeconds") if timeout else None,
        _link(raw, "timeoutNext"),
    )


def _condition(sid: str, name: str | None, raw: Mapping[str, Any]) -> Step:
    return Condition(sid, name, _predicate(raw, "where") or {}, _link(raw, "yes"), _link(raw, "no"))


def _split(sid: str, name: str | None, raw: Mapping[str, Any]) -> Step:
    branches = raw.get("branches")
    if not isinstance(branches, list) or not all(isinstance(b, dict) for b in branches):
        raise Unreadable("branches must be a list of {name, percent, next}")
    return Split(
        sid,
        name,
        tuple(
            Branch(
                b.get("name") if isinstance(b.get("name"), str) else None,
                _number(b.get("percent") or 0, "percent"),
                _link(b, "next"),
            )
            for b in branches
        ),
    )


def _points(sid: str, name: str | None, raw: Mapping[str, Any]) -> Step:
    amount, reason = raw.get("amount"), raw.get("reason")
    if isinstance(amount, bool) or not isinstance(amount, (int, float)) or int(amount) != amount:
        raise Unreadable("amount must be a whole number")
    return Points(sid, name, _link(raw, "next"), int(amount), reason if isinstance(reason, str) and reason else None)


def _set_status(sid: str, name: str | None, raw: Mapping[str, Any]) -> Step:
    status = raw.get("status")
    if not isinstance(status, str):
        raise Unreadable("status must be a status name")
    return SetStatus(sid, name, _link(raw, "next"), status)


def _update_profile(sid: str, name: str | None, raw: Mapping[str, Any]) -> Step:
    changes = raw.get("set")
    if not isinstance(changes, dict):
        raise Unreadable("set must be a JSON object")
    return UpdateProfile(sid, name, _link(raw, "next"), dict(changes))


def _webhook(sid: str, name: str | None, raw: Mapping[str, Any]) -> Step:
    url, body = raw.get("url"), raw.get("body")
    if not isinstance(url, str):
        raise Unreadable("url must be a link")
    if body is not None and not isinstance(body, str):
        raise Unreadable("body must be a JSON text template")
    return Webhook(sid, name, _link(raw, "next"), url, body)


def _goto(sid: str, name: str | None, raw: Mapping[str, Any]) -> Step:
    to = _link(raw, "to")
    if to is None:
        raise Unreadable("to must be a step id")
    return Goto(sid, name, to)


READERS: Mapping[str, Callable[[str, str | None, Mapping[str, Any]], Step]] = {
    "send": _send,
    "wait": _wait,
    "wait_for_event": _wait_for_event,
    "condition": _condition,
    "split": _split,
    "bonus": lambda sid, name, raw: Bonus(sid, name, _link(raw, "next"), _text(raw, "template")),
    "points": _points,
    "set_status": _set_status,
    "update_profile": _update_profile,
    "webhook": _webhook,
    "goto": _goto,
    "exit": lambda sid, name, raw: Exit(sid, name),
}


def parse_step(sid: str, raw: Mapping[str, Any], *, configured: bool) -> Step:
    """`configured`: the step has what its kind needs (see `definition.is_configured`)."""
    kind = raw.get("kind")
    name = raw.get("name") if isinstance(raw.get("name"), str) else None
    reader = READERS.get(kind) if isinstance(kind, str) else None
    if reader is None or not configured:
        return Unconfigured(sid, str(kind), name)
    try:
        return reader(sid, name, raw)
    except Unreadable as exc:
        return Broken(sid, str(kind), name, str(exc))
