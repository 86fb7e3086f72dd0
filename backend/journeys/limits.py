"""What the engine can hold. A definition with a value beyond these could never run (a
time past the calendar's end, a name longer than its column), so validation refuses it."""

from __future__ import annotations

import json
from typing import Any

# Waits, time-outs and time windows: 10 years of seconds.
MAX_SECONDS = 315_576_000
MAX_SECONDS_TEXT = "315,576,000 (10 years)"
# Step ids, event names and status names: the columns that keep them on entries and logs.
MAX_KEY = 120
# Step names, in the step log.
MAX_STEP_NAME = 200
# Points one step may add (or take): a journey cannot push a balance out of range.
MAX_POINTS_STEP = 1_000_000
# The number of a status on the journey's ladder, kept on each entry.
MAX_LADDER_STEP = 2**31 - 1


def too_many_seconds(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > MAX_SECONDS


def too_long(value: object, limit: int = MAX_KEY) -> bool:
    return isinstance(value, str) and len(value) > limit


# The size of a journey document: a definition is edited by people and read on every
# pass of the engine, so these are far above any real journey and far below harm.
MAX_DEFINITION_BYTES = 1_000_000
MAX_DEFINITION_STEPS = 1_000
MAX_DEFINITION_TEXT = 65_536


def definition_size_problem(document: dict[str, Any]) -> tuple[str, list[str]] | None:
    """Why this document is too large to keep, with the path it is about; or None."""
    steps = document.get("steps")
    if isinstance(steps, list) and len(steps) > MAX_DEFINITION_STEPS:
        return f"a journey has at most {MAX_DEFINITION_STEPS:,} steps, got {len(steps):,}", ["steps"]
    long_text = _long_text_at(document, [])
    if long_text is not None:
        return f"a text in a journey is at most {MAX_DEFINITION_TEXT:,} characters", long_text
    size = len(json.dumps(document, ensure_ascii=False, default=str).encode("utf-8", "replace"))
    if size > MAX_DEFINITION_BYTES:
        return f"a journey document is at most {MAX_DEFINITION_BYTES:,} bytes as JSON, got {size:,}", []
    return None


def _long_text_at(value: object, path: list[str]) -> list[str] | None:
    if isinstance(value, str):
        return path if len(value) > MAX_DEFINITION_TEXT else None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        if isinstance(key, str) and len(key) > MAX_DEFINITION_TEXT:
            return path
        found = _long_text_at(item, [*path, str(key)[:200]])
        if found is not None:
            return found
    return None
