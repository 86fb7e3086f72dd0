"""Events into EVENT journeys whose first step is a send: the batch writes the sends of the
users nothing else in the batch touches set-based, and the rows are those the
interpreter's path writes for the same events (suppression reasons, pop-ups sent and
announced after the commit)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import delete, select, update

from backend.catalog import create_resource
from backend.models import Communication, Entry, EntryStep, Event, Resource, User, utcnow
from backend.processing import events as event_batches
from backend.processing.events import process_events
from backend.queue import RecordingQueue
from backend.settings import Settings
from tests.db.journey_fixtures import catalog, make_journey, track, users
from tests.wiring import services_for

CAP = 2
EMAIL_JOURNEY = {
    "trigger": {"kind": "EVENT", "event": "deposit"},
    "start": "hi",
    "steps": [
        {"id": "hi", "kind": "send", "name": "Say hi", "resource": "Welcome email", "next": "w"},
        {"id": "w", "kind": "wait", "seconds": 3600, "next": "b"},
        {"id": "b", "kind": "bonus", "template": "10 free spins"},
    ],
}
POPUP_JOURNEY = {
    "trigger": {"kind": "EVENT", "event": "login"},
    "start": "hi",
    "steps": [{"id": "hi", "kind": "send", "resource": "Welcome pop-up"}],
}
ELSEWHERE = {
    "trigger": {"kind": "EVENT", "event": "signup"},
    "start": "w",
    "steps": [{"id": "w", "kind": "wait", "seconds": 3600}],
}


class Notes:
    kind = "recording"

    def __init__(self) -> None:
        self.notes: list[tuple[int, int]] = []

    def publish(self, notes: list[tuple[int, int]]) -> None:
        self.notes += notes

    async def listen(self, deliver) -> None:  # pragma: no cover - never listened to here
        raise NotImplementedError


def _people(db):
    specs = []
    for i in range(40):
        spec = {"externalId": f"p{i}", "username": f"Player {i}"}
        if i % 5 != 1:
            spec["email"] = f"p{i}@x.io"  # every fifth has no address
        if i % 7 == 2:
            spec["optOuts"] = ["EMAIL", "POPUP"]
        specs.append(spec)
    users(db, *specs)


def _cap_some(db, now):
    """p3, p10, p17, ... and p8 got CAP emails and pop-ups today; p4 and p32 CAP - 1; p24 CAP yesterday."""
    with db.unit_of_work() as uow:
        s = uow.session
        ids = dict(s.execute(select(User.external_id, User.id)).all())
        resources = dict(s.execute(select(Resource.channel, Resource.id)).all())
        rows = [(f"p{i}", CAP, now) for i in range(3, 40, 7)] + [
            ("p8", CAP, now),
            ("p4", CAP - 1, now),
            ("p32", CAP - 1, now),
            ("p24", CAP, now - timedelta(days=1)),
        ]
        for n, (ext, count, at) in enumerate(rows):
            for channel in ("EMAIL", "POPUP"):
                for k in range(count):
                    s.add(
                        Communication(
                            idempotency_key=f"earlier-{channel}-{n}-{k}",
                            user_id=ids[ext],
                            resource_id=resources[channel],
                            channel=channel,
                            status="SENT" if k % 2 == 0 else "QUEUED",
                            queued_at=at,
                        )
                    )


def _events():
    deposits = [{"eventId": f"d{i}", "externalId": f"p{i}", "name": "deposit"} for i in range(30)]
    logins = [
        {"eventId": f"l{i}", "externalId": f"p{i}", "name": "login", "properties": {"game": f"g{i}"}}
        for i in range(10, 40)
    ]
    # Captured twice by the pop-up journey (every entry): the interpreter's path.
    again = {"eventId": "l35b", "externalId": "p35", "name": "login", "properties": {"game": "again"}}
    return [*deposits, *logins, again]


def _snapshot(db, journeys, notes):
    with db.read() as s:
        names = dict(s.execute(select(User.id, User.external_id)).all())
        entries = {e.id: e for e in s.scalars(select(Entry).where(Entry.journey_id.in_(journeys)))}
        skip = {"id", "_sa_instance_state"}
        entry_rows = sorted(
            (
                (names[e.user_id], e.journey_id, e.round, {k: v for k, v in vars(e).items() if k not in skip})
                for e in entries.values()
            ),
            key=lambda row: row[:3],
        )
        comms = s.scalars(select(Communication).where(Communication.journey_id.in_(journeys))).all()
        comm_rows = sorted(
            (
                names[c.user_id],
                c.idempotency_key.replace(str(c.entry_id), "E", 1),
                c.journey_id,
                c.resource_id,
                c.step_id,
                c.channel,
                c.status,
                c.error,
                c.to_address,
                c.queued_at,
                c.subject,
                c.body,
            )
            for c in comms
        )
        steps = sorted(
            (
                names[entries[r.entry_id].user_id],
                r.journey_id,
                r.step_id,
                r.kind,
                r.name,
                r.visit,
                r.entered_at,
                r.left_at,
                r.outcome,
                r.detail,
            )
            for r in s.scalars(select(EntryStep).where(EntryStep.journey_id.in_(journeys)))
        )
    by_id = {c.id: c for c in comms}
    announced = sorted((names[user_id], by_id[cid].body) for user_id, cid in notes)
    return entry_rows, comm_rows, steps, announced


def _forget(db, journeys, event_ids):
    with db.unit_of_work() as uow:
        s = uow.session
        for model in (EntryStep, Communication, Entry):
            s.execute(delete(model).where(model.journey_id.in_(journeys)))
        s.execute(update(Event).where(Event.id.in_(event_ids)).values(processed_at=None, claimed_until=None))


def _process(db, settings, event_ids, now):
    settings = settings or Settings(database_url=db.url, secret_key="test-secret-key-not-for-production")
    notes = Notes()
    # The pop-ups' delivery reads the clock: the same time for both paths.
    services = replace(services_for(db, RecordingQueue(), settings, notifier=notes), clock=lambda: now)
    process_events(services, event_ids=event_ids, now=now)
    return notes.notes


def test_set_based_first_sends_write_what_the_interpreter_writes(pg, monkeypatch):
    catalog(pg)
    with pg.unit_of_work() as uow:
        create_resource(uow, name="Welcome pop-up", channel="POPUP", subject="Hi", body="{{ event.properties.game }}")
    _people(pg)
    journeys = [
        make_journey(pg, EMAIL_JOURNEY, name="Deposit", control_group_percent=20),
        make_journey(pg, POPUP_JOURNEY, name="Login", control_group_percent=20, reentry_mode="EVERY_ENTRY"),
    ]
    make_journey(pg, ELSEWHERE, name="Elsewhere")
    now = utcnow().replace(hour=12)
    _cap_some(pg, now)
    settings = Settings(database_url=pg.url, secret_key="test-secret-key-not-for-production", frequency_cap=CAP)
    # p36 has a running entry elsewhere: its events take the interpreter's path.
    _process(pg, settings, track(pg, {"eventId": "s36", "externalId": "p36", "name": "signup"}), now)
    event_ids = track(pg, *_events())

    # The interpreter's path for every entry.
    with monkeypatch.context() as m:
        m.setattr(event_batches, "set_based", lambda *a, **k: {})
        interpreted = _snapshot(pg, journeys, _process(pg, settings, event_ids, now))
    _forget(pg, journeys, event_ids)

    chosen: list[int] = []
    real = event_batches.set_based

    def recording(*args, **kwargs):
        found = real(*args, **kwargs)
        chosen.extend(i for _plan, ids in found.values() for i in ids)
        return found

    monkeypatch.setattr(event_batches, "set_based", recording)
    set_based = _snapshot(pg, journeys, _process(pg, settings, event_ids, now))

    assert set_based == interpreted
    with pg.read() as s:
        taken = sorted(
            s.scalars(select(User.external_id).join(Entry, Entry.user_id == User.id).where(Entry.id.in_(chosen)))
        )
    # Deposit only (p0-p9) and login only (p30-p39) but p35 (two logins) and p36 (a running entry).
    assert taken == sorted(f"p{i}" for i in [*range(10), 30, 31, 32, 33, 34, 37, 38, 39])
    entry_rows, comms, steps, announced = set_based
    assert {(step[2], step[8]) for step in steps} >= {("hi", "sent"), ("hi", "suppressed")}
    # Every reason is met on the set-based side too.
    assert {c[7] for c in comms if c[0] in taken} == {
        None,
        "control group",
        "opted out of EMAIL",
        "opted out of POPUP",
        "no email address",
        f"frequency cap: {CAP} EMAIL messages a day",
        f"frequency cap: {CAP} POPUP messages a day",
    }
    popups = [c for c in comms if c[5] == "POPUP"]
    assert {c[6] for c in popups} == {"SENT", "SUPPRESSED"}
    assert announced == sorted((c[0], c[11]) for c in popups if c[6] == "SENT")
    assert {(row["status"], jid) for _, jid, _round, row in entry_rows} == {
        ("WAITING", journeys[0]),
        ("COMPLETED", journeys[1]),
    }


GOAL_ELSEWHERE = {**ELSEWHERE, "goal": {"event": "deposit"}}
REACTIVATED_ELSEWHERE = {**ELSEWHERE, "reactivation": {"event": "deposit", "insertIfNone": True}}
EXITING = {**EMAIL_JOURNEY, "exitWhen": [{"event": "logout"}]}
QUIET = {**EMAIL_JOURNEY, "quietHours": {"start": "00:00", "end": "23:59"}}


@pytest.mark.parametrize(
    ("deposit_journey", "other", "set_based_entries"),
    [
        (EMAIL_JOURNEY, ELSEWHERE, 10),
        (EMAIL_JOURNEY, GOAL_ELSEWHERE, 0),
        (EMAIL_JOURNEY, REACTIVATED_ELSEWHERE, 0),
        (EXITING, None, 0),
        (QUIET, None, 0),
    ],
    ids=["unrelated-journey", "goal-elsewhere", "reactivation-elsewhere", "exit-when", "quiet-hours"],
)
def test_batches_that_could_move_the_new_entries_keep_the_interpreter(
    pg, monkeypatch, deposit_journey, other, set_based_entries
):
    catalog(pg)
    _people(pg)
    make_journey(pg, deposit_journey, name="Deposit")
    if other is not None:
        make_journey(pg, other, name="Elsewhere")
    chosen: list[int] = []
    real = event_batches.set_based

    def recording(*args, **kwargs):
        found = real(*args, **kwargs)
        chosen.extend(i for _plan, ids in found.values() for i in ids)
        return found

    monkeypatch.setattr(event_batches, "set_based", recording)
    deposits = [{"eventId": f"d{i}", "externalId": f"p{i}", "name": "deposit"} for i in range(10)]
    assert _process(pg, None, track(pg, *deposits), utcnow()) == []
    with pg.read() as s:
        assert len(s.scalars(select(Entry.id)).all()) >= 10
    assert len(chosen) == set_based_entries
