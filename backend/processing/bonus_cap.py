"""The daily cap of bonus grants per user (QUESTLINE_BONUS_DAILY_CAP; 0 = no cap).

A bonus counts toward its user's day once its first try is claimed: those GRANTED
since the start of the day (UTC) and those still PENDING at the wallet with a try
started. A bonus over the cap is CANCELLED before any try, with the reason in
`error`; it is not kept for the next day, so a cap never sends a grant the operator
did not expect to arrive late.

Two workers may claim bonuses of one user at the same moment: each takes the user's
bonus-cap lock before counting (`backend.persistence.locks`; SQLite has one writer at
a time anyway), so the second counts what the first admitted.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from backend.models import Bonus
from backend.persistence.locks import lock_users


def day_start(now: datetime) -> datetime:
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def cap_reason(cap: int) -> str:
    return f"cancelled: the daily cap of {cap} bonus grant{'s' if cap != 1 else ''} per user is reached"


def cancel_over_cap(session: Session, fresh: list[Bonus], *, cap: int, now: datetime) -> list[Bonus]:
    """Among bonuses about to get their first try, cancels those over their user's cap
    (oldest first keep their place); returns the cancelled ones."""
    if cap <= 0 or not fresh:
        return []
    user_ids = sorted({b.user_id for b in fresh})
    lock_users(session, "bonus_cap", user_ids)
    counted = or_(
        and_(Bonus.status == "GRANTED", Bonus.granted_at >= day_start(now)),
        and_(Bonus.status == "PENDING", Bonus.attempts > 0),
    )
    used = Counter(
        dict(
            session.execute(
                select(Bonus.user_id, func.count())
                .where(Bonus.user_id.in_(user_ids), Bonus.id.not_in([b.id for b in fresh]), counted)
                .group_by(Bonus.user_id)
            ).all()
        )
    )
    cancelled = []
    for bonus in sorted(fresh, key=lambda b: b.id):
        if used[bonus.user_id] >= cap:
            bonus.status, bonus.error, bonus.claimed_until = "CANCELLED", cap_reason(cap), None
            cancelled.append(bonus)
        else:
            used[bonus.user_id] += 1
    return cancelled
