"""The domain's WorkQueue, carried by Dramatiq messages."""
from __future__ import annotations

from workers.actors import Actors

MESSAGE_IDS = 1_000


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[i : i + MESSAGE_IDS] for i in range(0, len(ids), MESSAGE_IDS)]


class BrokerQueue:
    def __init__(self, actors: Actors):
        self.actors = actors

    def process_events(self, event_ids: list[int]) -> None:
        for chunk in _chunks(list(event_ids)):
            self.actors.process_events.send(chunk)

    def advance_entries(self, entry_ids: list[int]) -> None:
        for chunk in _chunks(list(entry_ids)):
            self.actors.advance_entries.send(chunk)

    def deliver(self, channel: str, communication_ids: list[int]) -> None:
        actor = self.actors.deliver[channel.lower()]
        for chunk in _chunks(list(communication_ids)):
            actor.send(chunk)

    def grant_bonuses(self, bonus_ids: list[int]) -> None:
        for chunk in _chunks(list(bonus_ids)):
            self.actors.grant_bonuses.send(chunk)

    def call_webhooks(self, call_ids: list[int]) -> None:
        for chunk in _chunks(list(call_ids)):
            self.actors.call_webhooks.send(chunk)
