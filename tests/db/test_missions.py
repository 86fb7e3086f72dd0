"""Missions: count and sum with a predicate in a window, progress per user, the reward
exactly once, and concurrent batches for one user that never double-count."""
from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from backend.catalog import create_mission
from backend.errors import DomainError
from backend.gamification.missions import reward_key
from backend.models import Bonus, Mission, MissionProgress, PointsLedger, User, utcnow
from backend.processing.events import process_events
from backend.queue import RecordingQueue
from tests.db.journey_fixtures import catalog, track, users

NOW = utcnow()


def _mission(db, name, goal, reward, starts_at=None, ends_at=None):
    with db.unit_of_work() as uow:
        return create_mission(uow, name=name, description=None, goal=goal, reward=reward,
                              starts_at=starts_at, ends_at=ends_at).id


_seq = iter(range(1_000_000))


def _events(db, *specs, queue=None):
    """Tracks (user, name, properties, minutes ago) events and runs their batch."""
    ids = track(db, *({"eventId": f"e{next(_seq)}", "externalId": ext, "name": name, "properties": props,
                       "occurredAt": (NOW - timedelta(minutes=ago)).isoformat()} for ext, name, props, ago in specs))
    process_events(db, event_ids=ids, queue=queue or RecordingQueue())
    return ids


def _progress(db, mission_id, external_id="p1"):
    with db.read() as s:
        row = s.scalar(select(MissionProgress).join(User, User.id == MissionProgress.user_id)
                       .where(MissionProgress.mission_id == mission_id, User.external_id == external_id))
        return (row.progress, row.target, row.completed_at is not None) if row else None


def _ledger(db):
    with db.read() as s:
        return [(l.amount, l.source, l.idempotency_key, l.reason) for l in s.scalars(select(PointsLedger).order_by(PointsLedger.id))]


def test_a_count_mission_with_a_predicate_and_a_window_rewards_once(db):
    catalog(db)
    users(db, {"externalId": "p1"}, {"externalId": "p2"})
    mid = _mission(db, "Three big deposits", {"event": "deposit", "where": {"field": "event.properties.amount", "op": "gte", "value": 50},
                                              "measure": "count", "target": 3},
                   {"points": 50, "bonusTemplate": "10 free spins"}, starts_at=NOW - timedelta(hours=1), ends_at=NOW + timedelta(hours=1))
    _events(db, ("p1", "deposit", {"amount": 100}, 5), ("p1", "deposit", {"amount": 10}, 4),  # too small
            ("p1", "deposit", {"amount": 500}, 120),  # before the window
            ("p1", "login", {"amount": 100}, 3), ("p2", "deposit", {"amount": 80}, 3))
    assert _progress(db, mid) == (1.0, 3.0, False)
    assert _progress(db, mid, "p2") == (1.0, 3.0, False)
    q = RecordingQueue()
    _events(db, ("p1", "deposit", {"amount": 60}, 2), ("p1", "deposit", {"amount": 70}, 1), queue=q)
    assert _progress(db, mid) == (3.0, 3.0, True)
    with db.read() as s:
        p1 = s.scalar(select(User).where(User.external_id == "p1"))
        [bonus] = s.scalars(select(Bonus))
    key = reward_key(mid, p1.id)
    assert _ledger(db) == [(50, "mission", key, "mission 'Three big deposits'")]
    assert p1.points == 50
    assert (bonus.idempotency_key, bonus.status, bonus.source, bonus.mission_id, bonus.user_id) == (key, "PENDING", "mission", mid, p1.id)
    assert ("grant_bonuses", ([bonus.id],)) in q.calls
    # Done: more deposits change nothing, and give nothing again.
    _events(db, ("p1", "deposit", {"amount": 90}, 0))
    assert _progress(db, mid) == (3.0, 3.0, True)
    assert len(_ledger(db)) == 1
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Bonus)) == 1


def test_a_sum_mission_adds_the_property_and_ignores_events_after_its_end(db):
    users(db, {"externalId": "p1"})
    mid = _mission(db, "Wager 100", {"event": "bet", "measure": "sum:stake", "target": 100}, {"points": 10},
                   ends_at=NOW - timedelta(minutes=10))
    _events(db, ("p1", "bet", {"stake": 30}, 30), ("p1", "bet", {"stake": "lots"}, 29), ("p1", "bet", {}, 28))
    assert _progress(db, mid) == (30.0, 100.0, False)
    _events(db, ("p1", "bet", {"stake": 50.5}, 20), ("p1", "bet", {"stake": 1000}, 5))  # the second after endsAt
    assert _progress(db, mid) == (80.5, 100.0, False)
    _events(db, ("p1", "bet", {"stake": 19.5}, 15))
    assert _progress(db, mid) == (100.0, 100.0, True)
    assert [line[0] for line in _ledger(db)] == [10]


@pytest.mark.parametrize("goal, reward", [
    ({"event": "deposit", "target": 1, "where": {"field": "event.properties.amount", "op": "gte"}}, {"points": 1}),
    ({"event": "deposit", "target": 1, "where": {"field": "entry.round", "op": "eq", "value": 1}}, {"points": 1}),
    ({"event": "deposit", "target": 1, "where": {"eventCount": {"name": "x"}, "op": "gt", "value": 1}}, {"points": 1}),
    ({"event": "deposit", "target": 1, "measure": "max"}, {"points": 1}),
])
def test_create_mission_refuses_a_bad_goal_and_stores_nothing(db, goal, reward):
    with pytest.raises(DomainError) as err:
        _mission(db, "Bad", goal, reward)
    assert err.value.code == "INVALID_INPUT"
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Mission)) == 0


def test_concurrent_batches_for_one_user_never_double_count(db):
    users(db, {"externalId": "p1"})
    mid = _mission(db, "Two logins", {"event": "login", "target": 2}, {"points": 25})
    ids = track(db, *({"eventId": f"login-{i}", "externalId": "p1", "name": "login"} for i in range(2)))
    with db.read() as s:
        uid = s.scalar(select(User.id))
    errors: list[BaseException] = []

    def batch(event_id: int) -> None:
        try:
            process_events(db, event_ids=[event_id], queue=RecordingQueue())
        except BaseException as exc:  # noqa: BLE001 (reported by the test thread)
            errors.append(exc)

    # Hold the user's progress row (the write lock on SQLite) while both batches start,
    # so both are in flight together; then let them go.
    with db.unit_of_work() as uow:
        uow.session.add(MissionProgress(mission_id=mid, user_id=uid, progress=0.0, target=2.0))
        uow.flush()
        if db.dialect == "postgresql":
            uow.session.execute(text("SELECT id FROM mission_progress FOR UPDATE"))
        threads = [threading.Thread(target=batch, args=(pk,)) for pk in ids]
        for t in threads:
            t.start()
        time.sleep(0.5)
        assert all(t.is_alive() for t in threads)  # both batches are waiting for the row
    for t in threads:
        t.join(30)
    assert not errors, errors
    assert _progress(db, mid) == (2.0, 2.0, True)
    assert [line[0] for line in _ledger(db)] == [25]
    with db.read() as s:
        assert s.scalar(select(User.points)) == 25
