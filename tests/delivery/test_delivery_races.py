"""What happens when things overlap: receipts before the worker records, workers that
come back after their lease ran out, the tick beside a claim, two claims for one user
under a frequency cap, and a message whose worker keeps dying."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import text, update

from backend.delivery import engagement
from backend.delivery.channels import DONE
from backend.journeys.loading import JourneyCache
from backend.models import Communication, utcnow
from backend.persistence.locks import PURPOSES
from backend.processing.delivery import Outcome, claim, deliver, record
from backend.processing.scheduler import tick
from backend.queue import RecordingQueue
from tests.delivery.helpers import comms, entry_of, queue_sends, resource, settings_for
from tests.wiring import services_for


class Recorder:
    """A channel that answers from a list and can hold the sends until told to go on."""

    def __init__(self, results=None, gate: threading.Event | None = None):
        self.results, self.gate, self.sent = results, gate, []

    def send_all(self, messages):
        self.sent.extend(messages)
        if self.gate is not None:
            self.gate.wait(10)
        return list(self.results) if self.results is not None else [DONE for _ in messages]


def _sms(db, n=1, **user):
    resource(db, "Promo", "SMS", "Promo {{ user.username }}")
    specs = [{"externalId": f"p{i}", "username": f"U{i}", "phone": f"+35191000000{i}", **user} for i in range(n)]
    ids, _ = queue_sends(db, "Promo", *specs)
    return ids


def test_a_receipt_that_comes_before_the_worker_records_is_kept(db):
    [cid] = _sms(db)
    [item] = claim(db, "SMS", [cid], utcnow())
    with db.unit_of_work() as uow:  # the provider's receipt beats the worker's commit
        engagement.record_receipt(
            uow, journeys=JourneyCache(), communication_id=cid, status="delivered", error=None, at=utcnow()
        )
    record(services_for(db), [Outcome(item, "SENT")], utcnow())
    [c] = comms(db, [cid])
    assert (c.status, c.sent_at is not None, c.claimed_until) == ("DELIVERED", True, None)
    assert entry_of(db, cid).progress_name == "Delivered"


def test_a_worker_that_records_after_its_lease_ran_out_moves_nothing_back(db):
    ids = _sms(db, n=2)
    now = utcnow()
    first = claim(db, "SMS", ids, now)
    # Its lease runs out: the tick takes both back and hints them ...
    with db.unit_of_work() as uow:
        uow.session.execute(update(Communication).values(claimed_until=now - timedelta(seconds=1)))
    tick(services_for(db, RecordingQueue()), now=now)
    # ... and another worker claims the second again.
    [second] = claim(db, "SMS", ids[1:], now + timedelta(seconds=1))
    # The first worker comes back: a success still counts over a row nobody finished ...
    record(
        services_for(db),
        [Outcome(first[0], "SENT"), Outcome(first[1], "QUEUED", error="HTTP 503", retry_at=now)],
        utcnow(),
    )
    a, b = comms(db, ids)
    assert (a.status, a.next_attempt_at, a.claimed_until) == ("SENT", None, None)
    # ... but its retry does not pull the row from under the worker sending it now.
    assert (b.status, b.claimed_until) == ("SENDING", second.lease)
    record(services_for(db), [Outcome(second, "SENT")], utcnow())
    assert comms(db, ids[1:])[0].status == "SENT"


def test_the_tick_leaves_a_message_a_worker_holds_alone(db):
    [cid] = _sms(db)
    now = utcnow()
    [item] = claim(db, "SMS", [cid], now)
    q = RecordingQueue()
    tick(services_for(db, q), now=now + timedelta(seconds=30))  # inside the 45 s lease
    assert q.calls == [] and comms(db, [cid])[0].claimed_until == item.lease


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
def test_a_claim_that_commits_while_the_tick_waits_keeps_its_lease(db):
    [cid] = _sms(db)
    now = utcnow()
    with db.unit_of_work() as uow:
        uow.session.execute(update(Communication).values(queued_at=now - timedelta(minutes=1)))
    q, done = RecordingQueue(), threading.Event()
    with db.engine.connect() as holder:
        holder.execute(text("SELECT 1 FROM communications WHERE id = :i FOR UPDATE"), {"i": cid})

        def run_tick():
            tick(services_for(db, q), now=now)
            done.set()

        ticker = threading.Thread(target=run_tick)
        ticker.start()
        assert not done.wait(1.0)  # the tick waits for the row
        lease = now + timedelta(minutes=3)
        holder.execute(
            text("UPDATE communications SET status = 'SENDING', claimed_until = :l WHERE id = :i"),
            {"l": lease, "i": cid},
        )
        holder.commit()
        ticker.join(10)
    assert q.calls == []
    [c] = comms(db, [cid])
    assert (c.status, c.claimed_until) == ("SENDING", lease)


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
def test_two_claims_for_one_user_at_once_keep_the_frequency_cap(db):
    resource(db, "Promo", "SMS", "Promo")
    one, _ = queue_sends(db, "Promo", {"externalId": "p1", "phone": "+351910000001"})
    two, _ = queue_sends(db, "Promo", {"externalId": "p1"})
    with db.read() as s:
        user_id = s.get(Communication, one[0]).user_id
    results: dict[int, list] = {}
    with db.engine.connect() as holder:
        # Hold the user's cap lock, so both claims reach it before either counts.
        holder.execute(text("SELECT pg_advisory_lock(:k, :u)"), {"k": PURPOSES["frequency_cap:SMS"], "u": user_id})
        threads = [
            threading.Thread(target=lambda ids=ids: results.setdefault(ids[0], claim(db, "SMS", ids, utcnow(), cap=1)))
            for ids in (one, two)
        ]
        for t in threads:
            t.start()
        threading.Event().wait(1.0)
        holder.execute(text("SELECT pg_advisory_unlock(:k, :u)"), {"k": PURPOSES["frequency_cap:SMS"], "u": user_id})
        holder.commit()
        for t in threads:
            t.join(10)
    statuses = sorted(c.status for c in comms(db, one + two))
    assert statuses == ["SENDING", "SUPPRESSED"], statuses


def test_a_message_whose_worker_died_five_times_fails_instead_of_going_round(db):
    [cid] = _sms(db)
    with db.unit_of_work() as uow:
        uow.session.execute(update(Communication).values(attempts=5))
    adapter = Recorder()
    deliver(services_for(db, RecordingQueue(), sender=adapter), channel="SMS", communication_ids=[cid])
    [c] = comms(db, [cid])
    assert c.status == "FAILED" and c.error.startswith("after 5 tries: none finished") and adapter.sent == []


def test_an_adapter_that_breaks_leaves_the_messages_to_be_tried_again(db, tmp_path):
    ids = _sms(db, n=2)

    class Broken:
        def send_all(self, messages):
            raise RuntimeError("boom")

    deliver(services_for(db, RecordingQueue(), sender=Broken()), channel="SMS", communication_ids=ids)
    assert [(c.status, c.error, c.attempts) for c in comms(db, ids)] == [
        ("QUEUED", "RuntimeError in the sender", 1)
    ] * 2
    # A setting that cannot work is refused when it is read, and its secrets not shown.
    with pytest.raises(ValueError, match="QUESTLINE_SMTP_URL must start with smtp:// or smtps://") as refused:
        settings_for(tmp_path, QUESTLINE_SMTP_URL="http://user:hunter2@mail.example.com")
    assert "hunter2" not in str(refused.value)


def test_times_are_stored_like_every_other_time(db):
    [cid] = _sms(db)
    deliver(services_for(db, RecordingQueue(), sender=Recorder()), channel="SMS", communication_ids=[cid])
    with db.engine.connect() as conn:
        sent, queued = conn.execute(text("SELECT sent_at, queued_at FROM communications")).one()
    if db.dialect == "sqlite":
        assert "+" not in str(sent) and len(str(sent)) == len(str(queued))
    assert comms(db, [cid])[0].sent_at is not None
