"""The domain's WorkQueue, carried by Dramatiq messages of at most MESSAGE_IDS ids each.

A hint is enqueued by actor name, so the queue needs only the broker: the process
builds broker -> queue -> services -> actors, each from the ones before it.
"""

from __future__ import annotations

from collections.abc import Iterable

from dramatiq import Message
from dramatiq.broker import Broker

from backend.logs import REQUEST_ID

MESSAGE_IDS = 1_000
# The message option that carries the id of the request whose work the message is.
REQUEST_ID_OPTION = "questline_request_id"
CHANNELS = ("email", "sms", "push", "ivr", "popup")
# Each actor's queue (names before the deployment's prefix); one queue per delivery channel,
# and beside each delivery queue and the bonus queue an "again" lane for rows taken back
# from a worker that died (or tried before): its actor goes first in a worker, so such a
# row is not sent again only after the whole backlog of fresh hints ahead of it.
QUEUES = {
    "process_events": "events",
    "advance_entries": "entries",
    **{f"deliver_{c}": f"delivery.{c}" for c in CHANNELS},
    **{f"deliver_{c}_again": f"delivery.{c}.again" for c in CHANNELS},
    "grant_bonuses": "bonuses",
    "grant_bonuses_again": "bonuses.again",
    "call_webhooks": "webhooks",
}


def _chunks(ids: Iterable[int]) -> list[list[int]]:
    as_ints = [int(i) for i in ids]  # JSON-only message bodies
    return [as_ints[i : i + MESSAGE_IDS] for i in range(0, len(as_ints), MESSAGE_IDS)]


class BrokerQueue:
    """Implements backend.queue.WorkQueue. The domain calls it after the commit that made the rows."""

    def __init__(self, broker: Broker, prefix: str = ""):
        self.broker = broker
        self.prefix = prefix
        # Declared here (nothing connects yet), so hints can be sent before, or without,
        # any actor in this process.
        for name in sorted(self.queue_names):
            broker.declare_queue(name)

    @property
    def queue_names(self) -> set[str]:
        return {f"{self.prefix}{name}" for name in QUEUES.values()}

    def _send(self, actor: str, ids: Iterable[int]) -> None:
        request_id = REQUEST_ID.get()
        options = {REQUEST_ID_OPTION: request_id} if request_id else {}
        for chunk in _chunks(ids):
            self.broker.enqueue(
                Message(
                    queue_name=f"{self.prefix}{QUEUES[actor]}",
                    actor_name=f"{self.prefix}{actor}",
                    args=(chunk,),
                    kwargs={},
                    options=dict(options),
                )
            )

    def process_events(self, event_ids: list[int]) -> None:
        self._send("process_events", event_ids)

    def advance_entries(self, entry_ids: list[int]) -> None:
        self._send("advance_entries", entry_ids)

    def deliver(self, channel: str, communication_ids: list[int], *, again: bool = False) -> None:
        actor = f"deliver_{channel.lower()}" + ("_again" if again else "")
        if actor not in QUEUES:
            raise ValueError(f"no delivery queue for channel {channel!r}")
        self._send(actor, communication_ids)

    def grant_bonuses(self, bonus_ids: list[int], *, again: bool = False) -> None:
        self._send("grant_bonuses_again" if again else "grant_bonuses", bonus_ids)

    def call_webhooks(self, call_ids: list[int]) -> None:
        self._send("call_webhooks", call_ids)
