"""The naive design, as a peer for the benchmarks: one Dramatiq message and one ORM
transaction per user step, on the same database, broker and data.

An event's message captures its user (an `Entry` object added through the session)
and runs the first step; each step commits on its own and sends the message of the
next one (a wait sends it with Dramatiq's delay). Steps: send (a QUEUED
`Communication`), wait, condition (the journey's own predicate) and bonus (a PENDING
`Bonus`), each with an `EntryStep` line, the same rows the engine writes.

Run by the Dramatiq command, which imports this module in each worker process:

    QUESTLINE_DATABASE_URL=... QUESTLINE_BROKER_URL=... dramatiq bench.naive --processes 2 --threads 8
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from typing import Any

import dramatiq
from sqlalchemy import select

from backend.journeys.predicates import Facts, evaluate
from backend.models import Bonus, BonusTemplate, Communication, Entry, EntryStep, Event, Journey, Resource, User, utcnow
from backend.persistence.database import Database

MAX_DELAY_MS = 60_000
QUEUE = f"{os.environ.get('QUESTLINE_QUEUE_PREFIX', '')}naive"


def _broker() -> dramatiq.Broker:
    url = os.environ.get("QUESTLINE_BROKER_URL", "redis://127.0.0.1:6379/0")
    if url.startswith("amqp"):
        from dramatiq.brokers.rabbitmq import RabbitmqBroker

        return RabbitmqBroker(url=url)
    from dramatiq.brokers.redis import RedisBroker

    return RedisBroker(url=url, namespace=f"{os.environ.get('QUESTLINE_QUEUE_PREFIX', '')}naive")


broker = _broker()
dramatiq.set_broker(broker)
_db: Database | None = None


def db() -> Database:
    global _db
    if _db is None:
        _db = Database(os.environ["QUESTLINE_DATABASE_URL"])
    return _db


def use_database(url: str) -> None:
    """The database the messages this process sends refer to (the driver runs several)."""
    global _db
    if _db is not None:
        _db.dispose()
    _db = Database(url)


def start_entries(entry_ids: list[int]) -> None:
    """The naive scheduler: one message for each entry due."""
    for entry_id in entry_ids:
        step.send(entry_id)


@dramatiq.actor(queue_name=QUEUE, max_retries=3)
def capture(event_id: int) -> None:
    """One event: its user enters the (one) journey it triggers and takes the first step."""
    with db().unit_of_work() as uow:
        s = uow.session
        event = s.get(Event, event_id)
        if event is None or event.processed_at is not None:
            return
        journey = s.scalars(
            select(Journey).where(Journey.status == "ACTIVE", Journey.trigger_event == event.name)
        ).first()
        event.processed_at = utcnow()
        if journey is None:
            return
        entry = Entry(journey_id=journey.id, user_id=event.user_id, version=journey.version, status="ACTIVE")
        entry.current_step_id = journey.definition["start"]
        s.add(entry)
        s.flush()
        entry_id = entry.id
    step.send(entry_id)


@dramatiq.actor(queue_name=QUEUE, max_retries=3)
def step(entry_id: int) -> None:
    """One step of one entry, in a transaction of its own; then the message of the next step."""
    with db().unit_of_work() as uow:
        s = uow.session
        entry = s.get(Entry, entry_id, with_for_update=True)
        if entry is None or entry.status not in ("ACTIVE", "WAITING"):
            return
        journey = s.get(Journey, entry.journey_id)
        current = {st["id"]: st for st in journey.definition["steps"]}[entry.current_step_id]
        now = utcnow()
        nxt, delay_ms = _run(s, entry, current, now)
        if nxt != current["id"]:  # a wait's line is written when it is left
            s.add(
                EntryStep(
                    entry_id=entry.id,
                    journey_id=entry.journey_id,
                    step_id=current["id"],
                    kind=current["kind"],
                    visit=1,
                    entered_at=entry.step_entered_at or now,
                    left_at=now,
                    outcome="done",
                )
            )
        entry.current_step_id = nxt
        entry.step_entered_at = now
        entry.status = "COMPLETED" if nxt is None else ("WAITING" if delay_ms else "ACTIVE")
        entry.wake_at = now + timedelta(milliseconds=delay_ms) if delay_ms else None
        status = entry.status
    if status == "COMPLETED" or (delay_ms or 0) > MAX_DELAY_MS:
        return  # a long wait would be found by a timer scan, which the benchmark never reaches
    if delay_ms:
        step.send_with_options(args=(entry_id,), delay=delay_ms)
    else:
        step.send(entry_id)


def _run(s: Any, entry: Entry, current: dict[str, Any], now: datetime) -> tuple[str | None, int | None]:
    kind = current["kind"]
    if kind == "send":
        resource = s.scalars(select(Resource).where(Resource.name == current["resource"])).one()
        user = s.get(User, entry.user_id)
        s.add(
            Communication(
                idempotency_key=f"naive:{entry.id}:{current['id']}",
                user_id=user.id,
                resource_id=resource.id,
                journey_id=entry.journey_id,
                entry_id=entry.id,
                step_id=current["id"],
                channel=resource.channel,
                status="QUEUED",
                to_address=user.email,
                queued_at=now,
                next_attempt_at=now,
                attempts=0,
                open_count=0,
                click_count=0,
            )
        )
        return current.get("next"), None
    if kind == "wait" and entry.status == "ACTIVE":
        return current["id"], int(current["seconds"] * 1000)
    if kind == "wait":
        return current.get("next"), None
    if kind == "condition":
        user = s.get(User, entry.user_id)
        facts = Facts(now=now, user={"financial": {"depositCount": user.deposit_count}})
        return (current["yes"] if evaluate(current["where"], facts) else current["no"]), None
    if kind == "bonus":
        template = s.scalars(select(BonusTemplate).where(BonusTemplate.name == current["template"])).one()
        s.add(
            Bonus(
                idempotency_key=f"naive:{entry.id}:{current['id']}",
                user_id=entry.user_id,
                template_id=template.id,
                entry_id=entry.id,
                journey_id=entry.journey_id,
                source="journey",
                status="PENDING",
                attempts=0,
                next_attempt_at=now,
                created_at=now,
            )
        )
        return current.get("next"), None
    raise ValueError(f"the naive peer has no {kind} step")


class NaiveQueue:
    """What `track_events` hands its event ids to in the naive design: one message each."""

    def process_events(self, event_ids: list[int]) -> None:
        for event_id in event_ids:
            capture.send(int(event_id))
