"""What a batch costs the database: the same few statements whatever its size, so a
journey's small batches and the backlog's big ones both go out at the pace of the
sends, not of round trips."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from backend.processing.delivery import deliver
from backend.queue import RecordingQueue
from tests.delivery.helpers import comms, entry_of, queue_sends, resource, settings_for
from tests.wiring import services_for


@contextmanager
def statements_made(db):
    made: list[str] = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        made.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        yield made
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)


def _deliver_batch(db, tmp_path, size, first):
    resource(db, f"Promo {first}", "SMS", "Promo")
    users = [{"externalId": f"p{first + i}", "phone": f"+3519100{first + i:05d}"} for i in range(size)]
    ids, _ = queue_sends(db, f"Promo {first}", *users)
    services = services_for(db, RecordingQueue(), settings_for(tmp_path))
    with statements_made(db) as made:
        assert deliver(services, channel="SMS", communication_ids=ids) == size
    assert {c.status for c in comms(db, ids)} == {"SENT"}
    assert entry_of(db, ids[-1]).progress_name == "Sent"
    return made


def test_a_batch_is_claimed_and_recorded_in_the_same_statements_whatever_its_size(db, tmp_path):
    small = _deliver_batch(db, tmp_path, 3, 0)
    big = _deliver_batch(db, tmp_path, 40, 100)
    assert len(big) == len(small), (small, big)
    # No temporary table for a batch's entries (a create, a copy, an update and a drop).
    assert not any("TEMP TABLE" in s for s in big)
