"""Segment capture: one run of a scheduled segment over N users on PostgreSQL, into a
journey whose first step sends an email, with `questline worker` processes on Redis.

    .venv/bin/python bench/segment_capture.py --users 1000000 --processes 2 --threads 4

Users and events are generated in the database (generate_series): a third of the
users have the attribute tier "silver", the others "gold"; every user has two
`login` events spread over the last 60 days. The segment, `tier == "gold"` and at
least one login in the last 30 days, matches about half of them. The bench moves the
journey's next run time to now; the scheduler in the worker command (the one holding
the scheduler lock) runs it. Prints, from the run's start: seconds to all entries
created (the run's own transaction), and to all first messages queued (one QUEUED or
later communication per entry); the peak resident memory of each worker process; and
how long previewSegment takes for the same segment (the median of `--preview-runs`
runs). `--entries-only` stops once the run has created its entries (the first messages
are then not waited for). Ends with a table and one line of JSON (also written to
`--json PATH`), with the load average at the start and at the end. Uses a database of
its own, dropped at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from sqlalchemy import func, select, text, update

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from backend import lifecycle as life
from backend.auth.policy import Principal, Role
from backend.catalog import create_resource
from backend.models import Communication, Journey, SegmentRun, utcnow
from backend.persistence.database import Database
from backend.queue import NullQueue
from backend.segments.preview import preview_segment
from bench.scratch import scratch_database
from migrations.runner import upgrade

ADMIN = Principal(operator_id=0, username="bench", role=Role.ADMIN, access_groups=frozenset())
SEGMENT = {
    "all": [
        {"field": "user.attributes.tier", "op": "eq", "value": "gold"},
        {"eventCount": {"name": "login", "withinSeconds": 30 * 86400}, "op": "gte", "value": 1},
    ]
}
JOURNEY = {
    "trigger": {
        "kind": "SCHEDULED_SEGMENT",
        "schedule": {"cron": "0 9 * * 1", "timezone": "Europe/Lisbon"},
        "segment": SEGMENT,
    },
    "start": "digest",
    "steps": [{"id": "digest", "kind": "send", "resource": "Weekly digest"}],
}


def seed(db: Database, n: int) -> float:
    started = time.monotonic()
    with db.engine.begin() as c:
        c.execute(
            text(f"""INSERT INTO users (external_id, external_id_lc, username, username_lc, email, email_lc,
            attributes, opt_outs, points, deposit_count, deposit_total, withdrawal_total, created_at, updated_at)
            SELECT 'u' || i, 'u' || i, 'Player' || i, 'player' || i, 'u' || i || '@example.com',
                   'u' || i || '@example.com',
                   jsonb_build_object('tier', CASE WHEN i % 3 = 0 THEN 'silver' ELSE 'gold' END), '[]',
                   0, 0, 0, 0, now(), now()
            FROM generate_series(1, {n}) AS i""")
        )
        # Two logins a user (a new database: user ids are 1..n), at pseudo-random times over the last 60 days.
        c.execute(
            text(f"""INSERT INTO events (event_id, user_id, name, occurred_at, received_at, properties, processed_at)
            SELECT 'e' || i, (i - 1) % {n} + 1, 'login',
                   now() - random() * interval '60 days', now(), '{{}}', now()
            FROM generate_series(1, {2 * n}) AS i""")
        )
        c.execute(text("ANALYZE users"))
        c.execute(text("ANALYZE events"))
    return time.monotonic() - started


def descendants(pid: int) -> list[int]:
    """The process and every process below it (read from /proc)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parents[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(c for c, pp in parents.items() if pp == p)
    return found


def rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class MemoryWatch(threading.Thread):
    def __init__(self, root: int):
        super().__init__(daemon=True)
        self.root, self.peak, self.done = root, {}, threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            for pid in descendants(self.root):
                self.peak[pid] = max(self.peak.get(pid, 0.0), rss_mb(pid))
            time.sleep(0.2)


def start_worker(env: dict[str, str], workdir: str, processes: int, threads: int) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(Path(sys.executable).with_name("questline")),
            "worker",
            "--processes",
            str(processes),
            "--threads",
            str(threads),
        ],
        env=env,
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(what: str, check, deadline: float) -> float:
    while True:
        found = check()
        if found is not None:
            return found
        if time.monotonic() > deadline:
            raise SystemExit(f"gave up waiting for {what}")
        time.sleep(0.2)


def measure(args: argparse.Namespace, url: str) -> dict:
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
    upgrade(url)
    db = Database(url)
    seeded = seed(db, args.users)
    previews = []
    for _ in range(args.preview_runs):
        with db.read() as s:
            t = time.monotonic()
            found = preview_segment(s, SEGMENT, 10, utcnow())
            previews.append(time.monotonic() - t)
    with db.unit_of_work() as uow:
        create_resource(
            uow, name="Weekly digest", channel="EMAIL", subject="Your week", body="Hello {{ user.username }}"
        )
        jid = life.create_journey(uow, principal=ADMIN, data=life.JourneyInput(name="Digest", definition=JOURNEY)).id
    with db.unit_of_work() as uow:
        life.activate_journey(uow, principal=ADMIN, journey_id=jid, queue=NullQueue())
    worker = start_worker(env, workdir, args.processes, args.threads)
    watch = MemoryWatch(worker.pid)
    watch.start()
    try:
        time.sleep(4)  # let the workers connect and the scheduler take its lock
        with db.unit_of_work() as uow:  # the cron time comes now
            uow.session.execute(update(Journey).where(Journey.id == jid).values(next_run_at=utcnow()))
        t0 = time.monotonic()
        deadline = t0 + 1800

        def run_finished():
            with db.read() as s:
                run = s.scalar(select(SegmentRun).where(SegmentRun.journey_id == jid))
            return run if run is not None and run.finished_at is not None else None

        run = wait_for("the run", run_finished, deadline)
        t_entries = (run.finished_at - run.started_at).total_seconds()
        started_wall = time.time() - (time.monotonic() - t0)

        def all_queued():
            with db.read() as s:
                n = s.scalar(select(func.count()).select_from(Communication))
            return time.time() if n >= run.entered else None

        if run.error:
            raise SystemExit(f"the run failed: {run.error}")
        t_queued = None if args.entries_only else wait_for("the first messages", all_queued, deadline) - started_wall
    finally:
        watch.done.set()
        worker.terminate()
        worker.wait(60)
        db.dispose()
    peaks = sorted(watch.peak.values(), reverse=True)
    return {
        "users": args.users,
        "generated_s": round(seeded, 1),
        "matched": run.matched,
        "entered": run.entered,
        "preview_s": round(statistics.median(previews), 2),
        "preview_runs_s": [round(p, 2) for p in previews],
        "preview_matched": found.matched,
        "entries_s": round(t_entries, 2),
        "entries_per_s": round(run.entered / max(t_entries, 1e-9)),
        "first_messages_s": None if t_queued is None else round(t_queued, 1),
        "worker_peak_rss_mb": [round(p) for p in peaks],
    }


def report(result: dict) -> None:
    queued = result["first_messages_s"]
    rows = [
        ("users", f"{result['users']:,} (generated in {result['generated_s']} s)"),
        ("matched / entered", f"{result['matched']:,} / {result['entered']:,}"),
        ("previewSegment (count + 10 users)", f"{result['preview_s']:.2f} s median of {result['preview_runs_s']}"),
        ("run start -> all entries created", f"{result['entries_s']:.1f} s ({result['entries_per_s']:,} entries/s)"),
        ("run start -> all first messages queued", "not waited for" if queued is None else f"{queued:.1f} s"),
        ("worker peak RSS per process (MB)", ", ".join(str(p) for p in result["worker_peak_rss_mb"])),
        ("load average at start / end", f"{result['load_start']} / {result['load_end']}"),
    ]
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        print(f"{k:<{width}}  {v}")
    print(json.dumps(result))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=1_000_000)
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    ap.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    ap.add_argument("--preview-runs", type=int, default=3)
    ap.add_argument("--entries-only", action="store_true", help="do not wait for the first messages")
    ap.add_argument("--json", help="also write the result as JSON to this file")
    args = ap.parse_args()
    load_start = round(os.getloadavg()[0], 1)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}, "
        f"Python {platform.python_version()}; PostgreSQL + Redis on localhost; "
        f"workers: {args.processes} processes x {args.threads} threads"
    )
    with scratch_database(args.postgres, "questline_bench") as url:
        result = measure(args, url)
    result.update(load_start=load_start, load_end=round(os.getloadavg()[0], 1))
    report(result)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
