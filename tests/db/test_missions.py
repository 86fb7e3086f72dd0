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
from backend.ids import encode_id
from backend.models import Bonus, BonusTemplate, Mission, MissionProgress, PointsLedger, User, utcnow
from backend.processing.events import process_events
from backend.queue import RecordingQueue
from tests.db.journey_fixtures import catalog, track, users
from tests.db.waiting import sessions_waiting_for_locks
from tests.wiring import services_for

NOW = utcnow()


def _mission(db, name, goal, reward, starts_at=None, ends_at=None):
    with db.unit_of_work() as uow:
        return create_mission(
            uow, name=name, description=None, goal=goal, reward=reward, starts_at=starts_at, ends_at=ends_at
        ).id


_seq = iter(range(1_000_000))


def _events(db, *specs, queue=None):
    """Tracks (user, name, properties, minutes ago) events and runs their batch."""
    ids = track(
        db,
        *(
            {
                "eventId": f"e{next(_seq)}",
                "externalId": ext,
                "name": name,
                "properties": props,
                "occurredAt": (NOW - timedelta(minutes=ago)).isoformat(),
            }
            for ext, name, props, ago in specs
        ),
    )
    process_events(services_for(db, queue or RecordingQueue()), event_ids=ids)
    return ids


def _progress(db, mission_id, external_id="p1"):
    with db.read() as s:
        row = s.scalar(
            select(MissionProgress)
            .join(User, User.id == MissionProgress.user_id)
            .where(MissionProgress.mission_id == mission_id, User.external_id == external_id)
        )
        return (row.progress, row.target, row.completed_at is not None) if row else None


def _ledger(db):
    with db.read() as s:
        return [
            (line.amount, line.source, line.idempotency_key, line.reason)
            for line in s.scalars(select(PointsLedger).order_by(PointsLedger.id))
        ]


def test_a_count_mission_with_a_predicate_and_a_window_rewards_once(db):
    catalog(db)
    users(db, {"externalId": "p1"}, {"externalId": "p2"})
    mid = _mission(
        db,
        "Three big deposits",
        {
            "event": "deposit",
            "where": {"field": "event.properties.amount", "op": "gte", "value": 50},
            "measure": "count",
            "target": 3,
        },
        {"points": 50, "bonusTemplate": "10 free spins"},
        starts_at=NOW - timedelta(hours=1),
        ends_at=NOW + timedelta(hours=1),
    )
    _events(
        db,
        ("p1", "deposit", {"amount": 100}, 5),
        ("p1", "deposit", {"amount": 10}, 4),  # too small
        ("p1", "deposit", {"amount": 500}, 120),  # before the window
        ("p1", "login", {"amount": 100}, 3),
        ("p2", "deposit", {"amount": 80}, 3),
    )
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
    assert (bonus.idempotency_key, bonus.status, bonus.source, bonus.mission_id, bonus.user_id) == (
        key,
        "PENDING",
        "mission",
        mid,
        p1.id,
    )
    assert ("grant_bonuses", ([bonus.id],)) in q.calls
    # Done: more deposits change nothing, and give nothing again.
    _events(db, ("p1", "deposit", {"amount": 90}, 0))
    assert _progress(db, mid) == (3.0, 3.0, True)
    assert len(_ledger(db)) == 1
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Bonus)) == 1


def test_a_sum_mission_adds_the_property_and_ignores_events_after_its_end(db):
    users(db, {"externalId": "p1"})
    mid = _mission(
        db,
        "Wager 100",
        {"event": "bet", "measure": "sum:stake", "target": 100},
        {"points": 10},
        ends_at=NOW - timedelta(minutes=10),
    )
    _events(db, ("p1", "bet", {"stake": 30}, 30), ("p1", "bet", {"stake": "lots"}, 29), ("p1", "bet", {}, 28))
    assert _progress(db, mid) == (30.0, 100.0, False)
    _events(db, ("p1", "bet", {"stake": 50.5}, 20), ("p1", "bet", {"stake": 1000}, 5))  # the second after endsAt
    assert _progress(db, mid) == (80.5, 100.0, False)
    _events(db, ("p1", "bet", {"stake": 19.5}, 15))
    assert _progress(db, mid) == (100.0, 100.0, True)
    assert [line[0] for line in _ledger(db)] == [10]


@pytest.mark.parametrize(
    "goal, reward",
    [
        ({"event": "deposit", "target": 1, "where": {"field": "event.properties.amount", "op": "gte"}}, {"points": 1}),
        ({"event": "deposit", "target": 1, "where": {"field": "entry.round", "op": "eq", "value": 1}}, {"points": 1}),
        (
            {"event": "deposit", "target": 1, "where": {"eventCount": {"name": "x"}, "op": "gt", "value": 1}},
            {"points": 1},
        ),
        ({"event": "deposit", "target": 1, "measure": "max"}, {"points": 1}),
    ],
)
def test_create_mission_refuses_a_bad_goal_and_stores_nothing(db, goal, reward):
    with pytest.raises(DomainError) as err:
        _mission(db, "Bad", goal, reward)
    assert err.value.code == "INVALID_INPUT"
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Mission)) == 0


@pytest.mark.parametrize(
    "reward",
    [
        {"points": True},
        {"points": 0},
        {"points": -5},
        {"points": 2.5},
        {"points": 1_000_001},
        {"points": 10**20},
        {"points": "50"},
        {"points": None},
        {"bonusTemplate": True},
        {"bonusTemplate": 1.0},
        {"bonusTemplate": 0},
        {"bonusTemplate": -3},
        {"bonusTemplate": 10**20},
        {"bonusTemplate": []},
        {"bonusTemplate": {"id": 1}},
        {"bonusTemplate": ""},
        {"bonusTemplate": "   "},
        {"bonusTemplate": "x" * 201},
        {"bonusTemplate": "Spins\x00"},
        {"points": 10, "bonusTemplate": False},
        {},
    ],
)
def test_create_mission_refuses_a_bad_reward_and_stores_nothing(db, reward):
    catalog(db)
    with pytest.raises(DomainError) as err:
        _mission(db, "Bad", {"event": "deposit", "target": 1}, reward)
    assert (err.value.code, err.value.field) == ("INVALID_INPUT", ["input", "reward"])
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Mission)) == 0


@pytest.mark.parametrize(
    "template", ["no such template", encode_id("BonusTemplate", 999_999), 999_999, encode_id("Resource", 1)]
)
def test_create_mission_names_a_template_that_exists(db, template):
    catalog(db)
    with pytest.raises(DomainError) as err:
        _mission(db, "Bad", {"event": "deposit", "target": 1}, {"bonusTemplate": template})
    assert err.value.code == "NOT_FOUND"


def test_the_goal_event_is_an_event_name_intake_keeps(db):
    users(db, {"externalId": "p1"})
    for event in ("x" * 121, "  ", "login\x00"):
        with pytest.raises(DomainError) as err:
            _mission(db, "Bad", {"event": event, "target": 1}, {"points": 1})
        assert err.value.code == "INVALID_INPUT"
    # Intake strips names and keeps up to 120 characters: such a goal counts such events.
    long_name = "e" * 120
    mid = _mission(db, "Long", {"event": f"  {long_name} ", "target": 1}, {"points": 1_000_000})
    _events(db, ("p1", f" {long_name}  ", {}, 1))
    assert _progress(db, mid) == (1.0, 1.0, True)
    assert [line[0] for line in _ledger(db)] == [1_000_000]


@pytest.mark.parametrize("how", ["name", "global ID", "number"])
def test_a_template_reward_named_any_way_creates_its_bonus(db, how):
    catalog(db)
    users(db, {"externalId": "p1"})
    with db.read() as s:
        tid = s.scalar(select(BonusTemplate.id))
    template = {"name": "  10 free spins ", "global ID": encode_id("BonusTemplate", tid), "number": tid}[how]
    mid = _mission(db, "Log in", {"event": "login", "target": 1}, {"bonusTemplate": template})
    with db.read() as s:
        assert s.get(Mission, mid).reward == {"bonusTemplate": template, "bonusTemplateId": tid}
    q = RecordingQueue()
    _events(db, ("p1", "login", {}, 1), queue=q)
    with db.read() as s:
        [bonus] = s.scalars(select(Bonus))
    assert (bonus.template_id, bonus.status, bonus.mission_id) == (tid, "PENDING", mid)
    assert ("grant_bonuses", ([bonus.id],)) in q.calls


def test_concurrent_batches_for_one_user_never_double_count(db):
    users(db, {"externalId": "p1"})
    mid = _mission(db, "Two logins", {"event": "login", "target": 2}, {"points": 25})
    ids = track(db, *({"eventId": f"login-{i}", "externalId": "p1", "name": "login"} for i in range(2)))
    with db.read() as s:
        uid = s.scalar(select(User.id))
    errors: list[BaseException] = []

    def batch(event_id: int) -> None:
        try:
            process_events(services_for(db, RecordingQueue()), event_ids=[event_id])
        except BaseException as exc:
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
        if db.dialect == "postgresql":  # both batches wait for the row (on its inserting transaction or its tuple)
            assert sessions_waiting_for_locks(db, 2, kinds=("transactionid", "tuple"))
        else:
            time.sleep(0.5)  # SQLite shows no waiters: give both the time to reach BEGIN IMMEDIATE
        assert all(t.is_alive() for t in threads)
    for t in threads:
        t.join(30)
    assert not errors, errors
    assert _progress(db, mid) == (2.0, 2.0, True)
    assert [line[0] for line in _ledger(db)] == [25]
    with db.read() as s:
        assert s.scalar(select(User.points)) == 25
