"""With the broker down, a write that committed answers its success: the hint that could
not be sent is logged (without the broker's address or password) and left to the tick."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from dramatiq.brokers.stub import StubBroker
from sqlalchemy import func, select

from backend.models import Bonus, Event, utcnow
from backend.processing.scheduler import tick
from backend.queue import RecordingQueue
from tests.wiring import services_for
from workers.queue_adapter import BrokerQueue

SECRET_URL = "redis://:broker-password-s3cret@10.9.8.7:6379/0"


class DownBroker(StubBroker):
    """A broker whose every enqueue fails, as a Redis or RabbitMQ that went away does."""

    def __init__(self) -> None:
        super().__init__()
        self.attempts = 0

    def enqueue(self, message, *, delay=None):
        self.attempts += 1
        raise ConnectionError(f"Error 111 connecting to {SECRET_URL}. Connection refused.")


@pytest.fixture
def broker():
    return DownBroker()


@pytest.fixture
def queue(broker):
    return BrokerQueue(broker)


def _no_secret_logged(caplog) -> None:
    text = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert "broker-password-s3cret" not in text and "10.9.8.7" not in text
    assert "could not be sent" in text


async def test_track_events_answers_what_it_stored(admin, db, broker, caplog):
    caplog.set_level(logging.DEBUG)
    data = await admin(
        'mutation { trackEvents(events: [{eventId: "e1", externalId: "p1", name: "login"}]) '
        "{ accepted duplicates errors { code } } }"
    )
    assert data["trackEvents"] == {"accepted": 1, "duplicates": 0, "errors": []}
    assert broker.attempts == 1
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Event)) == 1
    _no_secret_logged(caplog)


async def test_api_events_answers_200_with_what_it_stored(admin, db, broker, caplog):
    caplog.set_level(logging.DEBUG)
    resp = await admin.http.post(
        "/api/events",
        json=[{"eventId": f"e{i}", "externalId": "p1", "name": "login"} for i in range(3)],
        headers={"authorization": f"Bearer {admin.token}"},
    )
    assert resp.status_code == 200 and resp.json() == {"accepted": 3, "duplicates": 0, "errors": []}
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Event)) == 3
    _no_secret_logged(caplog)


GRANT = """mutation($r: String!, $t: ID!) { grantBonus(externalId: "p1", templateId: $t, requestId: $r) {
  bonus { id status } errors { code } } }"""


async def test_grant_bonus_answers_the_bonus_and_a_retry_grants_nothing_more(admin, db, broker, caplog):
    caplog.set_level(logging.DEBUG)
    await admin('mutation { upsertUsers(users: [{externalId: "p1"}]) { created } }')
    made = await admin(
        'mutation { createBonusTemplate(input: {name: "5 EUR", kind: "CASH", amount: 5, currency: "EUR"}) '
        "{ bonusTemplate { id } } }"
    )
    tid = made["createBonusTemplate"]["bonusTemplate"]["id"]
    first = (await admin(GRANT, {"r": "ticket-7", "t": tid}))["grantBonus"]
    assert first["errors"] == [] and first["bonus"]["status"] == "PENDING"
    again = (await admin(GRANT, {"r": "ticket-7", "t": tid}))["grantBonus"]
    assert again["bonus"]["id"] == first["bonus"]["id"]
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Bonus)) == 1
    _no_secret_logged(caplog)

    # Once the broker is back, the scheduler's tick hints the bonus that no hint announced.
    back = RecordingQueue()
    tick(services_for(db, back), now=utcnow() + timedelta(seconds=6))
    with db.read() as s:
        bonus_id = s.scalar(select(Bonus.id))
    assert back.calls == [("grant_bonuses", ([bonus_id],))]
