"""A batch never fails for one row: an entry whose step raises is FAILED and the rest of
its batch goes on; a batch that cannot be written whole is split until the row that
poisons it is alone, and that row is set aside."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError

from backend import lifecycle as life
from backend.models import Communication, Entry, EntryStep, Event, Journey, JourneyVersion, User, utcnow
from backend.processing import entries
from backend.processing.entries import advance_entries
from backend.processing.events import process_events
from backend.queue import RecordingQueue
from backend.reports.journey_stats import stats
from tests.db.journey_fixtures import ADMIN, catalog, make_journey, track, users
from tests.wiring import services_for

AUTO_RESPONDER = {
    "trigger": {"kind": "EVENT", "event": "login"},
    "start": "hi",
    "steps": [{"id": "hi", "kind": "send", "resource": "Welcome email"}],
}


def _event_journey(event: str, first: dict) -> dict:
    return {
        "trigger": {"kind": "EVENT", "event": event},
        "start": first["id"],
        "steps": [first, {"id": "hi", "kind": "send", "resource": "Welcome email"}],
    }


def _force(db, journey_id: int, definition: dict) -> None:
    """Stores a definition as the journey's published version without validation, as a
    document written by an older release or by hand could be."""
    with db.unit_of_work() as uow:
        uow.session.execute(update(Journey).where(Journey.id == journey_id).values(definition=definition))
        uow.session.execute(
            update(JourneyVersion).where(JourneyVersion.journey_id == journey_id).values(definition=definition)
        )


def _entry_of(db, external_id: str, journey_id: int) -> Entry | None:
    with db.read() as s:
        return s.scalar(
            select(Entry)
            .join(User, User.id == Entry.user_id)
            .where(User.external_id == external_id, Entry.journey_id == journey_id)
        )


def _log(db, entry_id: int) -> list[tuple[str, str]]:
    with db.read() as s:
        rows = s.scalars(select(EntryStep).where(EntryStep.entry_id == entry_id).order_by(EntryStep.id))
        return [(r.step_id, r.outcome) for r in rows]


def _queued_to(db, external_id: str) -> list[str]:
    with db.read() as s:
        return list(
            s.scalars(
                select(Communication.status)
                .join(User, User.id == Communication.user_id)
                .where(User.external_id == external_id)
            )
        )


@pytest.mark.parametrize(
    "poison, error",
    [
        ({"id": "w", "kind": "wait", "seconds": 1e300, "next": "hi"}, "OverflowError"),
        ({"id": "w", "kind": "wait", "until": "7pm", "next": "hi"}, "ValueError"),
    ],
    ids=["a-wait-of-1e300-seconds", "a-wait-until-no-time"],
)
def test_an_entry_whose_step_raises_is_failed_and_the_other_players_events_go_on(db, poison, error):
    catalog(db)
    poisoned = make_journey(db, _event_journey("deposit", {"id": "w", "kind": "wait", "seconds": 60, "next": "hi"}))
    _force(db, poisoned, _event_journey("deposit", poison))
    responder = make_journey(db, AUTO_RESPONDER, name="Auto-responder")
    users(db, {"externalId": "p1", "email": "p1@example.com"}, {"externalId": "p2", "email": "p2@example.com"})
    ids = track(
        db,
        {"eventId": "d1", "externalId": "p1", "name": "deposit"},
        {"eventId": "l1", "externalId": "p2", "name": "login"},
    )
    q = RecordingQueue()

    assert process_events(services_for(db, q), event_ids=ids) == 2

    failed = _entry_of(db, "p1", poisoned)
    assert failed.status == "FAILED"
    assert failed.blocked_reason.startswith(f"failed: step 'w' (wait): {error}")
    assert _log(db, failed.id) == [("w", "failed")]
    answered = _entry_of(db, "p2", responder)
    assert answered.status == "COMPLETED" and _log(db, answered.id) == [("hi", "sent")]
    assert _queued_to(db, "p2") == ["QUEUED"] and _queued_to(db, "p1") == []
    assert [c[0] for c in q.calls] == ["deliver"]
    with db.read() as s:
        assert all(e.processed_at is not None and e.error is None for e in s.scalars(select(Event)))
        report = stats(s, poisoned, None, None)
    assert (report.failed, report.errors) == (1, 1)


def test_an_event_that_cannot_be_written_is_put_by_alone_and_its_batch_goes_on(db):
    catalog(db)
    poisoned = make_journey(db, _event_journey("deposit", {"id": "p", "kind": "points", "amount": 5, "next": "hi"}))
    # More points than any balance can hold: the database refuses the ledger line.
    _force(db, poisoned, _event_journey("deposit", {"id": "p", "kind": "points", "amount": 10**30, "next": "hi"}))
    responder = make_journey(db, AUTO_RESPONDER, name="Auto-responder")
    users(db, {"externalId": "p1", "email": "p1@example.com"}, {"externalId": "p2", "email": "p2@example.com"})
    ids = track(
        db,
        {"eventId": "d1", "externalId": "p1", "name": "deposit"},
        {"eventId": "l1", "externalId": "p2", "name": "login"},
    )

    assert process_events(services_for(db), event_ids=ids) == 1

    assert _entry_of(db, "p2", responder).status == "COMPLETED" and _queued_to(db, "p2") == ["QUEUED"]
    assert _entry_of(db, "p1", poisoned) is None  # what the poisoned event did was rolled back
    with db.read() as s:
        put_by = s.scalar(select(Event).where(Event.event_id == "d1"))
        answered = s.scalar(select(Event).where(Event.event_id == "l1"))
    assert put_by.processed_at is not None and put_by.error.startswith("could not be processed: ")
    assert answered.processed_at is not None and answered.error is None
    # Set aside for good: a later hint finds nothing to do.
    assert process_events(services_for(db), event_ids=ids) == 0


def _api_journey(db, steps: list[dict], name: str) -> int:
    return make_journey(db, {"trigger": {"kind": "API"}, "start": steps[0]["id"], "steps": steps}, name=name)


def _enter(db, journey_id: int, external_id: str) -> int:
    with db.unit_of_work() as uow:
        [entry], _ = life.enter_journey(
            uow,
            principal=ADMIN,
            journey_id=journey_id,
            external_ids=[external_id],
            payload=None,
            queue=RecordingQueue(),
        )
        return entry.id


def _waiting_pair(db, *, poisoned: bool = True) -> tuple[int, int, int, int]:
    """Two entries waiting 1 s, of two journeys: one goes on to points (with `poisoned`,
    more than the database will write), the other to a send."""
    catalog(db)
    wait = {"id": "w", "kind": "wait", "seconds": 1, "next": "x"}
    points = _api_journey(db, [wait, {"id": "x", "kind": "points", "amount": 5}], "Points")
    if poisoned:
        steps = [wait, {"id": "x", "kind": "points", "amount": 10**30}]
        _force(db, points, {"trigger": {"kind": "API"}, "start": "w", "steps": steps})
    fine = _api_journey(db, [wait, {"id": "x", "kind": "send", "resource": "Welcome email"}], "Mail")
    users(db, {"externalId": "p1", "email": "p1@example.com"}, {"externalId": "p2", "email": "p2@example.com"})
    bad, good = _enter(db, points, "p1"), _enter(db, fine, "p2")
    assert advance_entries(services_for(db), entry_ids=[bad, good]) == 2  # both wait now
    return points, bad, fine, good


def test_an_entry_that_cannot_be_written_fails_alone_and_its_batch_goes_on(db):
    poisoned, bad, _fine, good = _waiting_pair(db)

    assert advance_entries(services_for(db), entry_ids=[bad, good], now=utcnow() + timedelta(seconds=5)) == 1

    with db.read() as s:
        failed, moved = s.get(Entry, bad), s.get(Entry, good)
        report = stats(s, poisoned, None, None)
    assert moved.status == "COMPLETED" and _log(db, good) == [("w", "waited"), ("x", "sent")]
    assert failed.status == "FAILED" and failed.blocked_reason.startswith("failed: could not be written: ")
    assert "INSERT" not in failed.blocked_reason  # the driver's error, not the statement
    # Failed where it stood: the lines of the pass that could not be written were rolled back.
    assert _log(db, bad) == [("w", "failed")]
    assert (report.failed, report.errors) == (1, 1)


def test_a_failure_every_part_of_the_batch_meets_fails_no_entry(db, monkeypatch):
    _points, bad, _fine, good = _waiting_pair(db, poisoned=False)

    def broken(*args, **kwargs):
        raise RuntimeError("a bug around the interpreter")

    monkeypatch.setattr(entries, "award_badges", broken)
    with pytest.raises(RuntimeError, match="a bug"):
        advance_entries(services_for(db), entry_ids=[bad, good], now=utcnow() + timedelta(seconds=5))
    with db.read() as s:
        assert [s.get(Entry, e).status for e in (bad, good)] == ["WAITING", "WAITING"]


def test_a_passing_failure_is_not_split_but_tried_again_whole(db, monkeypatch):
    _points, bad, _fine, good = _waiting_pair(db, poisoned=False)
    runs = []

    def lost(*args, **kwargs):
        runs.append(1)
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))

    monkeypatch.setattr(entries, "award_badges", lost)
    with pytest.raises(OperationalError):
        advance_entries(services_for(db), entry_ids=[bad, good], now=utcnow() + timedelta(seconds=5))
    assert len(runs) == 1


class BrokenQueue(RecordingQueue):
    def process_events(self, event_ids: list[int]) -> None:
        raise ConnectionError("the broker is down")


def test_a_hint_that_cannot_be_sent_after_the_commit_is_left_to_the_tick(db):
    users(db, {"externalId": "p1"})
    ids = track(db, {"eventId": "e1", "externalId": "p1", "name": "login"}, queue=BrokenQueue())
    assert len(ids) == 1  # the caller learns what was committed, not an error
    with db.read() as s:
        assert (
            s.scalar(select(Event.processed_at).where(Event.id == ids[0])) is None
        )  # still pending: the tick hints it
