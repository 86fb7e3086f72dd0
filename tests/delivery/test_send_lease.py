"""The send lease: short, renewed while a chunk is being sent, so a slow provider keeps
its messages and a dead worker's messages are due again within one lease."""

from __future__ import annotations

import dataclasses
import time
from datetime import timedelta

from backend.delivery.channels import DONE
from backend.models import utcnow
from backend.processing import lease_keeper
from backend.processing.delivery import LEASE, claim, deliver
from backend.processing.scheduler import tick
from backend.queue import RecordingQueue
from tests.delivery.helpers import comms, queue_sends, resource
from tests.wiring import services_for


class Clock:
    def __init__(self):
        self.now = utcnow()

    def __call__(self):
        return self.now


def _sms(db):
    resource(db, "Promo", "SMS", "Promo {{ user.username }}")
    ids, _ = queue_sends(db, "Promo", {"externalId": "p1", "username": "Ann", "phone": "+351910000001"})
    return ids


def _wait_until(check, timeout=20.0):
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_send_that_outlasts_the_lease_keeps_its_messages(db, monkeypatch):
    ids = _sms(db)
    monkeypatch.setattr(lease_keeper, "RENEW_EVERY", 0.1)
    clock = Clock()
    claimed_at = clock.now
    seen = {}

    class SlowProvider:
        def send_all(self, messages):
            # The provider takes longer than the lease the claim took ...
            clock.now = claimed_at + LEASE + timedelta(seconds=30)
            _wait_until(lambda: comms(db, ids)[0].claimed_until == clock.now + LEASE)
            # ... and the tick, run when that first lease has run out, leaves the row alone.
            q = RecordingQueue()
            tick(services_for(db, q), now=claimed_at + LEASE + timedelta(seconds=5))
            seen["hints"], seen["status"] = q.calls, comms(db, ids)[0].status
            return [DONE for _ in messages]

    services = dataclasses.replace(services_for(db, RecordingQueue(), sender=SlowProvider()), clock=clock)
    assert deliver(services, channel="SMS", communication_ids=ids) == 1
    assert seen == {"hints": [], "status": "SENDING"}
    [c] = comms(db, ids)
    assert (c.status, c.attempts, c.claimed_until, c.body) == ("SENT", 1, None, "Promo Ann")


def test_a_dead_workers_messages_are_due_again_within_one_lease(db):
    ids = _sms(db)
    now = utcnow()
    [item] = claim(db, "SMS", ids, now)  # and the worker dies: nothing renews or records
    assert item.lease == now + timedelta(seconds=45)
    q = RecordingQueue()
    tick(services_for(db, q), now=now + LEASE - timedelta(seconds=1))
    assert q.calls == [] and comms(db, ids)[0].status == "SENDING"
    tick(services_for(db, q), now=now + LEASE + timedelta(seconds=1))
    assert comms(db, ids)[0].status == "QUEUED" and q.calls == [("deliver_again", ("SMS", ids))]
