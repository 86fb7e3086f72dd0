"""A database that restarts between an outside call and the record of its outcome: the
outcome is written once the database is back, not given up (the row would then wait
out its lease, 180 s for a message, and the call would be made again)."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import exc as sa_exc

from backend.ids import encode_id
from backend.persistence import retrying
from backend.processing.bonuses import grant
from backend.processing.delivery import deliver
from backend.queue import RecordingQueue
from tests.db.test_bonuses import bonus_row, journey_bonus, outcomes, wallet_settings
from tests.delivery.helpers import comms, queue_sends, resource, settings_for
from tests.delivery.peers import HttpProvider
from tests.wallet_server import running_wallet
from tests.wiring import services_for


class Outage:
    """The database's units of work from the `first`-th on fail as a dropped connection
    does, `times` of them, then work again."""

    def __init__(self, db, *, first: int, times: int):
        self.db, self.first, self.times = db, first, times
        self.calls = 0
        self.failed = 0
        self._real = db.unit_of_work

    @contextmanager
    def unit_of_work(self):
        self.calls += 1
        if self.calls >= self.first and self.failed < self.times:
            self.failed += 1
            raise sa_exc.OperationalError(
                "SELECT 1", {}, Exception("server closed the connection unexpectedly"), connection_invalidated=True
            )
        with self._real() as uow:
            yield uow


def _no_sleeping(monkeypatch):
    pauses: list[float] = []
    monkeypatch.setattr(retrying, "pause", pauses.append)
    return pauses


def test_a_message_sent_while_the_database_restarts_is_recorded_once_it_is_back(db, tmp_path, monkeypatch):
    resource(db, "Hello", "SMS", "Hi {{ user.username }}")
    ids, _ = queue_sends(db, "Hello", {"externalId": "p1", "username": "Ann", "phone": "+351910000001"})
    pauses = _no_sleeping(monkeypatch)
    provider = HttpProvider().start()
    try:
        settings = settings_for(tmp_path, QUESTLINE_SMS_URL=provider.url)
        services = services_for(db, RecordingQueue(), settings)
        outage = Outage(db, first=2, times=3)  # the claim works; the record meets the restart
        monkeypatch.setattr(db, "unit_of_work", outage.unit_of_work)
        assert deliver(services, channel="SMS", communication_ids=ids) == 1
    finally:
        provider.stop()
    # The first failure meets the write of the outcomes as they come, which leaves them to
    # the end of the chunk; there the record is tried again after a pause each time.
    assert outage.failed == 3 and len(pauses) == 2
    [c] = comms(db, ids)
    assert (c.status, c.attempts, c.claimed_until, c.body) == ("SENT", 1, None, "Hi Ann")
    assert provider.keys() == {encode_id("Communication", ids[0]): 1}


def test_a_record_that_fails_for_another_reason_is_not_tried_again(db, tmp_path, monkeypatch):
    resource(db, "Hello", "SMS", "Hi")
    ids, _ = queue_sends(db, "Hello", {"externalId": "p1", "phone": "+351910000001"})
    pauses = _no_sleeping(monkeypatch)
    provider = HttpProvider().start()
    calls = []

    def broken(*args, **kwargs):
        calls.append(1)
        raise ValueError("a bug")

    monkeypatch.setattr("backend.processing.delivery.record", broken)
    try:
        services = services_for(db, RecordingQueue(), settings_for(tmp_path, QUESTLINE_SMS_URL=provider.url))
        try:
            deliver(services, channel="SMS", communication_ids=ids)
        except ValueError:
            pass
        else:
            raise AssertionError("the bug was swallowed")
    finally:
        provider.stop()
    # Once as the outcomes came, once at the end of the chunk; never tried again as an outage.
    assert calls == [1, 1] and pauses == []
    [c] = comms(db, ids)
    assert c.status == "SENDING"  # left to its lease, as before


def test_a_bonus_granted_while_the_database_restarts_is_recorded_once_it_is_back(db, tmp_path, monkeypatch):
    entry_id, bonus_id = journey_bonus(db)
    pauses = _no_sleeping(monkeypatch)
    with running_wallet() as wallet:
        services = services_for(db, RecordingQueue(), wallet_settings(tmp_path, wallet.url))
        outage = Outage(db, first=2, times=2)
        monkeypatch.setattr(db, "unit_of_work", outage.unit_of_work)
        assert grant(services, bonus_ids=[bonus_id]) == 1
    assert outage.failed == 2 and len(pauses) == 2
    row = bonus_row(db, bonus_id)
    assert (row.status, row.attempts, row.claimed_until) == ("GRANTED", 1, None)
    assert wallet.keys == [encode_id("Bonus", bonus_id)]
    assert [o for _, o, _ in outcomes(db, entry_id)][-1] == "bonus_granted"
