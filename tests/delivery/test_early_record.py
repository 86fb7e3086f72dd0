"""Each message's outcome is recorded as soon as its provider answered, so a worker
killed mid-chunk sends again only what was in flight, never what was accepted."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from backend.delivery.channels import DONE
from backend.models import utcnow
from backend.processing.delivery import LEASE, deliver
from backend.processing.early_record import FLUSH_AT, EarlyRecord
from backend.processing.scheduler import tick
from backend.queue import RecordingQueue
from tests.delivery.helpers import comms, queue_sends, resource
from tests.wiring import services_for


class Killed(BaseException):
    """The worker process dying: nothing after it runs, not even the end-of-chunk record."""


class Peer:
    """Accepts messages one by one, telling each as it is accepted; dies after `k`."""

    def __init__(self, k: int | None = None):
        self.k, self.accepted = k, []

    def send_all(self, messages, on_result=None):
        for i, m in enumerate(messages):
            if self.k is not None and len(self.accepted) == self.k:
                raise Killed
            self.accepted.append(m.reference)
            if on_result is not None:
                on_result(i, DONE)
                time.sleep(0.03)  # past the 100 ms, now and then, so groups are written as they come
        return [DONE for _ in messages]


def _queued(db, n):
    resource(db, "Promo", "SMS", "Promo {{ user.username }}")
    specs = [{"externalId": f"p{i}", "username": f"U{i}", "phone": f"+3519100000{i:02d}"} for i in range(n)]
    ids, _ = queue_sends(db, "Promo", *specs)
    return ids


def test_a_worker_killed_after_k_of_n_accepted_records_k_sent_and_sends_none_again(db):
    n, k = 10, 6
    ids = _queued(db, n)
    peer = Peer(k)
    started = utcnow()
    with pytest.raises(Killed):
        deliver(services_for(db, RecordingQueue(), sender=peer), channel="SMS", communication_ids=ids, now=started)
    rows = comms(db, ids)
    # All but the last group were written as they came; the last (under 100 ms) died with the worker.
    sent = [c.id for c in rows if c.status == "SENT"]
    assert k - 3 <= len(sent) <= k and all(c.status in ("SENT", "SENDING") for c in rows)
    # Once the lease ran out the tick takes back only the unrecorded ones, and they are sent once more.
    q = RecordingQueue()
    later = started + LEASE + timedelta(seconds=1)
    tick(services_for(db, q), now=later)
    again = sorted(pk for _name, (_channel, chunk) in q.calls for pk in chunk)
    assert again == sorted(set(ids) - set(sent))
    retry = Peer()
    deliver(services_for(db, RecordingQueue(), sender=retry), channel="SMS", communication_ids=again, now=later)
    assert all(c.status == "SENT" for c in comms(db, ids))
    sent_refs = set(peer.accepted[: len(sent)])
    assert not sent_refs & set(retry.accepted)  # none of those recorded SENT went out again


def test_outcomes_are_written_as_they_come_not_at_the_end_of_the_chunk(db):
    ids = _queued(db, 3)
    seen = []

    class Watching(Peer):
        def send_all(self, messages, on_result=None):
            for i, _m in enumerate(messages):
                on_result(i, DONE)
                time.sleep(0.12)  # past the 100 ms: the next result writes the group
                seen.append([c.status for c in comms(db, ids)])
            return [DONE for _ in messages]

    deliver(services_for(db, RecordingQueue(), sender=Watching()), channel="SMS", communication_ids=ids)
    # While the third message was still being sent, the first was already SENT.
    assert seen[0][0] == "SENT" and seen[1][:2] == ["SENT", "SENT"]
    assert [c.status for c in comms(db, ids)] == ["SENT"] * 3


def test_a_provider_that_accepts_faster_than_the_record_writes_is_held_to_a_group_ahead():
    """However fast the results come (here all at once, the clock never reaching the
    100 ms), no more than FLUSH_AT of them wait unwritten: a killed worker sends
    again at most those."""
    told, unwritten_at_most = [], []

    def write(group):
        unwritten_at_most.append(len(told) - sum(len(g) for g in groups))
        groups.append(group)

    groups: list[list[int]] = []
    early = EarlyRecord(lambda i, _result: i, write, every=3600.0)
    for i in range(100):
        told.append(i)
        early.told(i, DONE)
    early.finish()
    assert sorted(i for g in groups for i in g) == list(range(100))
    assert max(unwritten_at_most) <= FLUSH_AT and len(groups) >= 100 // FLUSH_AT
