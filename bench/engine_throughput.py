"""Engine throughput (the older form of `python -m bench capture` and `advance` in one run): N users enter an EVENT journey of send -> wait 1 s -> condition ->
bonus, on PostgreSQL, with `questline worker` processes on a Redis broker.

    .venv/bin/python bench/engine_throughput.py --users 100000 --processes 2 --threads 2

Prints intake (events/s), capture (entries/s: event tracked to entry WAITING after its
first send) and step advances/s (every step-log line written, over the whole run).
Uses a database of its own on the local PostgreSQL, dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from backend.models import Entry, EntryStep
from backend.persistence.database import Database
from backend.settings import load_settings
from backend.users.intake import track_events
from bench.scratch import scratch_database
from bench.setup import prepare_capture, send_wait_bonus
from migrations.runner import upgrade
from workers.broker import close_broker
from workers.runtime import connect

JOURNEY = send_wait_bonus(wait_seconds=1)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=100_000)
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    ap.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    args = ap.parse_args()

    with scratch_database(args.postgres, "questline_bench") as url:
        workdir = tempfile.mkdtemp()
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("QUESTLINE_")},
            "QUESTLINE_DATABASE_URL": url,
            "QUESTLINE_BROKER_URL": args.redis,
            "QUESTLINE_DATA_DIR": workdir,
            "QUESTLINE_SECRET_KEY": "bench",
            "QUESTLINE_QUEUE_PREFIX": f"bench{uuid.uuid4().hex[:6]}_",
            "QUESTLINE_LOG_LEVEL": "WARNING",
        }
        worker = None
        try:
            upgrade(url)
            db = Database(url)
            settings = load_settings(env)
            broker, queue = connect(settings)
            prepare_capture(db, args.users, queue=queue, definition=JOURNEY)
            worker = subprocess.Popen(
                [
                    str(Path(sys.executable).with_name("questline")),
                    "worker",
                    "--processes",
                    str(args.processes),
                    "--threads",
                    str(args.threads),
                ],
                env=env,
                cwd=workdir,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(3)  # let the workers connect
            t0 = time.monotonic()
            for i in range(0, args.users, 10_000):
                with db.unit_of_work() as uow:
                    track_events(
                        uow,
                        queue=queue,
                        events=[
                            {"eventId": f"e{n}", "externalId": f"u{n}", "name": "deposit", "properties": {"amount": 50}}
                            for n in range(i, min(i + 10_000, args.users))
                        ],
                    )
            t_intake = time.monotonic() - t0
            t_captured = t_done = None
            while t_done is None:
                time.sleep(0.25)
                with db.read() as s:
                    counts = dict(s.execute(select(Entry.status, func.count()).group_by(Entry.status)).all())
                entered = sum(counts.values())
                if t_captured is None and entered == args.users and counts.get("ACTIVE", 0) == 0:
                    t_captured = time.monotonic() - t0
                if counts.get("COMPLETED", 0) == args.users:
                    t_done = time.monotonic() - t0
                if time.monotonic() - t0 > 1800:
                    raise SystemExit(f"gave up after 30 minutes: {counts}")
            with db.read() as s:
                steps = s.scalar(select(func.count()).select_from(EntryStep))
            print(
                f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
                f"PostgreSQL + Redis on localhost; workers: {args.processes} processes x {args.threads} threads"
            )
            print(f"users: {args.users:,}; step-log lines: {steps:,}")
            print(f"intake: {args.users / t_intake:,.0f} events/s ({t_intake:.1f} s)")
            print(f"capture + first send: {args.users / t_captured:,.0f} entries/s ({t_captured:.1f} s)")
            print(f"whole run (includes the 1 s wait): {t_done:.1f} s; step advances: {steps / t_done:,.0f}/s")
            close_broker(broker)
            db.dispose()
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(60)


if __name__ == "__main__":
    main()
