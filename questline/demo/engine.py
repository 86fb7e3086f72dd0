"""The product's workers, run in this process on a simulated clock.

Everything the demo writes after its set-up goes through the engine as a deployment
runs it: the scheduler tick finds due rows, the event and entry processors move the
entries, the delivery worker sends through its adapters, the wallet worker grants.
They run with `Services` whose clock is the simulated one (`SimClock`), and are handed
that time as `now`. A few writes take the wall clock whatever they are given (a grant
the wallet answered, the operator's services, intake's arrival time); `Restamp` moves
exactly those rows, set-based, to the simulated moment they happened in, so the
history reads as weeks, not seconds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

import httpx
from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from backend import outbound
from backend.models import Bonus, Communication, Entry, EntryStep
from backend.persistence.database import Database
from backend.processing.bonuses import grant
from backend.processing.delivery import deliver
from backend.processing.entries import advance_entries
from backend.processing.events import process_events
from backend.processing.scheduler import tick
from backend.services import Services

T = TypeVar("T")
CHUNK = 500


def chunks(ids: list[T], size: int = CHUNK) -> Iterable[list[T]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


class SimClock:
    """The story's time: the engine asks it where it would ask the wall clock."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class HintQueue:
    """The work queue the processors hint after their commits; the demo runs the work."""

    def __init__(self) -> None:
        self.events: list[int] = []
        self.entries: list[int] = []
        self.deliveries: dict[str, list[int]] = defaultdict(list)
        self.bonuses: list[int] = []
        self.webhooks: list[int] = []

    def process_events(self, event_ids: list[int]) -> None:
        self.events += event_ids

    def advance_entries(self, entry_ids: list[int]) -> None:
        self.entries += entry_ids

    def deliver(self, channel: str, communication_ids: list[int], *, again: bool = False) -> None:
        self.deliveries[channel] += communication_ids

    def grant_bonuses(self, bonus_ids: list[int], *, again: bool = False) -> None:
        self.bonuses += bonus_ids

    def call_webhooks(self, call_ids: list[int]) -> None:
        self.webhooks += call_ids

    def take(self, name: str) -> list[int]:
        ids = sorted(set(getattr(self, name)))
        setattr(self, name, [])
        return ids

    def take_deliveries(self) -> dict[str, list[int]]:
        out = {channel: sorted(set(ids)) for channel, ids in self.deliveries.items() if ids}
        self.deliveries.clear()
        return out


def stamped(table: Table, column: str, at: datetime) -> dict[str, Any]:
    """The values that set one stamp: `updated_at` is kept as it is, or the UPDATE
    itself would stamp it with the wall clock (the models' onupdate)."""
    values: dict[str, Any] = {column: at}
    if column != "updated_at" and "updated_at" in table.c:
        values["updated_at"] = table.c.updated_at
    return values


@dataclass
class Restamp:
    """Moves wall-clock stamps (those at or after `since`, the moment the demo began)
    to the simulated time. Simulated times are all earlier than `since`, so a stamp at
    or after it can only have come from the wall clock during this run."""

    db: Database
    since: datetime

    def table(self, table: Table, columns: Iterable[str], key: str, ids: list[int], at: datetime) -> None:
        with self.db.unit_of_work() as uow:
            self._table(uow.session, table, columns, key, ids, at)

    def _table(
        self, session: Session, table: Table, columns: Iterable[str], key: str, ids: list[int], at: datetime
    ) -> None:
        for column in columns if ids else ():
            col = table.c[column]
            for part in chunks(ids):
                session.execute(
                    update(table).where(table.c[key].in_(part), col >= self.since).values(stamped(table, column, at))
                )

    def entries(self, entry_ids: list[int], at: datetime) -> None:
        with self.db.unit_of_work() as uow:
            self._entries(uow.session, entry_ids, at)

    def _entries(self, session: Session, entry_ids: list[int], at: datetime) -> None:
        columns = ("entered_at", "step_entered_at", "progress_at", "updated_at", "wake_at", "stopped_at")
        self._table(session, Entry.__table__, columns, "id", entry_ids, at)
        self._table(session, EntryStep.__table__, ("entered_at", "left_at"), "entry_id", entry_ids, at)

    def granted(self, ids: list[int], entry_ids: list[int], at: datetime) -> None:
        """After the wallet worker: the grant times, the retries, the outcome lines in the entries' logs."""
        with self.db.unit_of_work() as uow:
            self._table(uow.session, Bonus.__table__, ("granted_at", "created_at"), "id", ids, at)
            self._retries(uow.session, ids, at)
            self._entries(uow.session, entry_ids, at)

    def _retries(self, session: Session, ids: list[int], at: datetime) -> None:
        """A retry set by the wall clock comes after its back-off from the simulated time."""
        rows = [
            {"pk": pk, "next": at + outbound.backoff(max(1, tries))}
            for part in chunks(ids)
            for pk, tries in session.execute(
                select(Bonus.id, Bonus.attempts).where(Bonus.id.in_(part), Bonus.next_attempt_at >= self.since)
            )
        ]
        if rows:
            table = Bonus.__table__
            session.execute(
                update(table).where(table.c.id == bindparam("pk")).values(next_attempt_at=bindparam("next")), rows
            )


@dataclass
class Sent:
    """A communication as the delivery worker left it, for the players to react to."""

    id: int
    user_id: int
    entry_id: int | None
    channel: str
    resource_id: int
    status: str
    sent_at: datetime | None


@dataclass
class Engine:
    services: Services
    clock: SimClock
    queue: HintQueue
    # Ids of the messages the channels' adapters handed over (see providers.Outbox).
    outbox: list[int]
    wallet: httpx.Client
    restamp: Restamp
    on_sent: Callable[[list[Sent], datetime], None] = field(default=lambda rows, now: None)

    def run(self, now: datetime, *, send: bool = True) -> None:
        """Works until nothing is due at `now`: what a deployment's workers do between two ticks.
        Without `send`, messages and bonuses stay queued for the workers of the real clock."""
        self.clock.now = now
        tick(self.services, now=now)
        while self.queue.events or self.queue.entries or (send and (self.queue.deliveries or self.queue.bonuses)):
            for part in chunks(self.queue.take("events"), 1000):
                process_events(self.services, event_ids=part, now=now)
            for part in chunks(self.queue.take("entries"), 1000):
                advance_entries(self.services, entry_ids=part, now=now)
            if send:
                for channel, ids in self.queue.take_deliveries().items():
                    deliver(self.services, channel=channel, communication_ids=ids, now=now)
                self.grant(self.queue.take("bonuses"), now)
        self.queue.webhooks.clear()  # the demo's journeys have no webhook steps
        self._hand_over(now)

    def grant(self, ids: list[int], now: datetime) -> None:
        if not ids:
            return
        grant(self.services, bonus_ids=ids, client=self.wallet, now=now)
        with self.services.db.read() as session:
            entry_ids = [
                e for part in chunks(ids) for e in session.scalars(select(Bonus.entry_id).where(Bonus.id.in_(part)))
            ]
        self.restamp.granted(ids, sorted({e for e in entry_ids if e is not None}), now)

    def _hand_over(self, now: datetime) -> None:
        """The messages that left reach their players, who may react."""
        ids = sorted(set(self.outbox))
        self.outbox.clear()
        c = Communication
        with self.services.db.read() as session:
            rows = [
                Sent(*row)
                for part in chunks(ids)
                for row in session.execute(
                    select(c.id, c.user_id, c.entry_id, c.channel, c.resource_id, c.status, c.sent_at)
                    .where(c.id.in_(part), c.status == "SENT")
                    .order_by(c.id)
                )
            ]
        self.on_sent(rows, now)
