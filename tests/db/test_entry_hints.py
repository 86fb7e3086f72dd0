"""The scheduler tick and due entries: a hinted entry is not hinted again while its
hint lease holds, and is once it ran out; the tick hints no more while the entries it
hinted still wait to be taken; the lease grows with the queue ahead; ACTIVE entries and
WAITING ones whose timer fired share each tick's hints."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from backend.models import Entry, User, utcnow
from backend.processing import due_entries, scheduler
from backend.processing.due_entries import HintedEntries, hint_due_entries, share
from backend.processing.entries import advance_entries, release_hint_leases
from backend.queue import RecordingQueue
from backend.segments import entries as segment_entries
from tests.db.journey_fixtures import catalog, make_journey, users
from tests.wiring import services_for

SEND_WAIT = {
    "trigger": {"kind": "EVENT", "event": "deposit"},
    "start": "hi",
    "steps": [
        {"id": "hi", "kind": "send", "resource": "Welcome email", "next": "w"},
        {"id": "w", "kind": "wait", "seconds": 3600},
    ],
}
LEASE = scheduler.HINT_LEASE


def _entries(db, *, active: int = 0, waiting: int = 0, now=None) -> dict[str, list[int]]:
    """ACTIVE entries at the send, and WAITING ones at the wait whose timer fired a minute ago."""
    catalog(db)
    users(db, *[{"externalId": f"p{i}"} for i in range(active + waiting)])
    jid = make_journey(db, SEND_WAIT)
    woke = (now or utcnow()) - timedelta(minutes=1)
    with db.unit_of_work() as uow:
        uids = list(uow.session.scalars(select(User.id).order_by(User.id)))
        rows = [
            Entry(journey_id=jid, user_id=uid, status="ACTIVE", current_step_id="hi", visits={})
            for uid in uids[:active]
        ] + [
            Entry(journey_id=jid, user_id=uid, status="WAITING", current_step_id="w", wake_at=woke, visits={})
            for uid in uids[active:]
        ]
        uow.session.add_all(rows)
        uow.session.flush()
        return {"ACTIVE": [e.id for e in rows[:active]], "WAITING": [e.id for e in rows[active:]]}


def _hint(db, now, hinted: HintedEntries, limit: int) -> list[int]:
    with db.unit_of_work() as uow:
        return hint_due_entries(uow.session, now, limit=limit, base_lease=LEASE, hinted=hinted)


def _lease_of(db, entry_id):
    with db.read() as s:
        return s.scalar(select(Entry.claimed_until).where(Entry.id == entry_id))


def test_a_hinted_entry_is_not_hinted_again_while_its_lease_holds_and_is_once_it_ran_out(db):
    now = utcnow()
    [entry_id] = _entries(db, active=1)["ACTIVE"]
    hinted = HintedEntries()

    def tick(at) -> list[int]:
        q = RecordingQueue()
        scheduler.tick(services_for(db, q), now=at, hinted_entries=hinted)
        return [pk for name, (ids,) in q.calls if name == "advance_entries" for pk in ids]

    assert tick(now) == [entry_id]
    assert tick(now + timedelta(seconds=1)) == []  # a worker has it queued
    assert tick(now + LEASE + timedelta(seconds=1)) == [entry_id]  # that hint got lost


def test_the_tick_hints_no_more_while_the_entries_it_hinted_wait_to_be_taken(db, monkeypatch):
    monkeypatch.setattr(due_entries, "BACKLOG", 4)
    now = utcnow()
    ids = _entries(db, active=10, now=now)["ACTIVE"]
    hinted = HintedEntries()
    first = _hint(db, now, hinted, limit=3)
    assert len(first) == 3
    assert len(_hint(db, now, hinted, limit=3)) == 1  # 3 wait in the queue: room for one more
    assert _hint(db, now, hinted, limit=3) == []
    taken = first[:2]
    assert advance_entries(services_for(db), entry_ids=taken, now=now) == 2  # a worker takes two
    again = _hint(db, now, hinted, limit=3)
    assert len(again) == 2 and not set(again) & set(taken)
    assert sorted(first + again) == sorted(set(first + again))  # none hinted twice
    assert set(first + again) <= set(ids)


def test_the_backlog_is_counted_from_a_sample_of_each_ticks_hints(db, monkeypatch):
    monkeypatch.setattr(due_entries, "SAMPLE", 2)  # two of six followed, each standing for three
    monkeypatch.setattr(due_entries, "BACKLOG", 6)
    now = utcnow()
    _entries(db, active=12, now=now)
    hinted = HintedEntries()
    first = _hint(db, now, hinted, limit=6)
    assert len(first) == 6
    assert _hint(db, now, hinted, limit=6) == []
    assert advance_entries(services_for(db), entry_ids=first, now=now) == 6
    assert len(_hint(db, now, hinted, limit=6)) == 6


def test_an_entry_whose_hint_a_worker_skipped_no_longer_counts_as_waiting(db, monkeypatch):
    monkeypatch.setattr(due_entries, "BACKLOG", 2)
    now = utcnow()
    _entries(db, active=2, now=now)
    hinted = HintedEntries()
    first = _hint(db, now, hinted, limit=2)
    assert _hint(db, now, hinted, limit=2) == []
    release_hint_leases(services_for(db), first)  # the batch found them locked by another transaction
    assert sorted(_hint(db, now, hinted, limit=2)) == sorted(first)  # due still


def test_the_hint_lease_grows_with_the_entries_queued_ahead(db, monkeypatch):
    monkeypatch.setattr(segment_entries, "ENTRIES_PER_LEASE_SECOND", 1)  # a second an entry ahead
    now = utcnow()
    _entries(db, active=5, now=now)
    hinted = HintedEntries()
    [a, b] = _hint(db, now, hinted, limit=2)
    assert _lease_of(db, a) == _lease_of(db, b) == now + LEASE + timedelta(seconds=2)
    later = _hint(db, now, hinted, limit=3)
    assert {_lease_of(db, pk) for pk in later} == {now + LEASE + timedelta(seconds=5)}  # the first two ahead


@pytest.mark.parametrize(
    ("active", "waiting", "expected"),
    [(5, 5, {"ACTIVE": 2, "WAITING": 2}), (5, 1, {"ACTIVE": 3, "WAITING": 1}), (0, 5, {"ACTIVE": 0, "WAITING": 4})],
)
def test_active_entries_and_waiting_ones_whose_timer_fired_share_the_hints(db, active, waiting, expected):
    now = utcnow()
    made = _entries(db, active=active, waiting=waiting, now=now)
    hinted = set(_hint(db, now, HintedEntries(), limit=4))
    assert {kind: len(hinted & set(ids)) for kind, ids in made.items()} == expected


def test_share_takes_half_from_each_and_gives_what_one_cannot_fill_to_the_other():
    assert share(4, [1, 2, 3], [7, 8, 9]) == [1, 2, 7, 8]
    assert share(4, [1], [7, 8, 9, 10]) == [1, 7, 8, 9]
    assert share(5, [1, 2, 3, 4], [7]) == [1, 2, 3, 4, 7]
    assert share(0, [1], [7]) == []
