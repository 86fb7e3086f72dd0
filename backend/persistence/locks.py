"""Locks that serialize work per user without touching the users' rows.

Row locks on `users` would fight with the engine's batches, which take key-share locks
on users through the foreign keys of the rows they insert and then update users'
points: two transactions taking the two kinds in different orders deadlock.
Transaction-scoped advisory locks on (purpose, user) meet only each other; taken in
user order, they cannot deadlock among themselves. SQLite has one writer at a time,
which serializes everything already.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import text
from sqlalchemy.orm import Session

# The first key of each purpose: "QF" + channel for the frequency cap, "QB" for bonus
# grants, "QC" for captures into journeys (a new entry's round).
PURPOSES = {
    "bonus_cap": 0x51420000,
    "capture": 0x51430000,
    **{f"frequency_cap:{c}": 0x51460000 + i for i, c in enumerate(("EMAIL", "SMS", "POPUP", "PUSH", "IVR"))},
}


def lock_users(session: Session, purpose: str, user_ids: Iterable[int]) -> None:
    """Holds (purpose, user) for each user until the transaction ends; waits for whoever holds one."""
    if session.get_bind().dialect.name != "postgresql":
        return
    keys = sorted({user_id % 2**31 for user_id in user_ids})
    if not keys:
        return
    # One statement; unnest keeps the array's (sorted) order, so the locks are taken in it.
    session.execute(
        text("SELECT count(pg_advisory_xact_lock(:k, u)) FROM unnest(CAST(:us AS integer[])) AS u"),
        {"k": PURPOSES[purpose], "us": keys},
    )
