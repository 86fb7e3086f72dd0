"""A scheduled run whose journey starts with a send then a wait writes that send with the
run, set-based, on PostgreSQL: the same rows as the workers' batch pass would write."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, select, update

from backend.models import Communication, Entry, EntryStep, Journey, Resource, SegmentRun, User
from backend.processing.entries import advance_entries
from backend.queue import RecordingQueue
from backend.segments.first_send import first_send_of, move_past_send, write_first_sends
from backend.segments.runs import run_segment
from backend.settings import Settings
from tests.db.journey_fixtures import catalog, make_journey, users
from tests.wiring import services_for

VIP = {"field": "user.attributes.vip", "op": "eq", "value": True}
CAP = 2


def journey(steps=None, quiet_hours=None):
    document = {
        "trigger": {
            "kind": "SCHEDULED_SEGMENT",
            "schedule": {"cron": "* * * * *", "timezone": "UTC"},
            "segment": VIP,
        },
        "start": "hi",
        "steps": steps
        or [
            {"id": "hi", "kind": "send", "name": "Say hi", "resource": "Welcome email", "next": "pause"},
            {"id": "pause", "kind": "wait", "seconds": 86400, "next": None},
        ],
    }
    if quiet_hours:
        document["quietHours"] = quiet_hours
    return document


def _people(db):
    specs = []
    for i in range(40):
        spec = {"externalId": f"p{i}", "attributes": {"vip": i != 39}}
        if i % 5 != 1:
            spec["email"] = f"p{i}@x.io"  # every fifth has no address
        if i % 7 == 2:
            spec["optOuts"] = ["EMAIL"]
        specs.append(spec)
    users(db, *specs)


def _cap_some(db, now):
    """Users p3, p10, p17, ... got CAP emails today already; p4 got CAP - 1; p24 one yesterday."""
    with db.unit_of_work() as uow:
        s = uow.session
        ids = dict(s.execute(select(User.external_id, User.id)).all())
        resource = s.scalar(select(Resource.id).where(Resource.name == "Welcome email"))
        rows = [(f"p{i}", CAP, now) for i in range(3, 40, 7)] + [
            ("p4", CAP - 1, now),
            ("p24", CAP, now - timedelta(days=1)),
        ]
        for n, (ext, count, at) in enumerate(rows):
            for k in range(count):
                s.add(
                    Communication(
                        idempotency_key=f"earlier-{n}-{k}",
                        user_id=ids[ext],
                        resource_id=resource,
                        channel="EMAIL",
                        status="SENT" if k % 2 == 0 else "QUEUED",
                        queued_at=at,
                    )
                )


def _snapshot(db, jid):
    with db.read() as s:
        names = dict(s.execute(select(User.id, User.external_id)).all())
        entries = {e.id: e for e in s.scalars(select(Entry).where(Entry.journey_id == jid))}
        skip_entry = {"id", "_sa_instance_state"}
        entry_rows = sorted(
            (names[e.user_id], {k: v for k, v in vars(e).items() if k not in skip_entry}) for e in entries.values()
        )
        comms = sorted(
            (
                names[c.user_id],
                c.idempotency_key.replace(str(c.entry_id), "E", 1),
                c.resource_id,
                c.step_id,
                c.channel,
                c.status,
                c.error,
                c.to_address,
                c.queued_at,
                c.next_attempt_at,
                c.attempts,
                c.open_count,
                c.click_count,
                c.subject,
                c.body,
            )
            for c in s.scalars(select(Communication).where(Communication.journey_id == jid))
        )
        steps = sorted(
            (
                names[entries[r.entry_id].user_id],
                r.step_id,
                r.kind,
                r.name,
                r.visit,
                r.entered_at,
                r.left_at,
                r.outcome,
                r.detail,
            )
            for r in s.scalars(select(EntryStep).where(EntryStep.journey_id == jid))
        )
        runs = [
            (r.matched, r.selected, r.entered, r.refused)
            for r in s.scalars(select(SegmentRun).where(SegmentRun.journey_id == jid))
        ]
    return entry_rows, comms, steps, runs


def _forget(db, jid, first):
    with db.unit_of_work() as uow:
        s = uow.session
        for model in (EntryStep, Communication, Entry, SegmentRun):
            s.execute(delete(model).where(model.journey_id == jid))
        s.execute(update(Journey).where(Journey.id == jid).values(next_run_at=first))


SEND_THEN_END = journey(steps=[{"id": "hi", "kind": "send", "resource": "Welcome email", "next": None}])


@pytest.mark.parametrize("document", [journey(), SEND_THEN_END], ids=["send-then-wait", "send-then-end"])
def test_the_set_based_first_send_writes_what_the_batch_pass_writes(pg, document):
    catalog(pg)
    _people(pg)
    jid = make_journey(pg, document, control_group_percent=20)
    with pg.read() as s:
        first = s.scalar(select(Journey.next_run_at).where(Journey.id == jid))
    now = first + timedelta(seconds=1)
    _cap_some(pg, now)
    settings = Settings(database_url=pg.url, secret_key="test-secret-key-not-for-production", frequency_cap=CAP)

    # The batch path: the run hints its entries, the workers' pass sends.
    q = RecordingQueue()
    assert run_segment(pg, q, jid, first, now) is not None
    hinted = [i for name, (ids,) in q.calls if name == "advance_entries" for i in ids]
    assert len(hinted) == 39
    advance_entries(services_for(pg, q, settings), entry_ids=hinted, now=now)
    batch = _snapshot(pg, jid)
    _forget(pg, jid, first)

    # The set-based path: the run writes the send itself and hints the deliveries.
    q = RecordingQueue()
    assert run_segment(pg, q, jid, first, now, frequency_cap=CAP) is not None
    assert not [c for c in q.calls if c[0] == "advance_entries"]
    fast = _snapshot(pg, jid)

    assert fast == batch
    entry_rows, comms, steps, runs = fast
    reasons = {c[6] for c in comms}
    assert reasons == {
        None,
        "control group",
        "opted out of EMAIL",
        "no email address",
        f"frequency cap: {CAP} EMAIL messages a day",
    }
    assert runs == [(39, 39, 39, 0)]
    assert {(step[1], step[7]) for step in steps} == {("hi", "sent"), ("hi", "suppressed")}
    assert {row["status"] for _, row in entry_rows} == {"WAITING" if document is not SEND_THEN_END else "COMPLETED"}
    delivered = [i for name, (channel, ids) in q.calls if name == "deliver" for i in ids]
    with pg.read() as s:
        queued = list(
            s.scalars(
                select(Communication.id)
                .where(Communication.journey_id == jid, Communication.status == "QUEUED")
                .order_by(Communication.id)
            )
        )
    # each queued message hinted once (the parts hint theirs as each commits)
    assert sorted(delivered) == queued and len(queued) == sum(1 for c in comms if c[5] == "QUEUED")


def test_entries_moved_past_the_send_after_their_insert_match_too(pg):
    """The pieces a run uses, by hand: entries inserted at the start step, then moved."""
    catalog(pg)
    _people(pg)
    jid = make_journey(pg, journey(), control_group_percent=20)
    with pg.read() as s:
        first = s.scalar(select(Journey.next_run_at).where(Journey.id == jid))
    now = first + timedelta(seconds=1)
    q = RecordingQueue()
    run_segment(pg, q, jid, first, now)
    hinted = [i for name, (ids,) in q.calls if name == "advance_entries" for i in ids]
    with pg.unit_of_work() as uow:
        services = services_for(pg, q)
        plan = first_send_of(uow.session, services.journeys.version(uow.session, jid, 1), jid, 0)
        assert plan is not None
        moved = move_past_send(uow.session, plan, hinted, now)
        assert moved == sorted(hinted)
        write_first_sends(uow.session, plan, moved, now)
    by_hand = _snapshot(pg, jid)
    _forget(pg, jid, first)
    q = RecordingQueue()
    run_segment(pg, q, jid, first, now)
    hinted = [i for name, (ids,) in q.calls if name == "advance_entries" for i in ids]
    advance_entries(services_for(pg, q), entry_ids=hinted, now=now)
    assert _snapshot(pg, jid) == by_hand


@pytest.mark.parametrize(
    "document",
    [
        journey(quiet_hours={"start": "22:00", "end": "08:00"}),
        journey(
            steps=[
                {"id": "hi", "kind": "send", "resource": "Welcome email", "next": "pause"},
                {"id": "pause", "kind": "wait", "until": "09:00", "timezone": "user", "next": None},
            ]
        ),
        journey(
            steps=[
                {"id": "hi", "kind": "send", "resource": "Welcome email", "next": "more"},
                {"id": "more", "kind": "send", "resource": "Welcome email", "next": None},
            ]
        ),
        journey(steps=[{"id": "hi", "kind": "wait", "seconds": 60, "next": None}]),
    ],
    ids=["quiet-hours", "wait-until", "send-then-send", "wait-first"],
)
def test_other_first_steps_keep_the_batch_path(pg, document):
    catalog(pg)
    _people(pg)
    jid = make_journey(pg, document)
    with pg.read() as s:
        first = s.scalar(select(Journey.next_run_at).where(Journey.id == jid))
    q = RecordingQueue()
    run_segment(pg, q, jid, first, first, frequency_cap=0)
    hinted = [i for name, (ids,) in q.calls if name == "advance_entries" for i in ids]
    assert len(hinted) == 39 and not [c for c in q.calls if c[0] == "deliver"]


def test_sqlite_keeps_the_batch_path(db):
    if db.dialect == "postgresql":
        pytest.skip("the SQLite side of the choice")
    catalog(db)
    _people(db)
    jid = make_journey(db, journey())
    with db.read() as s:
        first = s.scalar(select(Journey.next_run_at).where(Journey.id == jid))
    q = RecordingQueue()
    run_segment(db, q, jid, first, first, frequency_cap=0)
    assert len([i for name, (ids,) in q.calls if name == "advance_entries" for i in ids]) == 39
