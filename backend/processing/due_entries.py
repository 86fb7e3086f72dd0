"""Which due entries the scheduler tick hints, and under how long a hint lease.

The workers take hinted entries at their own pace (about 1,500 a second on 2 cores),
while the tick runs once a second. Hinting every due entry each tick filled the queue
with several hints an entry at 1,000,000 entries: a 30 s lease ran out while the entry
still waited in the queue, so it was hinted again, and the workers spent their time on
hints of rows already taken. So the tick keeps at most BACKLOG entries hinted and not
yet taken (HintedEntries), and a hint's lease grows with the entries queued ahead of it.

ACTIVE entries and WAITING ones whose timer fired are read apart, each in the order of
its index (one query over both sorted every due row, a third of a second of the
database's time a tick at 1,000,000 ACTIVE entries), and share each tick's hints, so
neither kind waits for the other's backlog to clear.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session

from backend.dialect import one_of
from backend.models import Entry
from backend.segments.entries import lease_for

# Hinted entries not yet taken, at most: enough for the workers to stay busy between two
# ticks at 20,000 entries a second, few enough that a hint is taken within its lease.
BACKLOG = 40_000


# HintedEntries follows at most this many ids of each tick's hints, each standing for its share.
SAMPLE = 500


class HintedEntries:
    """The entries this scheduler hinted whose hint may still wait in the queue. Kept in
    memory, as a count to pace the hints by, never as the truth: an entry is hinted
    because its row is due, and a scheduler that starts anew knows of no backlog, so it
    hints one tick's worth before it knows better. Of a tick's hints it follows an even
    sample of at most SAMPLE ids (all of them when fewer): looking up all 40,000 each
    tick took the database more time than the tick's other queries together."""

    def __init__(self) -> None:
        self.batches: list[tuple[float, list[int]]] = []  # (entries an id stands for, ids)

    def backlog(self, session: Session, now: datetime) -> int:
        """About how many are still under their hint lease: not taken by a worker (a
        batch lifts the lease of the entries it moves or skips) and not run out."""
        followed = [pk for _, ids in self.batches for pk in ids]
        if not followed:
            return 0
        still_leased = select(Entry.id).where(one_of(session, Entry.id, followed), Entry.claimed_until >= now)
        still = set(session.scalars(still_leased))
        self.batches = [(weight, kept) for weight, ids in self.batches if (kept := [pk for pk in ids if pk in still])]
        return round(sum(weight * len(ids) for weight, ids in self.batches))

    def add(self, ids: list[int]) -> None:
        if ids:
            sample = ids[:: -(-len(ids) // SAMPLE)]
            self.batches.append((len(ids) / len(sample), sample))


def _waiting_due(now: datetime) -> ColumnElement[bool]:
    # A wait_for_event with no timeout has no wake_at: only its event moves it.
    return (Entry.status == "WAITING") & (Entry.wake_at <= now)


def _active() -> ColumnElement[bool]:
    return Entry.status == "ACTIVE"


def _is_due(now: datetime) -> ColumnElement[bool]:
    return _active() | _waiting_due(now)


def _unleased(now: datetime) -> ColumnElement[bool]:
    return Entry.claimed_until.is_(None) | (Entry.claimed_until < now)


def _lease_free(session: Session, due: ColumnElement[bool], now: datetime, limit: int) -> list[int]:
    """In the order of ix_entries_status_wake, so the database reads no more than the
    leased rows it skips and `limit` others, whatever the number due."""
    return list(session.scalars(select(Entry.id).where(due, _unleased(now)).order_by(Entry.wake_at).limit(limit)))


def share(budget: int, first: list[int], second: list[int]) -> list[int]:
    """Up to `budget` ids, half from each list; what one list cannot fill goes to the other."""
    half = budget // 2
    take_first = min(len(first), max(half, budget - len(second)))
    take_second = min(len(second), budget - take_first)
    return first[:take_first] + second[:take_second]


def hint_due_entries(
    session: Session, now: datetime, *, limit: int, base_lease: timedelta, hinted: HintedEntries
) -> list[int]:
    """Leases up to `limit` due entries not under a hint lease, fewer when the backlog of
    hinted ones is near BACKLOG, and returns their ids. The update repeats the due
    condition, so an entry a worker moved meanwhile is neither leased nor hinted."""
    backlog = hinted.backlog(session, now)
    budget = max(0, min(limit, BACKLOG - backlog))
    if not budget:
        return []
    waiting = _lease_free(session, _waiting_due(now), now, budget)
    active = _lease_free(session, _active(), now, budget)
    chosen = share(budget, waiting, active)
    ids = _lease(session, chosen, now, lease_for(now, backlog + len(chosen), base_lease))
    hinted.add(ids)
    return ids


def _lease(session: Session, ids: list[int], now: datetime, until: datetime) -> list[int]:
    leased: list[int] = []
    for start in range(0, len(ids), 1_000):
        chunk = ids[start : start + 1_000]
        stmt: Any = (
            update(Entry)
            .where(one_of(session, Entry.id, chunk), _is_due(now), _unleased(now))
            # A lease changes nothing of the entry, so its `updated_at` stays as it was.
            .values(claimed_until=until, updated_at=Entry.updated_at)
            .returning(Entry.id)
        )
        leased.extend(session.scalars(stmt, execution_options={"synchronize_session": False}))
    return sorted(leased)
