"""Keeping the send lease of a chunk of messages while it is being sent.

A claim's lease says how long other workers keep off its rows; once it runs out, the
tick puts them back to QUEUED, to be sent again. It must outlast the send, yet a
worker that dies (a SIGKILL, the OOM killer) holds its rows for as long as the lease
has left. So the lease is short and a thread renews it while the chunk is sent: a
live worker keeps its rows however long its provider takes, and a dead one's rows
are due again within one lease (45 s), not after the longest a chunk could take.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from types import TracebackType
from typing import Protocol

from sqlalchemy import update

from backend.models import Communication
from backend.persistence.database import Database

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=45)
# Seconds between renewals: three of them fit in a lease, so one that fails (the
# database restarting) leaves time for the next.
RENEW_EVERY = 10.0


class Leased(Protocol):
    id: int
    lease: datetime


class LeaseKeeper:
    """Renews the lease of `items` every RENEW_EVERY seconds until the block ends. Each
    item's `lease` follows what was written, so the record that follows finds the row
    still held; an item whose row no longer holds the lease (taken back by the tick)
    is left as it is and its outcome is recorded as late."""

    def __init__(self, db: Database, clock: Callable[[], datetime], items: list[Leased], every: float = RENEW_EVERY):
        self.db, self.clock, self.every = db, clock, every
        self.items = [i for i in items if i.lease == items[0].lease] if items else []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="lease-keeper", daemon=True)

    def __enter__(self) -> LeaseKeeper:
        if self.items:
            self._thread.start()
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            try:
                self.renew()
            except Exception as exc:  # the next renewal may work; the lease has room for it
                log.warning("could not renew the send lease of %d messages (%s)", len(self.items), type(exc).__name__)

    def renew(self) -> None:
        if not self.items:
            return
        held, new = self.items[0].lease, self.clock() + LEASE
        if new <= held:
            return
        c = Communication.__table__
        with self.db.unit_of_work() as uow:
            renewed = set(
                uow.session.scalars(
                    update(c)
                    .where(c.c.id.in_([i.id for i in self.items]), c.c.claimed_until == held)
                    .values(claimed_until=new)
                    .returning(c.c.id)
                )
            )
        for item in self.items:
            if item.id in renewed:
                item.lease = new
        self.items = [i for i in self.items if i.id in renewed]
