"""The domain's WorkQueue, carried by Dramatiq messages of at most MESSAGE_IDS ids each."""

from __future__ import annotations

from collections.abc import Iterable

from workers.actors import Actors

MESSAGE_IDS = 1_000


def _chunks(ids: Iterable[int]) -> list[list[int]]:
    as_ints = [int(i) for i in ids]  # JSON-only message bodies
    return [as_ints[i : i + MESSAGE_IDS] for i in range(0, len(as_ints), MESSAGE_IDS)]


class BrokerQueue:
    """Implements backend.queue.WorkQueue. The domain calls it after the commit that made the rows."""

    def __init__(self, actors: Actors):
        self.actors = actors

    def process_events(self, event_ids: list[int]) -> None:
        for chunk in _chunks(event_ids):
            self.actors.process_events.send(chunk)

    def advance_entries(self, entry_ids: list[int]) -> None:
        for chunk in _chunks(entry_ids):
            self.actors.advance_entries.send(chunk)

    def deliver(self, channel: str, communication_ids: list[int]) -> None:
        actor = self.actors.deliver.get(channel.lower())
        if actor is None:
            raise ValueError(f"no delivery queue for channel {channel!r}")
        for chunk in _chunks(communication_ids):
            actor.send(chunk)

    def grant_bonuses(self, bonus_ids: list[int]) -> None:
        for chunk in _chunks(bonus_ids):
            self.actors.grant_bonuses.send(chunk)

    def call_webhooks(self, call_ids: list[int]) -> None:
        for chunk in _chunks(call_ids):
            self.actors.call_webhooks.send(chunk)
