"""What the engine can hold. A definition with a value beyond these could never run (a
time past the calendar's end, a name longer than its column), so validation refuses it."""

from __future__ import annotations

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
