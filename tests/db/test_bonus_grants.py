"""grantBonus's idempotency, and the daily cap of grants per user, also under two workers at once."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from backend.errors import DomainError
from backend.gamification.grants import grant_bonus
from backend.models import Bonus, BonusTemplate, User, utcnow
from backend.persistence.locks import lock_users
from backend.processing.bonus_cap import cap_reason
from backend.processing.bonuses import grant
from backend.queue import RecordingQueue
from tests.db.journey_fixtures import catalog, users
from tests.db.test_bonuses import BONUS_JOURNEY, outcomes, wallet_settings
from tests.db.waiting import sessions_waiting_for_locks
from tests.wiring import services_for


def _template_id(db, name="10 free spins"):
    with db.read() as s:
        return s.scalar(select(BonusTemplate.id).where(BonusTemplate.name == name))


def _manual(db, request_id, external_id="p1", template_id=None, queue=None):
    with db.unit_of_work() as uow:
        bonus = grant_bonus(
            uow,
            external_id=external_id,
            template_id=template_id or _template_id(db),
            request_id=request_id,
            queue=queue or RecordingQueue(),
        )
        return bonus.id


def _count(db):
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(Bonus))


def test_grant_bonus_is_idempotent_by_request_id(db):
    catalog(db)
    users(db, {"externalId": "p1"}, {"externalId": "p2"})
    q = RecordingQueue()
    first = _manual(db, "req-1", queue=q)
    assert q.calls == [("grant_bonuses", ([first],))]
    again = RecordingQueue()
    assert _manual(db, "req-1", queue=again) == first
    assert again.calls == [] and _count(db) == 1
    with db.read() as s:
        row = s.get(Bonus, first)
    assert (row.status, row.source, row.idempotency_key, row.entry_id) == ("PENDING", "manual", "manual:req-1", None)
    with db.unit_of_work() as uow:
        uow.session.add(BonusTemplate(name="Cash 5", kind="CASH", amount=5, currency="EUR"))
    for kwargs in ({"external_id": "p2"}, {"template_id": _template_id(db, "Cash 5")}):
        with pytest.raises(DomainError) as err:
            _manual(db, "req-1", **kwargs)
        assert err.value.code == "CONFLICT"
    for kwargs, code in (({"external_id": "nobody"}, "NOT_FOUND"), ({"template_id": 999_999}, "NOT_FOUND")):
        with pytest.raises(DomainError) as err:
            _manual(db, "req-2", **kwargs)
        assert err.value.code == code
    for bad in ("", "   ", "x" * 194, "req\x00-3", "\x00", "req-\ud800"):
        with pytest.raises(DomainError) as err:
            _manual(db, bad)
        assert (err.value.code, err.value.field) == ("INVALID_INPUT", ["requestId"])
    for bad in ("p1\x00", "p\udfff"):
        with pytest.raises(DomainError) as err:
            _manual(db, "req-4", external_id=bad)
        assert (err.value.code, err.value.field) == ("INVALID_INPUT", ["externalId"])
    assert _count(db) == 1
    # The longest requestId fills the key column exactly.
    longest = _manual(db, "y" * 193)
    with db.read() as s:
        assert s.get(Bonus, longest).idempotency_key == "manual:" + "y" * 193


def test_the_daily_cap_cancels_grants_over_it_before_they_reach_the_wallet(db, tmp_path):
    from backend import lifecycle as life
    from backend.processing.entries import advance_entries
    from tests.db.journey_fixtures import ADMIN, make_journey

    catalog(db)
    users(db, {"externalId": "p1"}, {"externalId": "p2"})
    settings = wallet_settings(tmp_path, cap=2)
    ids = [_manual(db, f"r{i}") for i in range(2)]
    other = _manual(db, "r-other", external_id="p2")
    now = utcnow()
    assert grant(services_for(db, RecordingQueue(), settings), bonus_ids=[*ids, other], now=now) == 3
    # The third of the day for p1 comes from a journey: cancelled, and its step says why.
    jid = make_journey(db, BONUS_JOURNEY)
    q = RecordingQueue()
    with db.unit_of_work() as uow:
        [entry], _ = life.enter_journey(
            uow, principal=ADMIN, journey_id=jid, external_ids=["p1"], payload=None, queue=q
        )
    advance_entries(services_for(db, q), entry_ids=[entry.id])
    [journey_bonus] = [ids for name, (ids,) in q.calls if name == "grant_bonuses"]
    assert grant(services_for(db, RecordingQueue(), settings), bonus_ids=journey_bonus, now=utcnow()) == 0
    with db.read() as s:
        rows = {b.idempotency_key: (b.status, b.error, b.attempts) for b in s.scalars(select(Bonus))}
    assert rows[f"{entry.id}:b:1"] == ("CANCELLED", cap_reason(2), 0)
    assert [rows["manual:r0"][0], rows["manual:r1"][0], rows["manual:r-other"][0]] == ["GRANTED"] * 3
    assert outcomes(db, entry.id)[-1] == ("b", "suppressed", cap_reason(2))
    # A new day starts a new count.
    tomorrow = _manual(db, "r-tomorrow")
    assert grant(services_for(db, RecordingQueue(), settings), bonus_ids=[tomorrow], now=now + timedelta(days=1)) == 1
    with db.read() as s:
        assert s.get(Bonus, tomorrow).status == "GRANTED"


def test_two_workers_granting_to_one_user_at_once_keep_the_cap(db, tmp_path):
    catalog(db)
    users(db, {"externalId": "p1"})
    settings = wallet_settings(tmp_path, cap=1)
    a, b = _manual(db, "a"), _manual(db, "b")
    results: dict[int, int] = {}
    errors: list[BaseException] = []

    def worker(bonus_id: int) -> None:
        try:
            results[bonus_id] = grant(services_for(db, RecordingQueue(), settings), bonus_ids=[bonus_id])
        except BaseException as exc:
            errors.append(exc)

    # Hold what the workers must take before counting (the user's bonus-cap lock on
    # PostgreSQL, the write lock on SQLite), start both, and let them go together.
    with db.unit_of_work() as uow:
        if db.dialect == "postgresql":
            lock_users(uow.session, "bonus_cap", list(uow.session.scalars(select(User.id))))
        threads = [threading.Thread(target=worker, args=(pk,)) for pk in (a, b)]
        for t in threads:
            t.start()
        if db.dialect == "postgresql":
            assert sessions_waiting_for_locks(db, 2, kinds=("advisory",))  # both wait, neither has counted
        else:
            time.sleep(0.5)  # SQLite shows no waiters: give both the time to reach BEGIN IMMEDIATE
        assert all(t.is_alive() for t in threads)
    for t in threads:
        t.join(30)
    assert not errors, errors
    with db.read() as s:
        statuses = sorted(s.scalars(select(Bonus.status)))
        assert s.scalar(select(User.points)) == 0
    assert statuses == ["CANCELLED", "GRANTED"]
