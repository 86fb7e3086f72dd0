"""A run written in parts on PostgreSQL (one transaction each, side by side): a part
that fails leaves nothing of the run behind, and the run says why."""

from __future__ import annotations

from sqlalchemy import func, select, update

from backend.models import Communication, Entry, EntryStep, Journey, SegmentRun, User
from backend.persistence.database import Database
from backend.processing.entries import advance_entries
from backend.queue import RecordingQueue
from backend.segments import runs
from backend.segments.runs import run_segment
from tests.db.journey_fixtures import catalog, make_journey, users
from tests.segments.test_first_send import journey
from tests.wiring import services_for


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
    assert len(delivered) == 40 and len(set(delivered)) == 40


def test_a_failed_part_undoes_the_parts_that_committed(pg, monkeypatch):
    jid, first = _setup(pg)
    real_capture = runs.capture

    def the_upper_part_fails(session, target, user_ids, now):
        if len(user_ids) < 40 and max(user_ids) == _highest(pg):
            raise RuntimeError("the connection was lost")
        return real_capture(session, target, user_ids, now)

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

    def the_upper_part_fails(session, target, user_ids, now):
        if len(user_ids) < 40 and max(user_ids) == _highest(pg):
            raise RuntimeError("the connection was lost")
        return real_capture(session, target, user_ids, now)

    def undo_fails(db, entry_ids):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(runs, "capture", the_upper_part_fails)
    monkeypatch.setattr(runs, "_undo", undo_fails)
    outcome = run_segment(pg, RecordingQueue(), jid, first, first, frequency_cap=0)
    assert outcome is not None and outcome.error is not None and "the database went away" in outcome.error
    assert _counts(pg, jid) == (20, 0, 0)  # at the start step, for the tick to hint once their lease runs out
    with pg.read() as s:
        assert s.scalars(select(SegmentRun.finished_at).where(SegmentRun.journey_id == jid)).one() is None
    assert runs.close_interrupted_runs(pg, first + runs.INTERRUPTED_AFTER * 2) == 1
    with pg.read() as s:
        run = s.scalars(select(SegmentRun).where(SegmentRun.journey_id == jid)).one()
    assert (run.selected, run.entered) == (40, 20) and run.error is not None and run.error.startswith("interrupted")


def test_a_first_send_part_that_fails_leaves_its_entries_to_the_workers(pg, monkeypatch):
    jid, first = _setup(pg)
    real_move = runs.move_past_send
    lower: list[int] = []

    def the_lower_part_fails(session, plan, entry_ids, now):
        if session.scalar(select(func.min(Entry.id)).where(Entry.journey_id == jid)) in entry_ids:
            lower.extend(entry_ids)
            raise RuntimeError("the connection was lost")
        return real_move(session, plan, entry_ids, now)

    monkeypatch.setattr(runs, "move_past_send", the_lower_part_fails)
    q = RecordingQueue()
    outcome = run_segment(pg, q, jid, first, first, frequency_cap=0)
    # Everyone entered; the run's counts say so whatever became of the first sends.
    assert outcome is not None and (outcome.entered, outcome.error) == (40, None)
    hinted = [i for name, args in q.calls if name == "advance_entries" for i in args[0]]
    delivered = [i for name, args in q.calls if name == "deliver" for i in args[1]]
    assert sorted(hinted) == sorted(lower) and len(hinted) == 20
    assert len(delivered) == 20
    with pg.read() as s:
        at_start = s.execute(select(Entry.id, Entry.status, Entry.current_step_id).where(Entry.id.in_(hinted))).all()
    assert {(status, step) for _, status, step in at_start} == {("ACTIVE", "hi")}
    # The workers' pass takes them through the send: one message each, none twice.
    advance_entries(services_for(pg, q), entry_ids=hinted, now=first)
    assert _counts(pg, jid) == (40, 40, 40)
