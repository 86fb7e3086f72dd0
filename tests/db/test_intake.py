"""upsertUsers and trackEvents at the service level, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from backend.errors import DomainError
from backend.models import Event, User
from backend.queue import RecordingQueue
from backend.users.intake import track_events
from backend.users.profiles import InvalidBatch, upsert_users


def _users(db):
    with db.read() as s:
        return {u.external_id: u for u in s.scalars(select(User))}


def test_upsert_creates_then_updates_and_merges_attributes(db):
    with db.unit_of_work() as uow:
        r = upsert_users(
            uow,
            users=[
                {
                    "externalId": "p1",
                    "username": "Ann",
                    "email": "Ann@Example.com",
                    "attributes": {"vip": True, "tier": "gold"},
                    "timezone": "Europe/Riga",
                }
            ],
        )
    assert (r.created, r.updated) == (1, 0)
    with db.unit_of_work() as uow:
        r = upsert_users(
            uow,
            users=[
                {"externalId": "p1", "attributes": {"tier": None, "country": "LV"}, "optOuts": ["SMS"]},
                {"externalId": "p2", "phone": "+371 2000 0000"},
            ],
        )
    assert (r.created, r.updated) == (1, 1)
    users = _users(db)
    p1 = users["p1"]
    assert p1.attributes == {"vip": True, "country": "LV"}
    assert p1.username == "Ann" and p1.email_lc == "ann@example.com" and p1.timezone == "Europe/Riga"
    assert p1.opt_outs == ["SMS"]
    assert users["p2"].phone == "+37120000000"  # stored in E.164


def test_a_bad_user_refuses_the_whole_batch_with_every_problem(db):
    with pytest.raises(InvalidBatch) as info, db.unit_of_work() as uow:
        upsert_users(
            uow,
            users=[
                {"externalId": "ok"},
                {"externalId": "", "timezone": "Mars/Base"},
                {"externalId": "x", "email": "not-an-email"},
            ],
        )
    fields = [p.field for p in info.value.problems]
    assert ["users", "1", "externalId"] in fields and ["users", "1", "timezone"] in fields
    assert ["users", "2", "email"] in fields
    assert _users(db) == {}


def test_track_events_is_idempotent_by_event_id_and_creates_unknown_users(db):
    q = RecordingQueue()
    batch = [
        {"eventId": "e1", "externalId": "p1", "name": "login"},
        {"eventId": "e2", "externalId": "p2", "name": "bet", "properties": {"stake": 5}},
        {"eventId": "e1", "externalId": "p1", "name": "login"},
    ]
    with db.unit_of_work() as uow:
        r = track_events(uow, events=batch, queue=q)
    assert (r.accepted, r.duplicates) == (2, 1)
    with db.unit_of_work() as uow:
        again = track_events(uow, events=batch[:2], queue=q)
    assert (again.accepted, again.duplicates) == (0, 2)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Event)) == 2
    assert set(_users(db)) == {"p1", "p2"}
    # One hint, after the commit that stored the two new events; none for the repeat.
    assert [c[0] for c in q.calls] == ["process_events"] and len(q.calls[0][1][0]) == 2


def test_deposits_and_withdrawals_keep_the_financial_summary(db):
    q = RecordingQueue()
    with db.unit_of_work() as uow:
        track_events(
            uow,
            queue=q,
            events=[
                {
                    "eventId": "d1",
                    "externalId": "p1",
                    "name": "deposit",
                    "properties": {"amount": 50},
                    "occurredAt": "2026-11-01T10:00:00Z",
                },
                {
                    "eventId": "d2",
                    "externalId": "p1",
                    "name": "deposit",
                    "properties": {"amount": 25.5},
                    "occurredAt": "2026-11-03T10:00:00+02:00",
                },
                {"eventId": "w1", "externalId": "p1", "name": "withdrawal", "properties": {"amount": 20}},
            ],
        )
    with db.unit_of_work() as uow:  # a repeated deposit counts once
        track_events(
            uow,
            queue=q,
            events=[{"eventId": "d1", "externalId": "p1", "name": "deposit", "properties": {"amount": 50}}],
        )
    p1 = _users(db)["p1"]
    assert (p1.deposit_count, p1.deposit_total, p1.withdrawal_total) == (2, 75.5, 20)
    assert p1.last_deposit_at.isoformat() == "2026-11-03T08:00:00+00:00"


def test_a_bad_event_refuses_the_call_and_reports_its_index(db):
    q = RecordingQueue()
    with pytest.raises(InvalidBatch) as info, db.unit_of_work() as uow:
        track_events(
            uow,
            queue=q,
            events=[
                {"eventId": "ok", "externalId": "p1", "name": "login"},
                {"eventId": "bad", "externalId": "p1", "name": "deposit", "properties": {"amount": "lots"}},
                {"eventId": "bad2", "externalId": "p1", "name": "x", "occurredAt": "yesterday"},
            ],
        )
    assert [p.field[:2] for p in info.value.problems] == [["events", "1"], ["events", "2"]]
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Event)) == 0
        assert s.scalar(select(func.count()).select_from(User)) == 0
    assert q.calls == []


def test_more_than_ten_thousand_events_are_refused(db):
    events = [{"eventId": f"e{i}", "externalId": "p", "name": "x"} for i in range(10_001)]
    with pytest.raises(DomainError) as info, db.unit_of_work() as uow:
        track_events(uow, events=events, queue=RecordingQueue())
    assert info.value.code == "LIMIT_EXCEEDED"


def test_ten_thousand_events_in_one_call(db):
    events = [
        {"eventId": f"e{i}", "externalId": f"p{i % 500}", "name": "spin", "properties": {"n": i}} for i in range(10_000)
    ]
    with db.unit_of_work() as uow:
        r = track_events(uow, events=events, queue=RecordingQueue())
    assert r.accepted == 10_000
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(User)) == 500


def test_one_batch_may_mix_users_with_different_fields(db):
    with db.unit_of_work() as uow:
        upsert_users(
            uow, users=[{"externalId": "a", "email": "a@example.com"}, {"externalId": "b", "phone": "+37120000000"}]
        )
    with db.unit_of_work() as uow:
        r = upsert_users(
            uow,
            users=[
                {"externalId": "a", "username": "Ann"},
                {"externalId": "b", "timezone": "Europe/Riga"},
                {"externalId": "c"},
            ],
        )
    assert (r.created, r.updated) == (1, 2)
    users = _users(db)
    assert (users["a"].email, users["a"].username, users["b"].phone, users["b"].timezone) == (
        "a@example.com",
        "Ann",
        "+37120000000",
        "Europe/Riga",
    )


def test_names_that_grow_when_lower_cased_still_fit_and_are_found(db):
    from backend.queue import RecordingQueue
    from backend.reports.users import search_users
    from backend.users.intake import track_events
    from backend.users.profiles import upsert_users

    long_name = "\u0130" * 150  # "İ": two characters once lower-cased
    with db.unit_of_work() as uow:
        upsert_users(uow, users=[{"externalId": long_name, "username": long_name}])
        track_events(
            uow, events=[{"eventId": "e1", "externalId": "\u0130" * 199, "name": "login"}], queue=RecordingQueue()
        )
    with db.read() as s:
        found = list(s.scalars(search_users("\u0130" * 10)))
    assert sorted(len(u.external_id) for u in found) == [150, 199]
