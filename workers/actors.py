"""Thin actors: JSON ids in, one processor call, safe to run twice.

Each actor is a module-level function that takes the process's `Services` first and
calls its processor directly. `declare_actors` binds them to the services and
declares them on the broker the runtime built (never at import time), so nothing
connects anywhere when this module loads.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import dramatiq
from dramatiq.broker import Broker

from backend.processing import bonuses, delivery, entries, events, webhooks
from backend.services import Services
from workers.queue_adapter import QUEUES

# A batch that runs longer than this is cut off (rolled back); its rows stay due and the tick hints them again.
TIME_LIMIT_MS = 120_000
# A couple of quick retries ride out a passing failure (a lock, a dropped connection);
# after that the row waits for the scheduler tick, which hints it again once its lease runs out.
MAX_RETRIES = 2
MIN_BACKOFF_MS = 1_000
MAX_BACKOFF_MS = 10_000
# The "again" lanes (queue_adapter.QUEUES): taken before fresh work a worker has fetched.
AGAIN_PRIORITY = -10


def process_events(services: Services, event_ids: list[int]) -> None:
    events.process_events(services, event_ids=event_ids)


def advance_entries(services: Services, entry_ids: list[int]) -> None:
    entries.advance_entries(services, entry_ids=entry_ids)


def deliver(services: Services, channel: str, communication_ids: list[int]) -> None:
    delivery.deliver(services, channel=channel, communication_ids=communication_ids)


def grant_bonuses(services: Services, bonus_ids: list[int]) -> None:
    bonuses.grant(services, bonus_ids=bonus_ids)


def call_webhooks(services: Services, call_ids: list[int]) -> None:
    webhooks.call_webhooks(services, call_ids=call_ids)


@dataclass(frozen=True)
class ActorSpec:
    name: str  # the actor's name in QUEUES, before the deployment's prefix
    fn: Callable[..., None]
    # Arguments fixed at declaration, between the services and the message's ids.
    bound: tuple[str, ...] = ()
    # Lower goes first among the messages a worker has fetched (Dramatiq's actor priority).
    priority: int = 0


ACTORS = (
    ActorSpec("process_events", process_events),
    ActorSpec("advance_entries", advance_entries),
    *(ActorSpec(f"deliver_{c.lower()}", deliver, (c,)) for c in ("EMAIL", "SMS", "PUSH", "IVR", "POPUP")),
    *(
        ActorSpec(f"deliver_{c.lower()}_again", deliver, (c,), priority=AGAIN_PRIORITY)
        for c in ("EMAIL", "SMS", "PUSH", "IVR", "POPUP")
    ),
    ActorSpec("grant_bonuses", grant_bonuses),
    ActorSpec("grant_bonuses_again", grant_bonuses, priority=AGAIN_PRIORITY),
    ActorSpec("call_webhooks", call_webhooks),
)


def declare_actors(
    broker: Broker, services: Services, *, prefix: str = "", time_limit_ms: int = TIME_LIMIT_MS
) -> list[dramatiq.Actor[..., None]]:
    """Declares every actor on `broker`, bound to `services`. Queue and actor names carry
    `prefix`, so several deployments can share one broker."""
    declared = []
    for spec in ACTORS:
        bound = functools.update_wrapper(functools.partial(spec.fn, services, *spec.bound), spec.fn)
        declared.append(
            dramatiq.actor(
                broker=broker,
                actor_name=f"{prefix}{spec.name}",
                queue_name=f"{prefix}{QUEUES[spec.name]}",
                max_retries=MAX_RETRIES,
                min_backoff=MIN_BACKOFF_MS,
                max_backoff=MAX_BACKOFF_MS,
                time_limit=time_limit_ms,
                priority=spec.priority,
            )(bound)
        )
    return declared
