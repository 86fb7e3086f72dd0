"""Two event batches that lock the same users in opposite orders finish, both of them."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from backend.catalog import create_mission
from backend.models import Event, User
from backend.processing import writer
from tests.db.journey_fixtures import make_journey, track, users
from tests.wiring import process_at_once


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
def test_profile_updates_and_mission_progress_in_crossed_batches_do_not_deadlock(db, monkeypatch):
    users(db, {"externalId": "p1"}, {"externalId": "p2"})
    make_journey(
        db,
        {
            "trigger": {"kind": "EVENT", "event": "deposit"},
            "start": "u",
            "steps": [{"id": "u", "kind": "update_profile", "set": {"vip": True}}],
        },
    )
    with db.unit_of_work() as uow:
        create_mission(
            uow,
            name="Logins",
            description=None,
            goal={"event": "login", "target": 5},
            reward={"points": 1},
            starts_at=None,
            ends_at=None,
        )
    # Batch A: p1 deposits, p2 logs in; batch B: the other way round.
    a = track(
        db,
        {"eventId": "a1", "externalId": "p1", "name": "deposit"},
        {"eventId": "a2", "externalId": "p2", "name": "login"},
    )
    b = track(
        db,
        {"eventId": "b1", "externalId": "p2", "name": "deposit"},
        {"eventId": "b2", "externalId": "p1", "name": "login"},
    )
    barrier = threading.Barrier(2, timeout=10)
    original = writer._write_profiles

    def together(uow, changes):
        # Both batches have written their mission progress (key-share locks on their
        # users through the foreign key) before either locks a user to merge a profile.
        barrier.wait()
        return original(uow, changes)

    monkeypatch.setattr(writer, "_write_profiles", together)
    assert process_at_once(db, a, b) == []
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Event).where(Event.processed_at.is_(None))) == 0
        assert sorted(u.attributes.get("vip") for u in s.scalars(select(User))) == [True, True]
