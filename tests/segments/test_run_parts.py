"""A run written in parts on PostgreSQL (one transaction each, side by side): a part
that fails leaves nothing of the run behind, and the run says why."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from backend.models import Communication, Entry, EntryStep, Journey, SegmentRun, User
from backend.persistence.database import Database
from backend.queue import RecordingQueue
from backend.segments import runs
from backend.segments.runs import run_segment
from tests.conftest import clean
from tests.db.journey_fixtures import catalog, make_journey, users
from tests.segments.test_first_send import journey


@pytest.fixture
def pg(postgres_url):
    database = Database(postgres_url)
    clean(database)
    yield database
    database.dispose()


def _setup(db: Database, n: int = 40) -> tuple[int, object]:
    catalog(db)
    users(db, *[{"externalId": f"p{i}", "email": f"p{i}@x.io", "attributes": {"vip": True}} for i in range(n)])
    jid = make_journey(db, journey(), reentry_mode="EVERY_ENTRY")
    with db.read() as s:
        return jid, s.scalar(select(Journey.next_run_at).where(Journey.id == jid))


def _counts(db: Database, jid: int) -> tuple[int, int, int]:
    with db.read() as s:
        return (
            s.scalar(select(func.count()).select_from(Entry).where(Entry.journey_id == jid)) or 0,
            s.scalar(select(func.count()).select_from(Communication).where(Communication.journey_id == jid)) or 0,
            s.scalar(select(func.count()).select_from(EntryStep).where(EntryStep.journey_id == jid)) or 0,
        )


def test_a_run_in_parts_enters_everyone_once_with_their_first_sends(pg):
    jid, first = _setup(pg)
    q = RecordingQueue()
    outcome = run_segment(pg, q, jid, first, first, frequency_cap=0)
    assert outcome is not None and (outcome.matched, outcome.entered, outcome.error) == (40, 40, None)
    assert _counts(pg, jid) == (40, 40, 40)
    delivered = [i for name, (_, ids) in q.calls if name == "deliver" for i in ids]
    assert len(delivered) == 40 and delivered == sorted(delivered)


def test_a_failed_part_undoes_the_parts_that_committed(pg, monkeypatch):
    jid, first = _setup(pg)
    real_capture = runs.capture

    def the_upper_part_fails(session, target, user_ids, now, first=None):
        if len(user_ids) < 40 and max(user_ids) == _highest(pg):
            raise RuntimeError("the connection was lost")
        return real_capture(session, target, user_ids, now, first)

    monkeypatch.setattr(runs, "capture", the_upper_part_fails)
    q = RecordingQueue()
    outcome = run_segment(pg, q, jid, first, first, frequency_cap=0)
    assert outcome is not None and outcome.error == "RuntimeError: the connection was lost"
    assert _counts(pg, jid) == (0, 0, 0)
    assert q.calls == []
    with pg.read() as s:
        run = s.scalars(select(SegmentRun).where(SegmentRun.journey_id == jid)).one()
    assert (run.matched, run.selected, run.entered, run.error) == (40, 40, 0, "RuntimeError: the connection was lost")
    # The cron time stays claimed: the same run again creates nothing.
    with pg.unit_of_work() as uow:
        uow.session.execute(update(Journey).where(Journey.id == jid).values(next_run_at=first))
    assert run_segment(pg, q, jid, first, first, frequency_cap=0) is None
    assert _counts(pg, jid) == (0, 0, 0)


def test_a_journey_stopped_after_the_claim_gets_no_entries(pg, monkeypatch):
    jid, first = _setup(pg)
    real_claim = runs._claim_and_match

    def claim_then_stop(session, *args):
        claimed = real_claim(session, *args)
        session.execute(update(Journey).where(Journey.id == jid).values(status="STOPPED"))
        return claimed

    monkeypatch.setattr(runs, "_claim_and_match", claim_then_stop)
    outcome = run_segment(pg, RecordingQueue(), jid, first, first, frequency_cap=0)
    assert outcome is not None and outcome.error is not None and "stopped" in outcome.error
    assert _counts(pg, jid) == (0, 0, 0)


def _highest(db: Database) -> int:
    with db.read() as s:
        return s.scalar(select(func.max(User.id))) or 0


def test_a_run_whose_undo_fails_stays_open_until_it_is_closed_with_what_stayed(pg, monkeypatch):
    jid, first = _setup(pg)
    real_capture = runs.capture

    def the_upper_part_fails(session, target, user_ids, now, first=None):
        if len(user_ids) < 40 and max(user_ids) == _highest(pg):
            raise RuntimeError("the connection was lost")
        return real_capture(session, target, user_ids, now, first)

    def undo_fails(db, entry_ids):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(runs, "capture", the_upper_part_fails)
    monkeypatch.setattr(runs, "_undo", undo_fails)
    outcome = run_segment(pg, RecordingQueue(), jid, first, first, frequency_cap=0)
    assert outcome is not None and outcome.error is not None and "the database went away" in outcome.error
    assert _counts(pg, jid) == (20, 20, 20)
    with pg.read() as s:
        assert s.scalars(select(SegmentRun.finished_at).where(SegmentRun.journey_id == jid)).one() is None
    assert runs.close_interrupted_runs(pg, first + runs.INTERRUPTED_AFTER * 2) == 1
    with pg.read() as s:
        run = s.scalars(select(SegmentRun).where(SegmentRun.journey_id == jid)).one()
    assert (run.selected, run.entered) == (40, 20) and run.error is not None and run.error.startswith("interrupted")
