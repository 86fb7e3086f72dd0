"""The scheduler tick and PENDING bonuses: fresh rows are left to the hint they got, a
hinted row is not hinted again while its hint lease runs, the hint does not hold the
claim, and a bonus whose worker died is found again once its claim lease ran out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, select

from backend.gamification.grants import grant_bonus
from backend.models import Bonus, BonusTemplate, utcnow
from backend.processing import scheduler
from backend.processing.bonuses import LEASE, _claim, grant
from backend.queue import RecordingQueue
from tests.db.journey_fixtures import catalog, users
from tests.wiring import services_for


def _bonus(db) -> int:
    catalog(db)
    users(db, {"externalId": "p1"})
    with db.unit_of_work() as uow:
        tid = uow.session.scalar(select(BonusTemplate.id))
        return grant_bonus(uow, external_id="p1", template_id=tid, request_id="r1", queue=RecordingQueue()).id


def _hinted(db, now, lane: str = "") -> list[int]:
    """The bonuses the tick hinted, on either lane or (lane "grant_bonuses_again") on one."""
    q = RecordingQueue()
    scheduler.tick(services_for(db, q), now=now)
    names = (lane,) if lane else ("grant_bonuses", "grant_bonuses_again")
    return [pk for name, (ids,) in q.calls if name in names for pk in ids]


def test_a_fresh_bonus_is_left_to_its_own_hint_then_hinted_once_a_lease(db):
    bonus_id = _bonus(db)
    now = utcnow()
    assert _hinted(db, now) == []  # grantBonus hinted it after its commit
    later = now + timedelta(seconds=10)  # that hint got lost
    assert _hinted(db, later) == [bonus_id]
    assert _hinted(db, later + timedelta(seconds=1)) == []  # hinted already: a worker has it queued
    assert _hinted(db, later + scheduler.HINT_LEASE + timedelta(seconds=1)) == [bonus_id]  # that hint got lost too


def test_the_hint_lease_does_not_hold_the_claim(db, tmp_path):
    bonus_id = _bonus(db)
    later = utcnow() + timedelta(seconds=10)
    assert _hinted(db, later) == [bonus_id]
    assert grant(services_for(db, RecordingQueue()), bonus_ids=[bonus_id], now=later) == 1  # the sandbox grants it
    with db.read() as s:
        row = s.get(Bonus, bonus_id)
    assert (row.status, row.attempts, row.claimed_until) == ("GRANTED", 1, None)


def test_a_bonus_whose_worker_died_is_hinted_once_its_claim_lease_ran_out(db):
    bonus_id = _bonus(db)
    now = utcnow() + timedelta(seconds=10)
    [_claim_row] = _claim(db, [bonus_id], now, cap=0)  # and the worker dies
    assert _hinted(db, now + timedelta(seconds=1)) == []
    assert _hinted(db, now + LEASE - timedelta(seconds=1)) == []
    after = now + LEASE + timedelta(seconds=1)
    # On the lane the workers take first, not behind the backlog of fresh bonuses.
    assert _hinted(db, after, lane="grant_bonuses_again") == [bonus_id]
    assert grant(services_for(db, RecordingQueue()), bonus_ids=[bonus_id], now=after) == 1
    with db.read() as s:
        row = s.get(Bonus, bonus_id)
    assert (row.status, row.attempts) == ("GRANTED", 2)


@pytest.mark.postgres
def test_a_bonus_claimed_between_the_ticks_select_and_its_update_is_not_hinted(postgres_url):
    from backend.persistence.database import Database
    from tests.conftest import clean

    db = Database(postgres_url)
    clean(db)
    try:
        bonus_id = _bonus(db)
        now = utcnow() + timedelta(seconds=10)
        state = {"claimed": False}

        def claim_meanwhile(conn, cursor, statement, parameters, context, executemany):
            # Right after the tick read its due bonuses, a worker claims this one.
            if not state["claimed"] and statement.lstrip().startswith("SELECT bonuses.id") and "LIMIT" in statement:
                state["claimed"] = True
                assert _claim(db, [bonus_id], now, cap=0)

        event.listen(db.engine, "after_cursor_execute", claim_meanwhile)
        try:
            hinted = _hinted(db, now)
        finally:
            event.remove(db.engine, "after_cursor_execute", claim_meanwhile)
        assert state["claimed"] and hinted == []
        with db.read() as s:
            assert s.get(Bonus, bonus_id).claimed_until == now + LEASE  # the claim's lease, not a hint's
    finally:
        db.dispose()
