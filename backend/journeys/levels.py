"""Levels from thresholds: a user's level is the highest threshold at or below their
points, worked out whenever it is read, so a change of thresholds applies at once."""

from __future__ import annotations

from collections.abc import Iterable


def level_name(levels: Iterable[tuple[int, str]], points: int) -> str | None:
    """`levels` as (threshold, name) pairs, in any order."""
    name = None
    for threshold, level in sorted(levels):
        if points >= threshold:
            name = level
    return name
