"""Levels on plain data: read from the thresholds given, moved by a points step in the same pass."""

from __future__ import annotations

from backend.journeys.levels import level_name
from backend.journeys.state import Env
from tests.engine.helpers import ENV, capture, journey, outcomes, user

LEVELS = ((0, "Bronze"), (100, "Silver"), (1000, "Gold"))


def test_the_level_is_the_highest_threshold_reached():
    assert level_name(LEVELS, 0) == "Bronze"
    assert level_name(reversed(LEVELS), 999) == "Silver"
    assert level_name(LEVELS, 1000) == "Gold"
    assert level_name(((10, "Bronze"),), 5) is None
    assert level_name((), 5) is None


def test_a_points_step_moves_the_level_seen_by_a_later_condition():
    j = journey(
        [
            {"id": "p", "kind": "points", "amount": 50, "next": "c"},
            {
                "id": "c",
                "kind": "condition",
                "where": {"field": "user.level", "op": "eq", "value": "Silver"},
                "yes": "y",
                "no": "n",
            },
            {"id": "y", "kind": "exit"},
            {"id": "n", "kind": "exit"},
        ]
    )
    env = Env(resources=ENV.resources, levels=LEVELS)
    _, fx = capture(j, u=user(points=60, level="Bronze"), env=env)
    assert outcomes(fx)[:2] == [("p", "points_added"), ("c", "yes")]
    _, fx = capture(j, u=user(points=10, level="Bronze"), env=env)
    assert outcomes(fx)[:2] == [("p", "points_added"), ("c", "no")]
