"""Checks of users and events as they come in; every problem is reported with its index."""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from backend.errors import DomainError

MAX_BATCH = 10_000
# One deposit or withdrawal, either sign; users' running totals stop at MAX_TOTAL.
MAX_AMOUNT = 1_000_000_000_000
MAX_TOTAL = 1_000_000_000_000_000
# Events are from 1900 on, and at most a day ahead of the server's clock (a sender's
# clock a little fast is fine; a year of 2099 is a mistake).
EARLIEST_EVENT = datetime(1900, 1, 1, tzinfo=UTC)
MAX_AHEAD = timedelta(days=1)
# An event's properties, as JSON: room for any real payload, not for a file.
MAX_PROPERTIES_BYTES = 65_536
CHANNELS = ("EMAIL", "SMS", "POPUP", "PUSH", "IVR")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE_MARKS = str.maketrans("", "", "+ ()-.")
_DIGITS = re.compile(r"[0-9]+")


def valid_timezone(name: str) -> bool:
    try:
        ZoneInfo(name)
        return True
    except (ZoneInfoNotFoundError, ValueError):
        return False


def search_key(value: str | None, limit: int) -> str | None:
    """The lower-cased copy a search matches on. Lower-casing can lengthen a text
    ("İ" becomes two characters), so it is cut to its column's length."""
    return value.lower()[:limit] if value else None


def phone_digits(text: str | None) -> str | None:
    """The digits of a phone number with its marks (+, spaces, brackets, dashes, dots)
    taken out; None when what is left is not all digits."""
    digits = (text or "").translate(_PHONE_MARKS)
    return digits if _DIGITS.fullmatch(digits) else None


def check_batch_size(items: list[Any], what: str) -> None:
    if len(items) > MAX_BATCH:
        raise DomainError("LIMIT_EXCEEDED", f"at most {MAX_BATCH:,} {what} a call, got {len(items):,}", [what])


def _text(value: Any, limit: int) -> bool:
    return isinstance(value, str) and 0 < len(value.strip()) <= limit


def user_problems(index: int, user: dict[str, Any]) -> list[DomainError]:
    def at(name: str) -> list[str]:
        return ["users", str(index), name]

    problems: list[DomainError] = []
    if not _text(user.get("externalId"), 200):
        problems.append(DomainError("INVALID_INPUT", "externalId must be 1 to 200 characters", at("externalId")))
    email = user.get("email")
    if email is not None and email != "" and not _EMAIL.match(email):
        problems.append(DomainError("INVALID_INPUT", f"not an email address: {email!r}", at("email")))
    phone = user.get("phone")
    if phone is not None and not isinstance(phone, str):
        problems.append(DomainError("INVALID_INPUT", "phone must be a string", at("phone")))
    tz = user.get("timezone")
    if tz is not None and tz != "" and not valid_timezone(tz):
        problems.append(DomainError("INVALID_INPUT", f"unknown time zone {tz!r} (use an IANA name)", at("timezone")))
    attrs = user.get("attributes")
    if attrs is not None and not isinstance(attrs, dict):
        problems.append(DomainError("INVALID_INPUT", "attributes must be a JSON object", at("attributes")))
    for channel in user.get("optOuts") or []:
        if channel not in CHANNELS:
            problems.append(DomainError("INVALID_INPUT", f"unknown channel {channel!r}", at("optOuts")))
    return problems


def event_problems(index: int, event: dict[str, Any], now: datetime) -> list[DomainError]:
    def at(name: str) -> list[str]:
        return ["events", str(index), name]

    problems: list[DomainError] = []
    if not _text(event.get("eventId"), 200):
        problems.append(DomainError("INVALID_INPUT", "eventId must be 1 to 200 characters", at("eventId")))
    if not _text(event.get("externalId"), 200):
        problems.append(DomainError("INVALID_INPUT", "externalId must be 1 to 200 characters", at("externalId")))
    if not _text(event.get("name"), 120):
        problems.append(DomainError("INVALID_INPUT", "name must be 1 to 120 characters", at("name")))
    props = event.get("properties")
    if props is not None and not isinstance(props, dict):
        problems.append(DomainError("INVALID_INPUT", "properties must be a JSON object", at("properties")))
    elif isinstance(props, dict) and _json_size(props) > MAX_PROPERTIES_BYTES:
        problems.append(
            DomainError(
                "LIMIT_EXCEEDED", f"properties are at most {MAX_PROPERTIES_BYTES:,} bytes as JSON", at("properties")
            )
        )
    elif isinstance(props, dict) and event.get("name") in ("deposit", "withdrawal") and "amount" in props:
        amount = amount_problem(props["amount"])
        if amount is not None:
            problems.append(DomainError("INVALID_INPUT", amount, [*at("properties"), "amount"]))
    occurred = event.get("occurredAt")
    if occurred is not None:
        when = time_problem(occurred, now)
        if when is not None:
            problems.append(DomainError("INVALID_INPUT", when, at("occurredAt")))
    return problems


def _json_size(value: Any) -> int:
    try:
        return len(json.dumps(value, ensure_ascii=False, default=str).encode("utf-8", "replace"))
    except (ValueError, RecursionError):
        return MAX_PROPERTIES_BYTES + 1


def amount_problem(amount: Any) -> str | None:
    """Why this cannot be the amount of a deposit or withdrawal, or None. Users' totals
    are kept in NUMERIC(18, 2) columns: one amount is bounded well inside them."""
    if isinstance(amount, bool) or not isinstance(amount, (int, float)):
        return "amount of a deposit or withdrawal must be a number"
    if isinstance(amount, float) and not math.isfinite(amount):
        return "amount of a deposit or withdrawal must be a finite number"
    if abs(amount) > MAX_AMOUNT:
        return f"amount of a deposit or withdrawal must be within ±{MAX_AMOUNT:,}, got {amount:.6g}"
    return None


def time_problem(occurred: Any, now: datetime) -> str | None:
    """Why this cannot be when an event happened, or None: it must be a time with a
    zone, from 1900 on, and not more than a day ahead of the server's clock."""
    if not isinstance(occurred, datetime):
        return "occurredAt must be an ISO 8601 time"
    if occurred.tzinfo is None:
        return "occurredAt needs a time zone (e.g. Z)"
    try:
        utc = occurred.astimezone(UTC)
    except (OverflowError, ValueError):
        return f"occurredAt {occurred.isoformat()} is out of range once taken to UTC"
    if utc < EARLIEST_EVENT:
        return f"occurredAt must be in {EARLIEST_EVENT.year} or later"
    if utc > now + MAX_AHEAD:
        return f"occurredAt is more than a day ahead of the server's clock ({now.isoformat(timespec='seconds')})"
    return None


def parse_time(value: Any) -> Any:
    """ISO 8601 text to an aware datetime; anything else is returned for the checks to refuse."""
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    return value


def as_utc(value: datetime | None, default: datetime) -> datetime:
    return default if value is None else value.astimezone(UTC)
