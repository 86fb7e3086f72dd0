"""Scheduled segment runs on SQLite and PostgreSQL, driven through the scheduler tick
with the clock moved on (no waiting on the wall clock)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import delete, select, update

from backend import lifecycle as life
from backend.models import Communication, Entry, Journey, SegmentRun, utcnow
from backend.processing.entries import advance_entries
from backend.processing.scheduler import tick
from backend.queue import RecordingQueue
from backend.segments.runs import close_interrupted_runs, run_segment
from tests.db.journey_fixtures import ADMIN, catalog, make_journey, track, users
from tests.wiring import services_for

VIP = {"field": "user.attributes.vip", "op": "eq", "value": True}


def digest(segment=None, cron="* * * * *", **trigger):
    return {
        "trigger": {
            "kind": "SCHEDULED_SEGMENT",
            "schedule": {"cron": cron, "timezone": "Europe/Riga"},
            "segment": segment or VIP,
            **trigger,
        },
        "start": "hi",
        "steps": [{"id": "hi", "kind": "send", "resource": "Welcome email"}],
    }


def _people(db, n=6):
    users(
        db,
        *[{"externalId": f"p{i}", "email": f"p{i}@x.io", "attributes": {"vip": i % 2 == 0}} for i in range(n)],
    )


def _next_run(db, jid):
    with db.read() as s:
        return s.scalar(select(Journey.next_run_at).where(Journey.id == jid))


def _entered(db, jid):
    with db.read() as s:
        rows = s.execute(select(Entry.user_id, Entry.round).where(Entry.journey_id == jid).order_by(Entry.id)).all()
    with db.read() as s:
        from backend.models import User

        names = dict(s.execute(select(User.id, User.external_id)).all())
    return sorted((names[u], r) for u, r in rows)


def _runs(db, jid):
    with db.read() as s:
        return list(s.scalars(select(SegmentRun).where(SegmentRun.journey_id == jid).order_by(SegmentRun.id)))


def test_a_journey_with_cron_every_minute_captures_the_segment_within_the_minute(db):
    catalog(db)
    _people(db)
    jid = make_journey(db, digest())
    first = _next_run(db, jid)
    assert first is not None and first - utcnow() <= timedelta(minutes=1)
    q = RecordingQueue()
    services = services_for(db, q)
    tick(services, now=first - timedelta(seconds=1))
    assert _entered(db, jid) == []  # not yet
    tick(services, now=first + timedelta(seconds=1))
    assert _entered(db, jid) == [("p0", 1), ("p2", 1), ("p4", 1)]
    [run] = _runs(db, jid)
    assert (run.scheduled_for, run.matched, run.selected, run.entered, run.refused) == (first, 3, 3, 3, 0)
    assert _next_run(db, jid) == first + timedelta(minutes=1)
    if db.dialect == "postgresql":
        # The first step (a send) was written with the run, its messages hinted to delivery.
        assert sum(len(args[1]) for name, args in q.calls if name == "deliver") == 3
    else:
        # The new entries were hinted at once; their first step (a send) is queued in that pass.
        hinted = [i for name, (ids,) in q.calls if name == "advance_entries" for i in ids]
        assert len(hinted) == 3
        advance_entries(services, entry_ids=hinted, now=first + timedelta(seconds=2))
    with db.read() as s:
        assert s.scalar(select(Communication.status).limit(1)) == "QUEUED"
        assert len(list(s.scalars(select(Communication.id)))) == 3
    # The next minute: ONCE keeps everyone out, and the run says so.
    tick(services, now=first + timedelta(minutes=1, seconds=1))
    assert [(r.matched, r.entered, r.refused) for r in _runs(db, jid)] == [(3, 3, 0), (3, 0, 3)]


def test_missed_runs_happen_once_and_the_schedule_goes_on_from_now(db):
    catalog(db)
    _people(db)
    jid = make_journey(db, digest(), reentry_mode="EVERY_ENTRY")
    first = _next_run(db, jid)
    later = first + timedelta(minutes=30, seconds=5)  # the scheduler was away for 30 runs
    tick(services_for(db), now=later)
    runs = _runs(db, jid)
    assert [r.scheduled_for for r in runs] == [first + timedelta(minutes=30)]
    assert _entered(db, jid) == [("p0", 1), ("p2", 1), ("p4", 1)]
    assert _next_run(db, jid) == first + timedelta(minutes=31)
    tick(services_for(db), now=later + timedelta(seconds=2))
    assert len(_runs(db, jid)) == 1


def test_a_stopped_journey_does_not_run_and_continues_on_its_schedule_when_activated(db):
    catalog(db)
    _people(db)
    jid = make_journey(db, digest(cron="0 9 * * *"))
    with db.unit_of_work() as uow:
        life.stop_journey(uow, principal=ADMIN, journey_id=jid)
    assert _next_run(db, jid) is None
    tick(services_for(db), now=utcnow() + timedelta(days=2))
    assert _runs(db, jid) == []
    with db.unit_of_work() as uow:
        life.activate_journey(uow, principal=ADMIN, journey_id=jid, queue=RecordingQueue())
    resumed = _next_run(db, jid)
    assert resumed > utcnow() and resumed.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Riga")).hour == 9


def test_limit_percent_draws_that_share_and_the_control_group_applies(db):
    catalog(db)
    users(db, *[{"externalId": f"p{i}", "attributes": {"vip": True}} for i in range(40)])
    jid = make_journey(db, digest(limitPercent=50), control_group_percent=50)
    first = _next_run(db, jid)
    tick(services_for(db), now=first)
    [run] = _runs(db, jid)
    # 20 drawn, so all of them on one side of the control group is a 1 in 500,000 draw
    assert (run.matched, run.selected, run.entered) == (40, 20, 20)
    with db.read() as s:
        groups = [
            g for (g,) in s.execute(select(Entry.in_control_group).where(Entry.journey_id == jid).order_by(Entry.id))
        ]
    from backend.journeys.interpreter import in_control_group

    with db.read() as s:
        expected = [
            in_control_group(journey_id=jid, user_id=u, percent=50)
            for (u,) in s.execute(select(Entry.user_id).where(Entry.journey_id == jid).order_by(Entry.id))
        ]
    assert groups == expected and any(groups) and not all(groups)


@pytest.mark.parametrize(
    "mode, rounds",
    [
        ("ONCE", [("p0", 1)]),
        ("NOT_WHILE_ACTIVE", [("p0", 1)]),
        ("EVERY_ENTRY", [("p0", 1), ("p0", 2)]),
        ("RESTART", [("p0", 1), ("p0", 2)]),
    ],
)
def test_reentry_modes_apply_to_every_captured_user(db, mode, rounds):
    catalog(db)
    users(db, {"externalId": "p0", "attributes": {"vip": True}})
    document = digest()
    document["steps"] = [{"id": "hi", "kind": "wait", "seconds": 3600}]
    jid = make_journey(db, document, reentry_mode=mode)
    first = _next_run(db, jid)
    services = services_for(db)
    tick(services, now=first)
    with db.read() as s:
        ids = list(s.scalars(select(Entry.id)))
    advance_entries(services, entry_ids=ids, now=first)  # now WAITING for an hour
    tick(services, now=first + timedelta(minutes=1))
    assert _entered(db, jid) == rounds
    if mode == "RESTART":
        with db.read() as s:
            assert s.scalar(select(Entry.stop_reason).where(Entry.round == 1)) == "restarted"


def test_the_segment_reads_event_history(db):
    catalog(db)
    _people(db, 3)
    now = utcnow()
    track(
        db,
        *[
            {"eventId": f"d{i}-{k}", "externalId": f"p{i}", "name": "deposit", "properties": {"amount": 10}}
            for i in range(3)
            for k in range(i)
        ],
    )
    seg = {"eventCount": {"name": "deposit", "withinSeconds": 30 * 86400}, "op": "gte", "value": 2}
    jid = make_journey(db, digest(segment=seg))
    tick(services_for(db), now=max(_next_run(db, jid), now))
    assert _entered(db, jid) == [("p2", 1)]


def test_a_repeated_run_of_the_same_cron_time_creates_nothing_twice(db):
    catalog(db)
    _people(db)
    jid = make_journey(db, digest(), reentry_mode="EVERY_ENTRY")
    first = _next_run(db, jid)
    q = RecordingQueue()
    assert run_segment(db, q, jid, first, first) is not None
    # The same cron time again (a scheduler that read next_run_at before the first one moved it).
    with db.unit_of_work() as uow:
        uow.session.execute(update(Journey).where(Journey.id == jid).values(next_run_at=first))
    assert run_segment(db, q, jid, first, first) is None
    assert len(_entered(db, jid)) == 3 and len(_runs(db, jid)) == 1


def test_two_schedulers_racing_run_each_cron_time_once(db):
    catalog(db)
    users(db, *[{"externalId": f"p{i}", "attributes": {"vip": True}} for i in range(300)])
    jid = make_journey(db, digest(), reentry_mode="EVERY_ENTRY")
    first = _next_run(db, jid)
    barrier = threading.Barrier(2)
    errors = []

    def scheduler():
        try:
            barrier.wait()
            tick(services_for(db), now=first + timedelta(seconds=1))
        except Exception as exc:  # pragma: no cover - shown by the assertion
            errors.append(exc)

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(_runs(db, jid)) == 1
    assert len(_entered(db, jid)) == 300


def test_a_failed_run_is_recorded_and_the_schedule_goes_on(db, monkeypatch):
    catalog(db)
    _people(db)
    jid = make_journey(db, digest())
    first = _next_run(db, jid)
    from backend.segments import runs

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(runs, "capture", broken)
    tick(services_for(db), now=first)
    [run] = _runs(db, jid)
    assert run.error == "RuntimeError: the database went away" and run.entered == 0
    assert _entered(db, jid) == []
    assert _next_run(db, jid) == first + timedelta(minutes=1)


def test_a_run_left_unfinished_by_a_stopped_scheduler_is_closed_with_what_entered(db):
    catalog(db)
    _people(db, n=10)
    jid = make_journey(db, digest())
    first = _next_run(db, jid)
    run_segment(db, RecordingQueue(), jid, first, first)
    # As if the scheduler had stopped after one part committed: two of the five entries
    # were never written, and the run has no counts and no end.
    with db.unit_of_work() as uow:
        s = uow.session
        lost = list(s.scalars(select(Entry.id).where(Entry.journey_id == jid).order_by(Entry.user_id.desc()).limit(2)))
        s.execute(delete(Entry).where(Entry.id.in_(lost)))
        s.execute(update(SegmentRun).where(SegmentRun.journey_id == jid).values(finished_at=None, entered=0))
    assert close_interrupted_runs(db, first + timedelta(minutes=30)) == 0  # it may still be running
    [run] = _runs(db, jid)
    assert run.finished_at is None
    later = first + timedelta(hours=2)
    assert close_interrupted_runs(db, later) == 1
    [run] = _runs(db, jid)
    assert (run.selected, run.entered, run.refused, run.finished_at) == (5, 3, 0, later)
    assert run.error is not None and run.error.startswith("interrupted:") and "3 of 5 entered" in run.error
