"""The batch processors on a real database: events in, entries moved, timers fired,
conversions recorded, and a crash between claim and commit losing and doubling nothing."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from backend.models import Bonus, Communication, Entry, EntryStep, PointsLedger, User, utcnow
from backend.processing import entries
from backend.processing.entries import advance_entries
from backend.processing.events import process_events
from backend.processing.scheduler import tick
from backend.queue import RecordingQueue
from tests.db.journey_fixtures import catalog, make_journey, track, users
from tests.wiring import services_for

WELCOME = {
    "trigger": {
        "kind": "EVENT",
        "event": "deposit",
        "where": {"field": "event.properties.amount", "op": "gte", "value": 50},
    },
    "goal": {"event": "deposit", "withinSeconds": 86400},
    "start": "hi",
    "steps": [
        {"id": "hi", "kind": "send", "resource": "Welcome email", "next": "w"},
        {"id": "w", "kind": "wait", "seconds": 60, "next": "c"},
        {
            "id": "c",
            "kind": "condition",
            "where": {"field": "user.financial.depositCount", "op": "gte", "value": 2},
            "yes": "b",
            "no": "p",
        },
        {"id": "b", "kind": "bonus", "template": "10 free spins"},
        {"id": "p", "kind": "points", "amount": 5},
    ],
}


def _entries(db):
    with db.read() as s:
        return list(s.scalars(select(Entry).order_by(Entry.id)))


def _steps(db, entry_id):
    with db.read() as s:
        return [
            (r.step_id, r.outcome)
            for r in s.scalars(select(EntryStep).where(EntryStep.entry_id == entry_id).order_by(EntryStep.id))
        ]


def _count(db, model):
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_an_event_captures_and_sends_in_the_same_pass_then_the_timer_moves_on(db):
    catalog(db)
    make_journey(db, WELCOME)
    users(db, {"externalId": "p1", "email": "p1@example.com"}, {"externalId": "p2", "email": "p2@example.com"})
    q = RecordingQueue()
    ids = track(
        db,
        {"eventId": "d1", "externalId": "p1", "name": "deposit", "properties": {"amount": 100}},
        {"eventId": "d2", "externalId": "p2", "name": "deposit", "properties": {"amount": 10}},
    )
    assert process_events(services_for(db, q), event_ids=ids) == 2
    [e] = _entries(db)  # the 10 deposit does not match the trigger's where
    assert (e.status, e.current_step_id, e.round) == ("WAITING", "w", 1)
    assert _steps(db, e.id) == [("hi", "sent")]
    with db.read() as s:
        comm = s.scalar(select(Communication))
    assert (comm.status, comm.channel, comm.to_address, comm.idempotency_key) == (
        "QUEUED",
        "EMAIL",
        "p1@example.com",
        f"{e.id}:hi:1",
    )
    assert ("deliver", ("EMAIL", [comm.id])) in q.calls
    # The timer: not yet due, then due.
    assert advance_entries(services_for(db, q), entry_ids=[e.id]) == 0
    later = utcnow() + timedelta(seconds=61)
    assert advance_entries(services_for(db, q), entry_ids=[e.id], now=later) == 1
    [e] = _entries(db)
    assert e.status == "COMPLETED"
    assert _steps(db, e.id) == [("hi", "sent"), ("w", "waited"), ("c", "no"), ("p", "points_added")]
    with db.read() as s:
        assert s.scalar(select(User.points).where(User.external_id == "p1")) == 5
        assert s.scalar(select(func.count()).select_from(PointsLedger)) == 1


def test_a_second_deposit_converts_and_a_wait_for_event_moves_on(db):
    catalog(db)
    definition = {
        "trigger": {"kind": "EVENT", "event": "signup"},
        "goal": {"event": "deposit", "withinSeconds": 3600},
        "start": "w",
        "steps": [
            {
                "id": "w",
                "kind": "wait_for_event",
                "event": "deposit",
                "timeoutSeconds": 600,
                "next": "b",
                "timeoutNext": "s",
            },
            {"id": "b", "kind": "bonus", "template": "10 free spins"},
            {"id": "s", "kind": "send", "resource": "Promo SMS"},
        ],
    }
    make_journey(db, definition)
    users(db, {"externalId": "p1", "phone": "+37120000000"})
    q = RecordingQueue()
    process_events(services_for(db, q), event_ids=track(db, {"eventId": "s1", "externalId": "p1", "name": "signup"}))
    [e] = _entries(db)
    assert (e.status, e.waiting_event, e.blocked_reason.startswith("waiting for event 'deposit' until")) == (
        "WAITING",
        "deposit",
        True,
    )
    process_events(
        services_for(db, q),
        event_ids=track(db, {"eventId": "d1", "externalId": "p1", "name": "deposit", "properties": {"amount": 20}}),
    )
    [e] = _entries(db)
    assert e.status == "COMPLETED" and e.converted_at is not None and e.progress_name == "Converted"
    assert _steps(db, e.id)[:1] == [("w", "event_received")]
    with db.read() as s:
        bonus = s.scalar(select(Bonus))
    assert (bonus.status, bonus.idempotency_key) == ("PENDING", f"{e.id}:b:1")
    assert ("grant_bonuses", ([bonus.id],)) in q.calls


@pytest.mark.parametrize(
    "mode,expected_rounds,expected_statuses",
    [
        ("ONCE", [1], ["WAITING"]),
        ("NOT_WHILE_ACTIVE", [1], ["WAITING"]),
        ("RESTART", [1, 2], ["EXITED", "WAITING"]),
        ("EVERY_ENTRY", [1, 2], ["WAITING", "WAITING"]),
    ],
)
def test_reentry_modes_on_the_database(db, mode, expected_rounds, expected_statuses):
    catalog(db)
    definition = {
        "trigger": {"kind": "EVENT", "event": "login"},
        "start": "w",
        "steps": [{"id": "w", "kind": "wait", "seconds": 3600}],
    }
    make_journey(db, definition, reentry_mode=mode)
    users(db, {"externalId": "p1"})
    q = RecordingQueue()
    process_events(services_for(db, q), event_ids=track(db, {"eventId": "l1", "externalId": "p1", "name": "login"}))
    process_events(services_for(db, q), event_ids=track(db, {"eventId": "l2", "externalId": "p1", "name": "login"}))
    rows = _entries(db)
    assert [r.round for r in rows] == expected_rounds
    assert [r.status for r in rows] == expected_statuses
    if mode == "RESTART":
        assert rows[0].stop_reason == "restarted"


class WorkerKilled(BaseException):
    """What a killed worker looks like from inside a batch: nothing after it runs."""


def test_a_crash_between_claim_and_commit_loses_nothing_and_duplicates_nothing(db, monkeypatch):
    catalog(db)
    make_journey(
        db,
        {
            "trigger": {"kind": "API"},
            "start": "w",
            "steps": [
                {"id": "w", "kind": "wait", "seconds": 1, "next": "hi"},
                {"id": "hi", "kind": "send", "resource": "Welcome email"},
            ],
        },
    )
    users(db, {"externalId": "p1", "email": "p1@example.com"})
    from backend import lifecycle as life
    from tests.db.journey_fixtures import ADMIN

    with db.unit_of_work() as uow:
        [entry], _ = life.enter_journey(
            uow, principal=ADMIN, journey_id=_journey_id(db), external_ids=["p1"], payload=None, queue=RecordingQueue()
        )
        eid = entry.id
    q = RecordingQueue()
    advance_entries(services_for(db, q), entry_ids=[eid])  # first pass: waits 1 s
    later = utcnow() + timedelta(seconds=5)

    def crash(*args, **kwargs):
        raise WorkerKilled()

    # Killed after the batch wrote its plan, before the commit.
    with monkeypatch.context() as patched:
        patched.setattr(entries, "award_badges", crash)
        with pytest.raises(WorkerKilled):
            advance_entries(services_for(db, q), entry_ids=[eid], now=later)
    assert _count(db, Communication) == 0 and _entries(db)[0].status == "WAITING"
    # The tick finds the entry again (its hint was lost with the worker) and a worker finishes it once.
    q2 = RecordingQueue()
    tick(services_for(db, q2), now=later)
    assert ("advance_entries", ([eid],)) in q2.calls
    advance_entries(services_for(db, q2), entry_ids=[eid], now=later)
    advance_entries(services_for(db, q2), entry_ids=[eid], now=later)  # a duplicate hint is harmless
    assert _count(db, Communication) == 1
    assert _steps(db, eid) == [("w", "waited"), ("hi", "sent")]
    assert _entries(db)[0].status == "COMPLETED"


def _journey_id(db):
    from backend.models import Journey

    with db.read() as s:
        return s.scalar(select(Journey.id))


def test_reactivation_runs_an_ended_entry_again_once_and_inserts_when_none(db):
    catalog(db)
    definition = {
        "trigger": {"kind": "EVENT", "event": "signup"},
        "start": "hi",
        "reactivation": {"event": "login", "resumeAt": "back", "lookbackSeconds": 3600, "insertIfNone": True},
        "steps": [
            {"id": "hi", "kind": "send", "resource": "Welcome email"},
            {"id": "back", "kind": "send", "resource": "Promo SMS"},
        ],
    }
    make_journey(db, definition)
    users(
        db,
        {"externalId": "p1", "email": "p1@example.com", "phone": "+37120000000"},
        {"externalId": "p2", "phone": "+37120000001"},
    )
    q = RecordingQueue()
    process_events(services_for(db, q), event_ids=track(db, {"eventId": "s1", "externalId": "p1", "name": "signup"}))
    [e] = _entries(db)
    assert e.status == "COMPLETED"
    process_events(services_for(db, q), event_ids=track(db, {"eventId": "l1", "externalId": "p1", "name": "login"}))
    [e] = _entries(db)
    assert e.status == "COMPLETED" and e.reactivated_at is not None
    assert _steps(db, e.id) == [("hi", "sent"), ("back", "reactivated"), ("back", "sent")]
    # Never reactivated twice: a second login finds no eligible entry, so one is inserted.
    process_events(services_for(db, q), event_ids=track(db, {"eventId": "l2", "externalId": "p1", "name": "login"}))
    process_events(services_for(db, q), event_ids=track(db, {"eventId": "l3", "externalId": "p2", "name": "login"}))
    rows = _entries(db)
    assert [(r.user_id, r.round) for r in rows][1:] == [(rows[0].user_id, 2), (rows[2].user_id, 1)]
    assert _steps(db, rows[2].id) == [("hi", "suppressed")]  # p2 has no email address


def test_an_entry_inserted_by_reactivation_after_a_capture_of_the_same_batch_takes_the_next_round(db, caplog):
    catalog(db)
    definition = {
        "trigger": {"kind": "EVENT", "event": "signup"},
        "start": "hi",
        "reactivation": {"event": "login", "resumeAt": "hi", "lookbackSeconds": 3600, "insertIfNone": True},
        "steps": [
            {"id": "hi", "kind": "send", "resource": "Welcome email", "next": "w"},
            {"id": "w", "kind": "wait", "seconds": 3600},
        ],
    }
    make_journey(db, definition)
    users(db, {"externalId": "p1", "email": "p1@example.com"})
    signup = {"eventId": "s1", "externalId": "p1", "name": "signup", "occurredAt": "2026-01-01T10:00:00Z"}
    login = {"eventId": "l1", "externalId": "p1", "name": "login", "occurredAt": "2026-01-01T10:00:01Z"}
    # One batch: the signup captures p1 (still waiting), the login finds no ended entry and inserts one.
    with caplog.at_level(logging.WARNING, logger="backend.processing.isolation"):
        assert process_events(services_for(db, RecordingQueue()), event_ids=track(db, signup, login)) == 2
    assert [(e.round, e.status) for e in _entries(db)] == [(1, "WAITING"), (2, "WAITING")]
    assert "running each half again" not in caplog.text  # written as one batch, not split after a failure


def test_an_entry_a_reactivation_inserts_waits_its_wait_seconds_as_a_reactivated_one_does(db):
    catalog(db)
    definition = {
        "trigger": {"kind": "EVENT", "event": "signup"},
        "start": "hi",
        "reactivation": {"event": "login", "resumeAt": "hi", "waitSeconds": 600, "insertIfNone": True},
        "steps": [{"id": "hi", "kind": "send", "resource": "Welcome email"}],
    }
    make_journey(db, definition)
    users(db, {"externalId": "p1", "email": "p1@example.com"}, {"externalId": "p2", "email": "p2@example.com"})
    q = RecordingQueue()
    process_events(services_for(db, q), event_ids=track(db, {"eventId": "s1", "externalId": "p1", "name": "signup"}))
    before = utcnow()
    process_events(services_for(db, q), event_ids=track(db, {"eventId": "l1", "externalId": "p1", "name": "login"}))
    process_events(services_for(db, q), event_ids=track(db, {"eventId": "l2", "externalId": "p2", "name": "login"}))
    reactivated, inserted = _entries(db)
    for entry in (reactivated, inserted):
        assert entry.status == "WAITING"
        assert before + timedelta(seconds=600) <= entry.wake_at <= utcnow() + timedelta(seconds=600)
        assert entry.blocked_reason.startswith("reactivated: ")
    assert "starts at step 'hi'" in inserted.blocked_reason
    assert _steps(db, inserted.id) == [("hi", "reactivated")]  # nothing sent before the wait is over
    advance_entries(services_for(db, q), entry_ids=[inserted.id], now=utcnow() + timedelta(seconds=601))
    [_, inserted] = _entries(db)
    assert inserted.status == "COMPLETED"
    assert _steps(db, inserted.id) == [("hi", "reactivated"), ("hi", "sent")]
