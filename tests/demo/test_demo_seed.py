"""`--seed`: the same seed makes the same data set; another seed another one."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from backend.models import Entry, Event, Journey, User, utcnow
from backend.persistence.database import Database
from tests.demo.conftest import Demo, fresh_database


def _load(tmp_path, name: str, seed: int) -> tuple[Database, str]:
    folder = tmp_path / name
    folder.mkdir()
    with fresh_database("sqlite", folder) as url:
        env = {
            "QUESTLINE_DATABASE_URL": url,
            "QUESTLINE_SECRET_KEY": "seed-test-key",
            "QUESTLINE_DATA_DIR": str(folder),
        }
        assert Demo(url, env, None, None).run("--players", "30", "--seed", str(seed), "--yes") == 0
        return Database(url), url


def _story(db: Database, before) -> dict:
    """What a seed decides: the players, what they did, who entered which journey and how it ended."""
    with db.read() as session:
        return {
            "players": session.execute(
                select(
                    User.external_id, User.username, User.email, User.phone, User.timezone, User.attributes
                ).order_by(User.external_id)
            ).all(),
            "events": session.execute(
                select(Event.event_id, Event.name, Event.occurred_at, Event.properties)
                .where(Event.occurred_at < before)
                .order_by(Event.event_id)
            ).all(),
            "entries": session.execute(
                select(Journey.name, User.external_id, Entry.round, Entry.in_control_group, Entry.status)
                .join(Journey, Journey.id == Entry.journey_id)
                .join(User, User.id == Entry.user_id)
                .where(Entry.entered_at < before)
                .order_by(Journey.name, User.external_id, Entry.round)
            ).all(),
        }


def test_the_same_seed_makes_the_same_data_set_and_another_seed_another(tmp_path):
    # The story ends when the command runs: compare what happened before the last hour.
    before = utcnow() - timedelta(hours=1)
    first, second, other = (_load(tmp_path, name, seed)[0] for name, seed in (("a", 5), ("b", 5), ("c", 6)))
    try:
        a, b, c = (_story(db, before) for db in (first, second, other))
        assert a["players"] and a["events"] and a["entries"]
        assert a == b
        assert a["players"] != c["players"] and a["events"] != c["events"]
    finally:
        for db in (first, second, other):
            db.dispose()
