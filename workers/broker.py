"""The broker: in-process for the embedded default, Redis or RabbitMQ to share work between machines.

Nothing here connects anywhere or creates a broker at import time: `make_broker`
builds one when the runtime asks, and the Redis and RabbitMQ clients connect on
their first use.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque

from dramatiq.broker import Broker
from dramatiq.brokers.stub import StubBroker

from backend.settings import Settings

# Failed in-process messages kept for inspection; older ones are dropped, so a
# long-running `serve` does not grow without bound (the rows stay due in the database).
DEAD_LETTERS_KEPT = 50

_USERINFO = re.compile(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)(?P<user>[^:/@?#\s]*):(?P<password>[^@/?#\s]*)@")
_SECRET_QUERY = re.compile(r"(?i)(?P<key>[?&;](?:password|pass|pwd|token|secret)=)[^&;#\s]*")


def mask_secrets(text: str) -> str:
    """Masks the passwords of any URLs inside a text (a URL, an error message)."""
    text = _USERINFO.sub(lambda m: f"{m['scheme']}{m['user']}:***@", text)
    return _SECRET_QUERY.sub(lambda m: f"{m['key']}***", text)


def mask_url(url: str | None) -> str:
    """A broker URL fit for a log line: the password is never printed."""
    if not url:
        return "in-process"
    return mask_secrets(url)


class InProcessBroker(StubBroker):
    """The embedded default: queues in this process's memory, consumed by a Worker in
    the same process. Messages do not survive a restart; the scheduler tick finds
    their rows again."""

    def __init__(self) -> None:
        super().__init__()
        # A bounded deque where Dramatiq keeps a list: the stub's type is the list's.
        self.dead_letters_by_queue = defaultdict(lambda: deque(maxlen=DEAD_LETTERS_KEPT))  # type: ignore[arg-type, return-value]


def broker_kind(settings: Settings) -> str:
    """'in-process', 'redis' or 'rabbitmq'; a ValueError (password masked) for anything else."""
    url = settings.broker_url
    if not url:
        return "in-process"
    if url.startswith(("redis://", "rediss://", "unix://")):
        return "redis"
    if url.startswith(("amqp://", "amqps://")):
        return "rabbitmq"
    raise ValueError(f"QUESTLINE_BROKER_URL must start with redis:// or amqp://, got {mask_url(url)}")


def make_broker(settings: Settings) -> Broker:
    kind = broker_kind(settings)
    if kind == "in-process":
        return InProcessBroker()
    if kind == "redis":
        from workers.redis_broker import PacedRedisBroker

        return PacedRedisBroker(
            url=settings.broker_url, namespace=f"{settings.queue_prefix}questline", prefix=settings.queue_prefix
        )
    from dramatiq.brokers.rabbitmq import RabbitmqBroker

    return RabbitmqBroker(url=settings.broker_url)


def close_broker(broker: Broker) -> None:
    """Closes the broker's connections (RedisBroker.close leaves its pool open)."""
    broker.close()
    client = getattr(broker, "client", None)
    pool = getattr(client, "connection_pool", None)
    if pool is not None:
        pool.disconnect()
