"""The frequency cap: at most N messages per user per channel a day (UTC).

The journeys check it when they queue a message, counting what is queued and what went
out today; the delivery worker checks it again when it claims a message, under a
per-user lock, counting what went out, since two batches for one user may have queued
at once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.models import Communication

# Messages that reached, or are reaching, the user: these count toward the day.
WENT_OUT = ("SENDING", "SENT", "DELIVERED")


def day_start(now: datetime) -> datetime:
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def sent_today(
    session: Session, user_ids: Iterable[int], now: datetime, *, queued_too: bool, channel: str | None = None
) -> dict[int, dict[str, int]]:
    """user id -> channel -> messages today."""
    c = Communication
    stmt = (
        select(c.user_id, c.channel, func.count())
        .where(
            c.user_id.in_(sorted(set(user_ids))),
            c.queued_at >= day_start(now),
            c.status.in_(WENT_OUT + (("QUEUED",) if queued_too else ())),
        )
        .group_by(c.user_id, c.channel)
    )
    if channel is not None:
        stmt = stmt.where(c.channel == channel)
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for uid, ch, n in session.execute(stmt):
        out[uid][ch] = n
    return out


def cap_reason(cap: int, channel: str) -> str:
    return f"frequency cap: {cap} {channel} messages a day"
