"""How long `questline demo` takes on the embedded default (a SQLite file).

    .venv/bin/python bench/demo_load.py [--players 2000] [--runs 1]

Runs the command as a user would, on a scratch SQLite file each time, and prints its
wall-clock and CPU time (user and system, from the child process) with the machine's
load average before and after, since the machine may be shared.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def one_run(players: int, seed: int) -> tuple[float, float, float]:
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "QUESTLINE_DATABASE_URL": f"sqlite:///{folder}/demo.db", "QUESTLINE_DATA_DIR": folder}
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.monotonic()
        subprocess.run(
            [sys.executable, "-m", "questline.cli", "demo", "--players", str(players), "--seed", str(seed)],
            cwd=ROOT,
            env=env,
            check=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
        )
        wall = time.monotonic() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--players", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores; load average before: {os.getloadavg()[0]:.1f}")
    for run in range(args.runs):
        wall, user, system = one_run(args.players, args.seed)
        print(
            f"run {run + 1}: {args.players:,} players in {wall:.1f} s wall, {user:.1f} s user + {system:.1f} s system CPU"
        )
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
