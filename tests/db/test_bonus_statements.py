"""What a chunk of bonuses costs the database: its claim and its record are the same few
statements whatever its size, with every kind of row in it (a try whose worker died
five times, a bonus over the daily cap, results granted, failed, to be retried, and
a success that came after its lease ran out)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import select, update

from backend import lifecycle as life
from backend.models import Bonus, EntryStep, utcnow
from backend.processing.bonus_cap import cap_reason
from backend.processing.bonuses import Result, _claim, grant, record
from backend.processing.entries import advance_entries
from backend.queue import RecordingQueue
from tests.db.journey_fixtures import ADMIN, catalog, make_journey, users
from tests.db.test_bonuses import BONUS_JOURNEY
from tests.delivery.test_record_statements import statements_made
from tests.wiring import services_for


def _two_bonuses_each(db, names: list[str]) -> list[int]:
    """Two journeys' bonus steps run for each user: two PENDING bonuses a user."""
    users(db, *({"externalId": n} for n in names))
    q = RecordingQueue()
    for journey in ("a", "b"):
        jid = make_journey(db, BONUS_JOURNEY, name=f"{names[0]} {journey}")
        with db.unit_of_work() as uow:
            entries, _ = life.enter_journey(
                uow, principal=ADMIN, journey_id=jid, external_ids=names, payload=None, queue=q
            )
        advance_entries(services_for(db, q), entry_ids=[e.id for e in entries])
    return sorted(pk for name, (ids,) in q.calls if name == "grant_bonuses" for pk in ids)


def _chunk(db, names: list[str]):
    """Claims and records one chunk of 2 x len(names) bonuses; returns the statements of
    each and what the rows and the entries' log show."""
    ids = _two_bonuses_each(db, names)
    dead = ids[0]  # its worker died at each of its five tries
    with db.unit_of_work() as uow:
        uow.session.execute(update(Bonus).where(Bonus.id == dead).values(attempts=5))
    now = utcnow()
    with statements_made(db) as claim_made:
        claims = _claim(db, ids, now, cap=1)
    outcomes = [("GRANTED", None), ("FAILED", "HTTP 422: no"), ("PENDING", "HTTP 503: busy")]
    results = [
        Result(c, status, error=error, detail=error or "HTTP 200", retry_at=now + timedelta(minutes=1))
        for c, (status, error) in zip(claims, outcomes * len(claims), strict=False)
    ]
    # The first try's answer came after its lease ran out and another claim took the row.
    results[0] = Result(replace(claims[0], lease=now), "GRANTED", detail="HTTP 200")
    with statements_made(db) as record_made:
        record(db, results, now + timedelta(seconds=1))
    with db.read() as s:
        rows = {b.id: (b.status, b.error, b.attempts, b.claimed_until is None) for b in s.scalars(select(Bonus))}
        lines = s.execute(select(EntryStep.outcome, EntryStep.detail).where(EntryStep.kind == "bonus")).all()
    return claim_made, record_made, ids, claims, rows, lines


def test_a_chunk_is_claimed_and_recorded_in_the_same_statements_whatever_its_size(db):
    catalog(db)
    small = _chunk(db, ["s0", "s1"])
    big = _chunk(db, [f"b{i}" for i in range(20)])
    assert len(big[0]) == len(small[0]), (small[0], big[0])
    assert len(big[1]) == len(small[1]), (small[1], big[1])

    _claim_made, _record_made, ids, claims, rows, lines = big
    dead, firsts, seconds = ids[0], ids[:20], ids[20:]
    assert rows[dead] == ("FAILED", "after 5 tries: no answer", 5, True)
    # One bonus a user a day: the dead one's user gets their second, the others do not.
    with db.read() as s:
        user_of = dict(s.execute(select(Bonus.id, Bonus.user_id)).all())
    [second] = [pk for pk in seconds if user_of[pk] == user_of[dead]]
    assert sorted(c.bonus_id for c in claims) == [*firsts[1:], second]
    assert {rows[pk][:3] for pk in seconds if pk != second} == {("CANCELLED", cap_reason(1), 0)}
    late, failed, retried, granted = (rows[c.bonus_id] for c in claims[:4])
    assert late == ("GRANTED", None, 1, True)
    assert granted == ("GRANTED", None, 1, True)
    assert failed == ("FAILED", "HTTP 422: no", 1, True)
    assert retried == ("PENDING", "HTTP 503: busy", 1, True)
    assert ("bonus_failed", "after 5 tries: no answer") in lines
    assert ("bonus_granted", "HTTP 200 (after its lease ran out)") in lines
    assert lines.count(("suppressed", cap_reason(1))) == 19 + 1  # of both sizes


def _sandbox_grant(db, names: list[str]) -> list[str]:
    ids = _two_bonuses_each(db, names)
    with statements_made(db) as made:
        assert grant(services_for(db, RecordingQueue()), bonus_ids=ids) == len(ids)
    with db.read() as s:
        assert set(s.scalars(select(Bonus.status).where(Bonus.id.in_(ids)))) == {"GRANTED"}
    return made


def test_the_sandbox_grants_a_message_of_bonuses_in_the_same_statements_whatever_its_size(db):
    """No call bounds a chunk there: a journey batch's bonuses (up to 500) are one claim
    and one record."""
    catalog(db)
    small = _sandbox_grant(db, ["s0"])
    big = _sandbox_grant(db, [f"b{i}" for i in range(30)])
    assert len(big) == len(small), (small, big)
    with db.read() as s:
        lines = s.scalars(select(EntryStep.detail).where(EntryStep.outcome == "bonus_granted")).all()
    assert lines == ["sandbox"] * (2 + 60)
