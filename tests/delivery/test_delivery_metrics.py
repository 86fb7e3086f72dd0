"""The delivery counters an operator watches: sends, failures and retries per channel
and class of the provider's answer, counted by the worker that settled them."""

from __future__ import annotations

from datetime import timedelta

from prometheus_client import REGISTRY

from backend.models import utcnow
from backend.processing.delivery import deliver
from backend.queue import RecordingQueue
from tests.delivery.helpers import queue_sends, resource, settings_for
from tests.wiring import services_for


def _count(outcome: str, provider: str) -> float:
    labels = {"channel": "sms", "outcome": outcome, "provider_status": provider}
    return REGISTRY.get_sample_value("questline_deliveries_total", labels) or 0.0


def test_retries_sends_and_failures_are_counted_per_channel_and_answer(db, tmp_path, provider):
    resource(db, "Counted", "SMS", "Hi")
    ids, _ = queue_sends(
        db, "Counted", {"externalId": "p1", "phone": "+351910000001"}, {"externalId": "p2", "phone": "+351910000002"}
    )
    provider.script = [503, 400]  # the n-th try of each message
    settings = settings_for(tmp_path, QUESTLINE_SMS_URL=provider.url)
    keys = (("retried", "5xx"), ("failed", "4xx"), ("sent", "2xx"))
    before = {key: _count(*key) for key in keys}
    deliver(services_for(db, RecordingQueue(), settings), channel="SMS", communication_ids=ids)
    assert _count("retried", "5xx") == before[("retried", "5xx")] + 2
    later = utcnow() + timedelta(seconds=30)
    deliver(services_for(db, RecordingQueue(), settings), channel="SMS", communication_ids=ids, now=later)
    assert _count("failed", "4xx") == before[("failed", "4xx")] + 2
    provider.script = []
    more, _ = queue_sends(db, "Counted", {"externalId": "p3", "phone": "+351910000003"})
    deliver(services_for(db, RecordingQueue(), settings), channel="SMS", communication_ids=more)
    assert _count("sent", "2xx") == before[("sent", "2xx")] + 1
