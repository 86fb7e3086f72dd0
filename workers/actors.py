"""Thin actors: JSON ids in, one backend call, safe to run twice.

They are declared on the broker the runtime built (not at import time), with the
handlers that do the work, so nothing connects anywhere when this module loads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import dramatiq
from dramatiq.broker import Broker

CHANNELS = ("email", "sms", "push", "ivr", "popup")
# A batch that runs longer than this is cut off (rolled back); its rows stay due and the tick hints them again.
TIME_LIMIT_MS = 120_000
# A couple of quick retries ride out a passing failure (a lock, a dropped connection);
# after that the row waits for the scheduler tick, which hints it again once its lease runs out.
MAX_RETRIES = 2
MIN_BACKOFF_MS = 1_000
MAX_BACKOFF_MS = 10_000


@dataclass(frozen=True)
class Handlers:
    """What each actor calls. Each takes ids, does its work in its own transactions and
    sends follow-up hints after commit; running one twice does no harm."""

    process_events: Callable[[list[int]], None]
    advance_entries: Callable[[list[int]], None]
    deliver: Callable[[str, list[int]], None]
    grant_bonuses: Callable[[list[int]], None]
    call_webhooks: Callable[[list[int]], None]


@dataclass(frozen=True)
class Actors:
    process_events: Any
    advance_entries: Any
    deliver: dict[str, Any]
    grant_bonuses: Any
    call_webhooks: Any

    @property
    def all(self) -> list[Any]:
        return [
            self.process_events,
            self.advance_entries,
            *self.deliver.values(),
            self.grant_bonuses,
            self.call_webhooks,
        ]

    @property
    def queue_names(self) -> set[str]:
        return {a.queue_name for a in self.all}


def declare_actors(
    broker: Broker, handlers: Handlers, prefix: str = "", *, time_limit_ms: int = TIME_LIMIT_MS
) -> Actors:
    """Declares the actors on `broker`. Queue and actor names carry `prefix`, so several
    deployments can share one broker."""

    def declare(fn: Callable[..., None], name: str, queue: str) -> Any:
        return dramatiq.actor(
            fn,
            broker=broker,
            actor_name=f"{prefix}{name}",
            queue_name=f"{prefix}{queue}",
            max_retries=MAX_RETRIES,
            min_backoff=MIN_BACKOFF_MS,
            max_backoff=MAX_BACKOFF_MS,
            time_limit=time_limit_ms,
            # A processor not built yet is expected, not a failure worth retrying.
            throws=(NotImplementedError,),
        )

    def process_events(event_ids: list[int]) -> None:
        handlers.process_events(event_ids)

    def advance_entries(entry_ids: list[int]) -> None:
        handlers.advance_entries(entry_ids)

    def grant_bonuses(bonus_ids: list[int]) -> None:
        handlers.grant_bonuses(bonus_ids)

    def call_webhooks(call_ids: list[int]) -> None:
        handlers.call_webhooks(call_ids)

    def deliverer(channel: str) -> Callable[[list[int]], None]:
        def deliver(communication_ids: list[int]) -> None:
            handlers.deliver(channel.upper(), communication_ids)

        return deliver

    return Actors(
        process_events=declare(process_events, "process_events", "events"),
        advance_entries=declare(advance_entries, "advance_entries", "entries"),
        deliver={c: declare(deliverer(c), f"deliver_{c}", f"delivery.{c}") for c in CHANNELS},
        grant_bonuses=declare(grant_bonuses, "grant_bonuses", "bonuses"),
        call_webhooks=declare(call_webhooks, "call_webhooks", "webhooks"),
    )
