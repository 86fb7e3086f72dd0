"""The broker: in-process for the embedded default, Redis or RabbitMQ to share work between machines."""
from __future__ import annotations

import re

from dramatiq.broker import Broker
from dramatiq.brokers.stub import StubBroker

from backend.settings import Settings


def mask_url(url: str | None) -> str:
    """A URL fit for a log line: the password is never printed."""
    if not url:
        return "in-process"
    return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", url)


def make_broker(settings: Settings) -> Broker:
    url = settings.broker_url
    if not url:
        return StubBroker()
    if url.startswith(("redis://", "rediss://", "unix://")):
        from dramatiq.brokers.redis import RedisBroker

        return RedisBroker(url=url, namespace=f"{settings.queue_prefix}questline")
    if url.startswith(("amqp://", "amqps://")):
        from dramatiq.brokers.rabbitmq import RabbitmqBroker

        return RabbitmqBroker(url=url)
    raise ValueError(f"QUESTLINE_BROKER_URL must start with redis:// or amqp://, got {mask_url(url)}")
