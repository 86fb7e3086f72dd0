"""Wallet throughput: N PENDING bonuses granted through an HTTP wallet by `grant`, the
wallet actor's work, on PostgreSQL.

    .venv/bin/python bench/wallet_throughput.py --bonuses 5000 --delay-ms 0 --threads 1

The wallet is bench/peers.py's idempotent HTTP provider in a process of its own on
the same machine, answering each request after `--delay-ms` (a remote wallet takes
tens of milliseconds). The bonuses are written PENDING in one statement, then handed
to `grant` in messages of 1,000 ids (what one actor message carries), by `--threads`
threads as a worker's actor threads would. Prints bonuses granted per second, from
the first claim to the last recorded GRANTED, and checks that the wallet got exactly
one key per bonus. Uses a database of its own, dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import func, select, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from backend.models import Bonus
from backend.persistence.database import Database, make_engine
from backend.processing.bonuses import grant
from backend.queue import NullQueue
from backend.services import build_services
from backend.settings import load_settings
from bench.peers import start_peer, stop_peer
from bench.scratch import scratch_database
from migrations.runner import upgrade
from tests.live import free_port

MESSAGE_IDS = 1_000


def seed(url: str, n: int) -> list[int]:
    """n users, one template, one PENDING bonus per user; returns the bonus ids."""
    engine = make_engine(url)
    with engine.begin() as c:
        c.execute(
            text(f"""INSERT INTO users (external_id, external_id_lc, username, username_lc, attributes, opt_outs,
            points, deposit_count, deposit_total, withdrawal_total, created_at, updated_at)
            SELECT 'u' || i, 'u' || i, 'Player' || i, 'player' || i, '{{}}', '[]', 0, 0, 0, 0, now(), now()
            FROM generate_series(1, {n}) AS i""")
        )
        tid = c.execute(
            text(
                "INSERT INTO bonus_templates (name, kind, amount, currency, created_at) "
                "VALUES ('Spins', 'FREE_SPINS', 10, NULL, now()) RETURNING id"
            )
        ).scalar()
        # Created a minute ago: the scheduler tick would leave them to the hints they got.
        ids = list(
            c.execute(
                text(f"""INSERT INTO bonuses (idempotency_key, user_id, template_id, source, status,
            attempts, next_attempt_at, created_at)
            SELECT 'manual:bench-' || u.id, u.id, {tid}, 'manual', 'PENDING', 0,
                   now() - interval '1 minute', now() - interval '1 minute'
            FROM users u ORDER BY u.id RETURNING id""")
            ).scalars()
        )
    engine.dispose()
    return sorted(ids)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bonuses", type=int, default=5_000)
    ap.add_argument("--delay-ms", type=float, default=0.0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = ap.parse_args()
    with scratch_database(args.postgres, "questline_bench") as url:
        port = free_port()
        peer = start_peer("http", port, str(args.delay_ms))
        try:
            upgrade(url)
            ids = seed(url, args.bonuses)
            db = Database(url)
            settings = load_settings(
                {
                    "QUESTLINE_DATABASE_URL": url,
                    "QUESTLINE_SECRET_KEY": "bench",
                    "QUESTLINE_DATA_DIR": tempfile.mkdtemp(),
                    "QUESTLINE_WALLET_URL": f"http://127.0.0.1:{port}/grants",
                }
            )
            services = build_services(settings, queue=NullQueue(), db=db)
            time.sleep(2)  # let the wallet start
            messages = [ids[i : i + MESSAGE_IDS] for i in range(0, len(ids), MESSAGE_IDS)]
            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=args.threads) as pool:
                list(pool.map(lambda chunk: grant(services, bonus_ids=chunk), messages))
            seconds = time.perf_counter() - started
            with db.read() as s:
                statuses = dict(s.execute(select(Bonus.status, func.count()).group_by(Bonus.status)).all())
            db.dispose()
        finally:
            counts = stop_peer(peer)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; PostgreSQL, "
        f"the wallet and `grant` ({args.threads} thread{'s' if args.threads != 1 else ''}) on this one machine"
    )
    print(
        f"{args.bonuses:,} bonuses, wallet answering after {args.delay_ms:g} ms: {seconds:.1f} s, "
        f"{args.bonuses / seconds:,.0f} granted/s; statuses {statuses}"
    )
    print(f"wallet: {counts['requests']:,} requests, {counts['keys']:,} distinct keys")


if __name__ == "__main__":
    main()
