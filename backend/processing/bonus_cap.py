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
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from backend.models import Bonus
from backend.persistence.locks import lock_users


def day_start(now: datetime) -> datetime:
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def cap_reason(cap: int) -> str:
    return f"cancelled: the daily cap of {cap} bonus grant{'s' if cap != 1 else ''} per user is reached"


def cancel_over_cap(session: Session, fresh: Sequence[tuple[int, int]], *, cap: int, now: datetime) -> list[int]:
    """Among bonuses about to get their first try, given as (bonus id, user id), cancels
    those over their user's cap (oldest first keep their place) in one statement;
    returns the cancelled ones' ids."""
    if cap <= 0 or not fresh:
        return []
    user_ids = sorted({user_id for _, user_id in fresh})
    lock_users(session, "bonus_cap", user_ids)
    counted = or_(
        and_(Bonus.status == "GRANTED", Bonus.granted_at >= day_start(now)),
        and_(Bonus.status == "PENDING", Bonus.attempts > 0),
    )
    used = Counter(
        dict(
            session.execute(
                select(Bonus.user_id, func.count())
                .where(Bonus.user_id.in_(user_ids), Bonus.id.not_in([pk for pk, _ in fresh]), counted)
                .group_by(Bonus.user_id)
            ).all()
        )
    )
    cancelled = []
    for bonus_id, user_id in sorted(fresh):
        if used[user_id] >= cap:
            cancelled.append(bonus_id)
        else:
            used[user_id] += 1
    if cancelled:
        session.execute(
            update(Bonus)
            .where(Bonus.id.in_(cancelled))
            .values(status="CANCELLED", error=cap_reason(cap), claimed_until=None)
            .execution_options(synchronize_session=False)
        )
    return cancelled
