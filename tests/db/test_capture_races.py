"""Two event batches capturing the same user into the same journey at once: each
capture gets a round of its own, and neither event is put by."""

from __future__ import annotations

import contextlib
import threading

import pytest
from sqlalchemy import select

from backend.models import Entry, Event
from backend.processing import events as event_processing
from tests.db.journey_fixtures import make_journey, track, users
from tests.wiring import process_at_once

GREET_ON_LOGIN = {
    "trigger": {"kind": "EVENT", "event": "login"},
    "start": "hi",
    "steps": [{"id": "hi", "kind": "update_profile", "set": {"greeted": True}}],
}


@pytest.mark.parametrize("db_url", ["sqlite", "postgres"], indirect=True)
def test_two_logins_of_one_player_in_concurrent_batches_each_start_a_round(db, monkeypatch):
    users(db, {"externalId": "p1"})
    make_journey(db, GREET_ON_LOGIN, reentry_mode="EVERY_ENTRY")
    first = track(db, {"eventId": "a", "externalId": "p1", "name": "login"})
    second = track(db, {"eventId": "b", "externalId": "p1", "name": "login"})
    # Each batch waits (a little) for the other to have decided its captures before it
    # writes: both would read round 0 and both write round 1, were they not serialized.
    barrier = threading.Barrier(2)
    original = event_processing.interpret

    def together(batch):
        # Broken when the other batch waits for this one (serialized): then go on.
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=2)
        return original(batch)

    monkeypatch.setattr(event_processing, "interpret", together)
    assert process_at_once(db, first, second) == []
    with db.read() as s:
        assert [e.error for e in s.scalars(select(Event).order_by(Event.id))] == [None, None]
        assert sorted(s.scalars(select(Entry.round))) == [1, 2]
