"""Waiting, in tests, until other sessions are blocked on a lock, instead of sleeping
and hoping they got there."""

from __future__ import annotations

import time

from sqlalchemy import text

from backend.persistence.database import Database


def sessions_waiting_for_locks(db: Database, count: int, *, kinds: tuple[str, ...], timeout: float = 10.0) -> bool:
    """PostgreSQL: True once `count` sessions of this database wait for a lock of one of
    these kinds (pg_stat_activity's wait_event: 'advisory', 'transactionid', 'tuple', ...);
    False if that does not happen within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    query = text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event_type = 'Lock' AND wait_event = ANY(:kinds)"
    )
    with db.engine.connect() as conn:
        while True:
            waiting = conn.execute(query, {"kinds": list(kinds)}).scalar()
            conn.rollback()  # pg_stat_activity is read once per transaction: a new one each time
            if waiting >= count:
                return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
