"""Read latency at scale: 1,000,000 entries and 10,000,000 step-log rows in PostgreSQL,
then p50 / p95 over HTTP for the participants list (search + period filter, and the
period alone), an entry's details and a user's profile.

    .venv/bin/python bench/read_latency.py --entries 1000000 --steps-per-entry 10 --requests 200

The data is generated in SQL (generate_series) in a database of its own, dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from backend.persistence.database import make_engine
from bench.scratch import scratch_database
from graphql_schema.ids import encode_id
from migrations.runner import upgrade

DEFINITION = '{"trigger": {"kind": "API"}, "start": "s0", "steps": []}'


def generate(url: str, entries: int, steps_per_entry: int, users: int) -> None:
    engine = make_engine(url)
    with engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO operators (username, password_hash, role, access_groups, token_version, created_at) "
                "VALUES ('bench', 'x', 'ADMIN', '[]', 1, now())"
            )
        )
        c.execute(
            text(
                "INSERT INTO journeys (name, tags, access_groups, status, version, definition, trigger_kind, reentry_mode, "
                "freeze_on_stop, control_group_percent, created_at, updated_at) VALUES ('Bench', '[]', '[]', 'ACTIVE', 1, "
                f"'{DEFINITION}', 'API', 'EVERY_ENTRY', false, 10, now(), now())"
            )
        )
        c.execute(
            text(f"""INSERT INTO users (external_id, external_id_lc, username, username_lc, email, email_lc, phone,
            phone_digits, attributes, opt_outs, points, deposit_count, deposit_total, withdrawal_total, created_at, updated_at)
            SELECT 'ext' || i, 'ext' || i, 'Player' || i, 'player' || i, 'p' || i || '@example.com', 'p' || i || '@example.com',
                   '+3712' || lpad(i::text, 7, '0'), '3712' || lpad(i::text, 7, '0'), '{{}}', '[]', 0, 0, 0, 0, now(), now()
            FROM generate_series(1, {users}) AS i""")
        )
        c.execute(
            text(f"""INSERT INTO entries (journey_id, user_id, round, version, status, in_control_group, current_step_id,
            entered_at, progress_name, progress_step, visits, updated_at)
            SELECT 1, (i % {users}) + 1, i / {users} + 1, 1,
                   (ARRAY['ACTIVE','WAITING','COMPLETED','EXITED','STOPPED'])[1 + i % 5], i % 10 = 0, 's' || (i % 7),
                   now() - (i % 43200) * interval '1 minute', 'Entered', 0, '{{}}', now()
            FROM generate_series(0, {entries} - 1) AS i""")
        )
        c.execute(
            text(f"""INSERT INTO entry_steps (entry_id, journey_id, step_id, kind, visit, entered_at, left_at, outcome)
            SELECT (i / {steps_per_entry}) + 1, 1, 's' || (i % {steps_per_entry}), 'send', 1,
                   now() - interval '1 hour', now(), 'sent'
            FROM generate_series(0, {entries * steps_per_entry} - 1) AS i""")
        )
        c.execute(
            text(f"""INSERT INTO events (event_id, user_id, name, occurred_at, received_at, properties, processed_at)
            SELECT 'ev' || i, (i % {users}) + 1, 'deposit', now() - (i % 1000) * interval '1 hour', now(), '{{"amount": 10}}', now()
            FROM generate_series(1, {users * 5}) AS i""")
        )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.execute(text("VACUUM ANALYZE"))
    engine.dispose()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


PARTICIPANTS = (
    "query($j: ID!, $s: String) { journey(id: $j) { entries(first: 50, search: $s, period: LAST_7_DAYS) "
    "{ totalCount edges { node { id status enteredAt convertedAt stoppedAt inControlGroup user { externalId } } } } } }"
)
ENTRY = (
    "query($id: ID!) { entry(id: $id) { status blockedReason wakeAt progress { name } "
    "steps { stepId outcome enteredAt leftAt } communications { id } bonuses { id } } }"
)
PROFILE = (
    "query($x: String!) { user(externalId: $x) { externalId email financial { depositCount depositTotal } "
    "entries(first: 20) { totalCount edges { node { id status } } } events(first: 20) { totalCount edges { node { name } } } "
    "communications(first: 20) { totalCount } gamification { points } bonuses { id } } }"
)


def read_cases(rnd: random.Random, users: int, entries: int) -> dict[str, Callable[[], tuple[str, dict[str, Any]]]]:
    """The backoffice reads measured, each a maker of (query, variables) over the generated data."""
    jid = encode_id("Journey", 1)
    return {
        "participants (search + period)": lambda: (PARTICIPANTS, {"j": jid, "s": f"player{rnd.randint(1, users)}"}),
        "participants (period only)": lambda: (PARTICIPANTS, {"j": jid, "s": None}),
        "entry details": lambda: (ENTRY, {"id": encode_id("Entry", rnd.randint(1, entries))}),
        "user profile": lambda: (PROFILE, {"x": f"ext{rnd.randint(1, users)}"}),
    }


def start_reader(url: str, port: int, processes: int = 1) -> tuple[subprocess.Popen[bytes], dict[str, str]]:
    """`questline serve --no-worker --processes N` on the database, and the headers of a logged-in ADMIN."""
    workdir = tempfile.mkdtemp()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("QUESTLINE_")},
        "QUESTLINE_DATABASE_URL": url,
        "QUESTLINE_DATA_DIR": workdir,
        "QUESTLINE_SECRET_KEY": "bench",
        "QUESTLINE_LOG_LEVEL": "WARNING",
    }
    ql = str(Path(sys.executable).with_name("questline"))
    subprocess.run(
        [ql, "create-operator", "reader", "--password", "bench-password", "--role", "ADMIN"],
        env=env,
        check=True,
        capture_output=True,
    )
    proc = subprocess.Popen(
        [ql, "serve", "--no-worker", "--processes", str(processes), "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)
    for _ in range(100):
        try:
            token = client.post(
                "/graphql",
                json={"query": 'mutation { login(username: "reader", password: "bench-password") { token } }'},
            ).json()["data"]["login"]["token"]
            return proc, {"authorization": f"Bearer {token}"}
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.terminate()
    raise SystemExit("the server did not answer")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=1_000_000)
    ap.add_argument("--steps-per-entry", type=int, default=10)
    ap.add_argument("--users", type=int, default=200_000)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = ap.parse_args()
    with scratch_database(args.postgres, "questline_reads") as url:
        proc = None
        try:
            upgrade(url)
            t = time.monotonic()
            generate(url, args.entries, args.steps_per_entry, args.users)
            print(
                f"generated {args.entries:,} entries, {args.entries * args.steps_per_entry:,} step-log rows, "
                f"{args.users:,} users, {args.users * 5:,} events in {time.monotonic() - t:.0f} s"
            )
            proc, headers = start_reader(url, 8077)
            client = httpx.Client(base_url="http://127.0.0.1:8077", timeout=30)
            rnd = random.Random(7)
            cases = read_cases(rnd, args.users, args.entries)
            print(
                f"machine: {platform.machine()}, {os.cpu_count()} cores; PostgreSQL and the server on the same machine; "
                f"{args.requests} sequential requests each after 10 warm-up"
            )
            for label, make in cases.items():
                for _ in range(10):
                    q, v = make()
                    client.post("/graphql", json={"query": q, "variables": v}, headers=headers)
                times = []
                for _ in range(args.requests):
                    q, v = make()
                    start = time.perf_counter()
                    body = client.post("/graphql", json={"query": q, "variables": v}, headers=headers).json()
                    times.append((time.perf_counter() - start) * 1000)
                    assert "errors" not in body, body
                print(
                    f"{label}: p50 {percentile(times, 50):.1f} ms, p95 {percentile(times, 95):.1f} ms, mean {statistics.mean(times):.1f} ms"
                )
        finally:
            if proc is not None:
                proc.terminate()
                proc.wait(30)


if __name__ == "__main__":
    main()
