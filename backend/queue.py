"""The small interface through which the domain asks for work to be done later.

The domain never imports the broker; the app and worker wiring hand it an object
with these methods, called after the commit that made the rows they name.
"""

from __future__ import annotations

from typing import Any, Protocol


class WorkQueue(Protocol):
    def process_events(self, event_ids: list[int]) -> None: ...

    def advance_entries(self, entry_ids: list[int]) -> None: ...

    # `again`: rows taken back from a worker that died, or tried before. They go on a
    # lane of their own that the workers take first, not behind the backlog of fresh hints.
    def deliver(self, channel: str, communication_ids: list[int], *, again: bool = False) -> None: ...

    def grant_bonuses(self, bonus_ids: list[int], *, again: bool = False) -> None: ...

    def call_webhooks(self, call_ids: list[int]) -> None: ...


class NullQueue:
    """Sends no hints: the scheduler tick finds the rows by itself (tests, CLI tools)."""

    def process_events(self, event_ids: list[int]) -> None:
        pass

    def advance_entries(self, entry_ids: list[int]) -> None:
        pass

    def deliver(self, channel: str, communication_ids: list[int], *, again: bool = False) -> None:
        pass

    def grant_bonuses(self, bonus_ids: list[int], *, again: bool = False) -> None:
        pass

    def call_webhooks(self, call_ids: list[int]) -> None:
        pass


class RecordingQueue(NullQueue):
    """Remembers the hints it was given, for tests that check what was enqueued."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...]]] = []

    def process_events(self, event_ids: list[int]) -> None:
        self.calls.append(("process_events", (list(event_ids),)))

    def advance_entries(self, entry_ids: list[int]) -> None:
        self.calls.append(("advance_entries", (list(entry_ids),)))

    def deliver(self, channel: str, communication_ids: list[int], *, again: bool = False) -> None:
        self.calls.append(("deliver_again" if again else "deliver", (channel, list(communication_ids))))

    def grant_bonuses(self, bonus_ids: list[int], *, again: bool = False) -> None:
        self.calls.append(("grant_bonuses_again" if again else "grant_bonuses", (list(bonus_ids),)))

    def call_webhooks(self, call_ids: list[int]) -> None:
        self.calls.append(("call_webhooks", (list(call_ids),)))
