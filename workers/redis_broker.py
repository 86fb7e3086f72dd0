"""The Redis broker with an idle poll of its own for each queue.

Dramatiq's Redis consumer polls an empty queue (one script call to Redis a poll) with a
back-off that grows up to its idle time-out, and a worker process has a consumer for
each of its 15 queues and for each one's delay queue. At a time-out of 50 ms for all
30, two idle worker processes spent a third of a core (and Redis its share) polling
queues that were mostly empty, the same cores that deliver the messages. Only the
queues a player waits on need the short poll: the events (an event's pop-up) and the
entries (a journey's next step). A delivery, bonus or webhook hint waits at most half
a second in an idle queue, an "again" hint half a second beside a backlog of seconds or
minutes, and a delay queue (a batch retried after a back-off of a second or more) a
second. A busy queue does not wait: the consumer fetches again as soon as it has room.
"""

from __future__ import annotations

from dramatiq.broker import Consumer
from dramatiq.brokers.redis import RedisBroker
from dramatiq.common import q_name

from workers.queue_adapter import QUEUES

# Queues (names before the deployment's prefix) a player waits on.
PROMPT_QUEUES = frozenset({QUEUES["process_events"], QUEUES["advance_entries"]})
BACKGROUND_POLL_MS = 500
DELAY_POLL_MS = 1_000


def idle_poll_ms(queue_name: str, prompt_ms: int, *, prefix: str = "") -> int:
    """How long an idle consumer of `queue_name` (with the deployment's prefix) may wait
    between polls: `prompt_ms` for the queues a player waits on, longer for the others,
    never shorter than `prompt_ms`."""
    if q_name(queue_name) != queue_name:  # a delay queue
        return max(prompt_ms, DELAY_POLL_MS)
    if queue_name.removeprefix(prefix) in PROMPT_QUEUES:
        return prompt_ms
    return max(prompt_ms, BACKGROUND_POLL_MS)


class PacedRedisBroker(RedisBroker):
    """A RedisBroker whose consumers poll each queue at its own idle pace (idle_poll_ms)."""

    def __init__(self, *, url: str | None, namespace: str, prefix: str = ""):
        super().__init__(url=url, namespace=namespace)
        self.prefix = prefix

    def consume(self, queue_name: str, prefetch: int = 1, timeout: int = 5000) -> Consumer:
        return super().consume(queue_name, prefetch, idle_poll_ms(queue_name, timeout, prefix=self.prefix))
