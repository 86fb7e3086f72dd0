"""What badges and missions cost the event batch: `process_events` over batches of
deposit events (one per user), with no badges or missions, then with badges and
missions that every deposit reads (first earning every badge, then with the badges
held), on PostgreSQL.

    .venv/bin/python bench/gamification_batch.py --users 5000 --batch 1000 [--history 100]

Prints events/s for each case. With `--history N`, each user first gets N past
deposits (processed, within the day), which the badges' eventCount and eventSum read. Uses a database of its own on the local PostgreSQL,
dropped at the end.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from sqlalchemy import func, select, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from backend.catalog import create_badge, create_bonus_template, create_mission
from backend.models import BadgeAward, Event, MissionProgress
from backend.persistence.database import Database
from backend.processing.events import process_events
from backend.queue import NullQueue
from backend.services import build_services
from backend.settings import Settings
from backend.users.intake import track_events
from bench.scratch import scratch_database
from migrations.runner import upgrade

BADGES = {
    "First deposit": {"field": "user.financial.depositCount", "op": "gte", "value": 1},
    "Two deposits": {"eventCount": {"name": "deposit"}, "op": "gte", "value": 2},
    "Big spender": {
        "eventSum": {"name": "deposit", "property": "amount", "withinSeconds": 86400},
        "op": "gte",
        "value": 100,
    },
}


def _round(db: Database, users: int, batch: int, tag: str) -> float:
    """Tracks one deposit per user, then times process_events over them, a batch at a time."""
    with db.unit_of_work() as uow:
        result = track_events(
            uow,
            events=[
                {"eventId": f"{tag}-{i}", "externalId": f"u{i}", "name": "deposit", "properties": {"amount": 60}}
                for i in range(users)
            ],
            queue=NullQueue(),
        )
    ids = list(result.event_ids)
    services = build_services(Settings(database_url=db.url, secret_key="bench"), queue=NullQueue(), db=db)
    started = time.perf_counter()
    for i in range(0, len(ids), batch):
        process_events(services, event_ids=ids[i : i + batch])
    return len(ids) / (time.perf_counter() - started)


def _history(db: Database, per_user: int) -> None:
    """Past deposits, already processed, spread over the last hours."""
    with db.engine.begin() as c:
        c.execute(
            text(f"""INSERT INTO events (event_id, user_id, name, occurred_at, received_at, properties, processed_at)
            SELECT 'h-' || u.id || '-' || g, u.id, 'deposit', now() - g * interval '1 minute', now(),
                   jsonb_build_object('amount', 10 + g % 7), now()
            FROM users u, generate_series(1, {per_user}) AS g""")
        )
        c.execute(text("ANALYZE events"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=5_000)
    ap.add_argument("--batch", type=int, default=1_000)
    ap.add_argument("--history", type=int, default=0)
    ap.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = ap.parse_args()
    with scratch_database(args.postgres, "questline_bench") as url:
        upgrade(url)
        db = Database(url)
        plain = _round(db, args.users, args.batch, "a")
        if args.history:
            _history(db, args.history)
        with db.unit_of_work() as uow:
            create_bonus_template(uow, name="Spins", kind="FREE_SPINS", amount=10, currency=None)
            for badge, rule in BADGES.items():
                create_badge(uow, name=badge, description=None, rule=rule)
            create_mission(
                uow,
                name="Deposit twice",
                description=None,
                goal={"event": "deposit", "measure": "count", "target": 2},
                reward={"points": 10},
                starts_at=None,
                ends_at=None,
            )
            create_mission(
                uow,
                name="Deposit 200",
                description=None,
                goal={
                    "event": "deposit",
                    "measure": "sum:amount",
                    "target": 200,
                    "where": {"field": "event.properties.amount", "op": "gte", "value": 50},
                },
                reward={"points": 5, "bonusTemplate": "Spins"},
                starts_at=None,
                ends_at=None,
            )
        gamified = _round(db, args.users, args.batch, "b")
        # Every user now holds every badge: what a check costs once nothing is left to award.
        held = _round(db, args.users, args.batch, "c")
        with db.read() as s:
            awards = s.scalar(select(func.count()).select_from(BadgeAward))
            progress = s.scalar(select(func.count()).select_from(MissionProgress))
            pending = s.scalar(select(func.count()).select_from(Event).where(Event.processed_at.is_(None)))
        print(f"{args.users} users, batches of {args.batch}, {args.history} past deposits each, PostgreSQL")
        print(f"  no badges or missions: {plain:,.0f} events/s")
        print(f"  3 badges and 2 missions read by every deposit, each deposit earning all 3: {gamified:,.0f} events/s")
        print(f"  the same, the badges already held, a mission completed by each deposit: {held:,.0f} events/s")
        print(f"  ({awards} awards, {progress} progress rows, {pending} events left unprocessed)")
        db.dispose()


if __name__ == "__main__":
    main()
