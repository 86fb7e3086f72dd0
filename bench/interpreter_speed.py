"""The pure interpreter alone (no database): step advances per second on one core.

.venv/bin/python bench/interpreter_speed.py --entries 100000
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backend.journeys.definition import compile
from backend.journeys.interpreter import advance
from backend.journeys.state import Captured, Due, EntryState, Env, UserFacts
from bench.engine_throughput import JOURNEY


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=100_000)
    n = ap.parse_args().entries
    journey = compile(JOURNEY)
    env = Env(resources={"Welcome email": "EMAIL"})
    now = datetime(2026, 12, 1, tzinfo=UTC)
    users = [UserFacts(user_id=i, external_id=f"u{i}", email=f"u{i}@example.com", deposit_count=1) for i in range(n)]
    states = [
        EntryState(
            entry_id=i,
            journey_id=1,
            user_id=i,
            round=1,
            version=1,
            status="ACTIVE",
            in_control_group=False,
            entered_at=now,
            current_step_id="hi",
        )
        for i in range(n)
    ]
    steps = 0
    t0 = time.perf_counter()
    for i in range(n):
        states[i], _effects = advance(states[i], journey, users[i], now=now, stimulus=Captured(), env=env)
        steps += 1
    later = now + timedelta(seconds=2)
    for i in range(n):
        states[i], _fx = advance(states[i], journey, users[i], now=later, stimulus=Due(), env=env)
        steps += 3
    elapsed = time.perf_counter() - t0
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(
        f"{n:,} entries, {steps:,} step advances in {elapsed:.2f} s: {steps / elapsed:,.0f} step advances/s on one core"
    )


if __name__ == "__main__":
    main()
