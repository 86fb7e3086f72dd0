"""Event to pop-up latency: a player holds the `popups` subscription; an operator's
`trackEvents` of a `login` captures the player into an EVENT journey whose first step
sends a pop-up. Measured from sending the trackEvents request to the pop-up arriving
on the player's WebSocket.

    .venv/bin/python bench/popup_latency.py --events 200                   # embedded: SQLite, in-process
    .venv/bin/python bench/popup_latency.py --events 200 --postgres --redis  # serve --no-worker + questline worker

Prints p50 / p95 / max in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.scratch import scratch_database
from tests.delivery.popup_client import login_event, next_message, popups, set_up_popup_journey
from tests.live import QL, live_server


def measure(base: str, token: str, events: int) -> list[float]:
    # Every login enters the player again, so every event sends a pop-up.
    tokens = set_up_popup_journey(base, token, [{"externalId": "p1", "username": "Ann"}], reentry="EVERY_ENTRY")
    samples = []
    with popups(base, tokens["p1"]) as ws:
        time.sleep(0.5)
        for i in range(events + 5):
            started = time.perf_counter()
            login_event(base, token, f"bench-{uuid.uuid4().hex}", "p1")
            next_message(ws, 10)
            if i >= 5:  # warm-up
                samples.append((time.perf_counter() - started) * 1000)
            time.sleep(0.02)
    return samples


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=200)
    ap.add_argument("--postgres", action="store_true", help="PostgreSQL and a separate questline worker")
    ap.add_argument("--redis", action="store_true", help="with --postgres: a Redis broker (else RabbitMQ)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    env: dict[str, str] = {"QUESTLINE_LOG_LEVEL": "WARNING"}
    worker = None
    with ExitStack() as stack:
        if args.postgres:
            env.update(
                {
                    "QUESTLINE_DATABASE_URL": stack.enter_context(scratch_database()),
                    "QUESTLINE_BROKER_URL": "redis://127.0.0.1:6379/0"
                    if args.redis
                    else "amqp://guest:guest@127.0.0.1:5672/",
                    "QUESTLINE_QUEUE_PREFIX": f"bench{uuid.uuid4().hex[:6]}_",
                    "QUESTLINE_SECRET_KEY": "bench",
                }
            )
        server = stack.enter_context(live_server(tmp, *(["--no-worker"] if args.postgres else []), **env))
        try:
            if args.postgres:
                worker = subprocess.Popen(
                    [QL, "worker", "--threads", "4"],
                    env=server.env,
                    cwd=tmp,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                time.sleep(3)
            samples = sorted(measure(server.base, server.token, args.events))
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(30)
    mode = (
        "PostgreSQL, serve --no-worker + questline worker, " + ("Redis" if args.redis else "RabbitMQ")
        if args.postgres
        else "embedded: SQLite, in-process broker and workers"
    )
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; {mode}")
    p95 = samples[int(len(samples) * 0.95) - 1]
    print(
        f"event to pop-up over {len(samples)} events: p50 {statistics.median(samples):.1f} ms, "
        f"p95 {p95:.1f} ms, max {samples[-1]:.1f} ms"
    )


if __name__ == "__main__":
    main()
