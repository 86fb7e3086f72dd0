"""Delivery throughput: N queued SMS through an HTTP provider, then N queued emails
through an SMTP server, sent by `questline worker` processes on PostgreSQL and Redis.

    .venv/bin/python bench/delivery_throughput.py --messages 20000 --processes 2 --threads 4

The provider and the SMTP server are stand-ins in processes of their own
(bench/peers.py) on the same machine. The communications are written QUEUED in one
statement; the scheduler tick hints them, the delivery actors claim, render, send and
record them. Prints messages delivered per second for each channel, from the commit
that queued them to the last one recorded SENT, the CPU the worker processes used a
message meanwhile (all their threads, the idle polling of the broker's other queues
too: on a loaded machine a steadier figure than the wall clock), and checks that the
peers got exactly one message per communication. Uses a database of its own, dropped at the end.
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

from sqlalchemy import func, select, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from backend.models import Communication
from backend.persistence.database import Database, make_engine
from bench.peers import start_peer, stop_peer
from bench.scratch import scratch_database
from bench.suite import cpu_seconds
from migrations.runner import upgrade
from tests.live import free_port

CHANNELS = {
    "SMS": ("http", "Hi {{ user.username }}, your bonus waits: {{ user.attributes.offer }}", None),
    "EMAIL": (
        "smtp",
        "<html><body><p>Hi {{ user.username }},</p><p>{{ user.attributes.offer }}</p>"
        '<a href="https://casino.example.com/offer">Play now</a></body></html>',
        "An offer for {{ user.username }}",
    ),
}


def seed_users(url: str, n: int) -> None:
    engine = make_engine(url)
    with engine.begin() as c:
        c.execute(
            text(f"""INSERT INTO users (external_id, external_id_lc, username, username_lc, email, email_lc, phone,
            attributes, opt_outs, points, deposit_count, deposit_total, withdrawal_total, created_at, updated_at)
            SELECT 'u' || i, 'u' || i, 'Player' || i, 'player' || i, 'u' || i || '@example.com', 'u' || i || '@example.com',
                   '+3519' || lpad(i::text, 8, '0'), '{{"offer": "20 free spins"}}', '[]', 0, 0, 0, 0, now(), now()
            FROM generate_series(1, {n}) AS i""")
        )
    engine.dispose()


def queue_messages(db: Database, channel: str, n: int) -> float:
    """Writes n QUEUED communications of one resource; returns the time of the commit."""
    body, subject = CHANNELS[channel][1], CHANNELS[channel][2]
    with db.engine.begin() as c:
        rid = c.execute(
            text(
                "INSERT INTO resources (name, channel, subject, body, created_at, updated_at) "
                "VALUES (:n, :c, :s, :b, now(), now()) RETURNING id"
            ),
            {"n": f"Bench {channel}", "c": channel, "s": subject, "b": body},
        ).scalar()
        # queued a moment ago: the tick hints them at once (fresh rows wait for their own hint)
        c.execute(
            text(f"""INSERT INTO communications (idempotency_key, user_id, resource_id, channel, status, attempts,
            next_attempt_at, queued_at, open_count, click_count)
            SELECT '{channel}:' || i, i, {rid}, '{channel}', 'QUEUED', 0, now() - interval '10 seconds',
                   now() - interval '10 seconds', 0, 0
            FROM generate_series(1, {n}) AS i""")
        )
    return time.monotonic()


def wait_sent(db: Database, channel: str, n: int, started: float) -> float:
    while True:
        with db.read() as s:
            counts = dict(
                s.execute(
                    select(Communication.status, func.count())
                    .where(Communication.channel == channel)
                    .group_by(Communication.status)
                ).all()
            )
        if counts.get("SENT", 0) + counts.get("FAILED", 0) >= n:
            if counts.get("FAILED"):
                print(f"  {counts['FAILED']} failed")
            return time.monotonic() - started
        if time.monotonic() - started > 1800:
            raise SystemExit(f"gave up after 30 minutes: {counts}")
        time.sleep(0.2)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--messages", type=int, default=20_000)
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    ap.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    args = ap.parse_args()
    print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)

    with scratch_database(args.postgres, "questline_bench") as url:
        workdir = tempfile.mkdtemp()
        http_port, smtp_port = free_port(), free_port()
        peers = {"http": start_peer("http", http_port), "smtp": start_peer("smtp", smtp_port)}
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("QUESTLINE_")},
            "QUESTLINE_DATABASE_URL": url,
            "QUESTLINE_BROKER_URL": args.redis,
            "QUESTLINE_DATA_DIR": workdir,
            "QUESTLINE_SECRET_KEY": "bench",
            "QUESTLINE_QUEUE_PREFIX": f"bench{uuid.uuid4().hex[:6]}_",
            "QUESTLINE_LOG_LEVEL": "WARNING",
            "QUESTLINE_SMS_URL": f"http://127.0.0.1:{http_port}/sms",
            "QUESTLINE_SMTP_URL": f"smtp://127.0.0.1:{smtp_port}",
            "QUESTLINE_EMAIL_FROM": "promo@casino.example.com",
        }
        worker = None
        results: dict[str, float] = {}
        cpu: dict[str, float] = {}
        try:
            upgrade(url)
            seed_users(url, args.messages)
            db = Database(url)
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
            time.sleep(4)  # let the workers and the peers start
            for channel in CHANNELS:
                cpu_before = cpu_seconds(worker.pid)
                started = queue_messages(db, channel, args.messages)
                results[channel] = wait_sent(db, channel, args.messages, started)
                cpu[channel] = cpu_seconds(worker.pid) - cpu_before
            db.dispose()
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(60)
            counts = {kind: stop_peer(proc) for kind, proc in peers.items()}
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; PostgreSQL, Redis, "
        f"the peers and the workers ({args.processes} processes x {args.threads} threads) on this one machine"
    )
    for channel, seconds in results.items():
        print(
            f"{channel}: {args.messages:,} messages in {seconds:.1f} s: {args.messages / seconds:,.0f} delivered/s; "
            f"workers' CPU {cpu[channel]:.1f} s, {1e6 * cpu[channel] / args.messages:,.0f} us a message"
        )
    print(
        f"HTTP provider: {counts['http']['requests']:,} requests, {counts['http']['keys']:,} distinct keys; "
        f"SMTP server: {counts['smtp']['messages']:,} messages over {counts['smtp']['sessions']:,} connections"
    )


if __name__ == "__main__":
    main()
