"""The scheduler loop: it ticks, it survives a failing tick, and one is active at a time on PostgreSQL."""

from __future__ import annotations

import itertools
import logging
import threading
import time

import pytest
from sqlalchemy import text

from backend.persistence.database import Database
from tests.workers.fake_handlers import wait_for
from workers.scheduler import LOCK_KEY, SchedulerLoop


@pytest.fixture
def sqlite_db(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'q.db'}")
    yield db
    db.dispose()


def test_the_loop_ticks_repeatedly_and_stops_promptly(sqlite_db):
    ticks = []
    loop = SchedulerLoop(sqlite_db, lambda: ticks.append(time.monotonic()), interval=0.05).start()
    try:
        assert wait_for(lambda: len(ticks) >= 4, timeout=5)
        assert loop.active.is_set()  # SQLite: no lock to wait for
    finally:
        started = time.monotonic()
        loop.stop()
    assert time.monotonic() - started < 1
    assert not loop.running and not loop.active.is_set()
    count = len(ticks)
    time.sleep(0.15)
    assert len(ticks) == count
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert min(gaps) >= 0.04  # about once an interval, not a busy loop


def test_a_failing_tick_is_logged_without_secrets_and_the_loop_goes_on(sqlite_db, caplog):
    calls = []

    def tick():
        calls.append(1)
        if len(calls) <= 3:
            raise RuntimeError("could not reach postgresql://questline:hunter2@db.internal/questline")

    caplog.set_level(logging.DEBUG, logger="workers.scheduler")
    loop = SchedulerLoop(sqlite_db, tick, interval=0.02).start()
    try:
        assert wait_for(lambda: loop.ticks >= 2)
    finally:
        loop.stop()
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1  # a streak of failures is logged once, not once a second
    assert "RuntimeError" in errors[0].getMessage()
    assert "hunter2" not in caplog.text and "questline:***@db.internal" in caplog.text
    assert any("works again after 3 failures" in r.getMessage() for r in caplog.records)


def _lock_holders(db: Database) -> list[int]:
    with db.engine.connect() as conn:
        return list(
            conn.execute(
                text(
                    "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = :k AND granted "
                    "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                ),
                {"k": LOCK_KEY},
            ).scalars()
        )


@pytest.mark.postgres
def test_only_one_scheduler_ticks_on_postgresql_and_another_takes_over_when_it_stops(postgres_url):
    db1, db2, probe = Database(postgres_url), Database(postgres_url), Database(postgres_url)
    a_ticks, b_ticks = [], []
    a = SchedulerLoop(db1, lambda: a_ticks.append(1), interval=0.02, standby_retry=0.05).start()
    b = None
    try:
        assert wait_for(lambda: a.active.is_set())
        b = SchedulerLoop(db2, lambda: b_ticks.append(1), interval=0.02, standby_retry=0.05).start()
        time.sleep(0.4)
        assert len(a_ticks) >= 5 and b_ticks == [] and not b.active.is_set()
        assert len(_lock_holders(probe)) == 1
        a.stop()
        assert wait_for(lambda: b.active.is_set())
        a_after = len(a_ticks)
        assert wait_for(lambda: len(b_ticks) >= 3)
        assert len(a_ticks) == a_after
        assert len(_lock_holders(probe)) == 1
    finally:
        a.stop()
        if b is not None:
            b.stop()
    assert _lock_holders(probe) == []  # a stopped scheduler leaves no lock behind
    for db in (db1, db2, probe):
        db.dispose()


@pytest.mark.postgres
def test_a_scheduler_whose_lock_connection_dies_stands_down(postgres_url):
    db1, db2, probe = Database(postgres_url), Database(postgres_url), Database(postgres_url)
    a = SchedulerLoop(db1, lambda: None, interval=0.02, standby_retry=0.05).start()
    b = None
    try:
        assert wait_for(lambda: a.active.is_set())
        b = SchedulerLoop(db2, lambda: None, interval=0.02, standby_retry=0.05).start()
        time.sleep(0.1)
        [holder] = _lock_holders(probe)
        with probe.engine.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": holder})
            conn.commit()
        # The lock went with the connection: whichever takes it next, exactly one is active again.
        assert wait_for(lambda: len(_lock_holders(probe)) == 1 and _lock_holders(probe) != [holder])
        assert wait_for(lambda: a.active.is_set() != b.active.is_set())
        time.sleep(0.2)
        assert a.active.is_set() != b.active.is_set()
    finally:
        a.stop()
        if b is not None:
            b.stop()
    for db in (db1, db2, probe):
        db.dispose()


def test_stop_waits_for_a_running_tick(sqlite_db):
    in_tick, release = threading.Event(), threading.Event()
    finished = []

    def tick():
        in_tick.set()
        release.wait(5)
        finished.append(1)

    loop = SchedulerLoop(sqlite_db, tick, interval=0.02).start()
    assert in_tick.wait(5)
    threading.Timer(0.1, release.set).start()
    loop.stop()
    assert finished == [1] and not loop.running
