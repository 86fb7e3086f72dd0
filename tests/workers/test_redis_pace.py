"""Each Redis queue is polled at its own idle pace: short where a player waits (events,
entries), longer for deliveries, bonuses, webhooks and delay queues, so idle consumers
do not take the cores that send the messages."""

from __future__ import annotations

import threading
import time
import uuid

import dramatiq
import pytest
from dramatiq import Worker

from backend.settings import Settings
from tests.services import REDIS_URL, require_service
from workers.broker import close_broker, make_broker
from workers.redis_broker import BACKGROUND_POLL_MS, DELAY_POLL_MS, PacedRedisBroker, idle_poll_ms


def test_the_queues_a_player_waits_on_keep_the_short_poll_and_the_others_wait_longer():
    assert idle_poll_ms("p_events", 50, prefix="p_") == 50
    assert idle_poll_ms("p_entries", 50, prefix="p_") == 50
    for background in ("p_delivery.email", "p_delivery.sms.again", "p_bonuses", "p_bonuses.again", "p_webhooks"):
        assert idle_poll_ms(background, 50, prefix="p_") == BACKGROUND_POLL_MS
    assert idle_poll_ms("p_events.DQ", 50, prefix="p_") == DELAY_POLL_MS
    assert idle_poll_ms("p_delivery.email.DQ", 50, prefix="p_") == DELAY_POLL_MS
    # Without the prefix, "events" of another deployment is not ours: it waits longer.
    assert idle_poll_ms("other_events", 50, prefix="p_") == BACKGROUND_POLL_MS
    # Never shorter than what the worker asked for.
    assert idle_poll_ms("p_delivery.email", 2_000, prefix="p_") == 2_000


@pytest.fixture
def redis_broker():
    require_service("redis")
    prefix = f"pace{uuid.uuid4().hex[:6]}_"
    broker = make_broker(Settings(broker_url=REDIS_URL, queue_prefix=prefix))
    try:
        yield broker, prefix
    finally:
        keys = broker.client.keys(f"{prefix}questline*")
        if keys:
            broker.client.delete(*keys)
        close_broker(broker)


def test_the_redis_broker_gives_each_consumer_its_queues_pace(redis_broker):
    broker, prefix = redis_broker
    assert isinstance(broker, PacedRedisBroker)
    assert broker.consume(f"{prefix}events", 4, 50).timeout == 50
    assert broker.consume(f"{prefix}delivery.email", 4, 50).timeout == BACKGROUND_POLL_MS
    assert broker.consume(f"{prefix}bonuses.DQ", 4, 50).timeout == DELAY_POLL_MS


def test_a_hint_sent_to_a_long_idle_delivery_queue_is_still_taken_within_about_its_pace(redis_broker):
    broker, prefix = redis_broker
    taken = threading.Event()

    @dramatiq.actor(broker=broker, queue_name=f"{prefix}delivery.email", actor_name=f"{prefix}deliver_email")
    def deliver_email(ids: list[int]) -> None:
        taken.set()

    worker = Worker(broker, worker_threads=1, worker_timeout=50)
    worker.start()
    try:
        time.sleep(3)  # idle long enough for the consumer's back-off to reach its cap
        sent = time.monotonic()
        deliver_email.send([1])
        assert taken.wait(10)
        waited = time.monotonic() - sent
    finally:
        worker.stop(timeout=5_000)
    # The cap (0.5 s) plus the scheduling of a loaded machine; the tick's 30 s hint lease is far off.
    assert waited < 3, waited
