"""The points ledger: the truth of a user's points. The stored balance changes in the
same transaction as its ledger line and can be rebuilt from the ledger."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from backend.auth.policy import Principal
from backend.errors import DomainError, NotFound
from backend.gamification.badges import POINTS, award_badges
from backend.models import Badge, BadgeAward, Level, Mission, MissionProgress, PointsLedger, User, utcnow
from backend.persistence.bulk import rows_changed
from backend.persistence.database import UnitOfWork

MAX_ADJUSTMENT = 1_000_000_000
# A balance stays where GraphQL's Int (32 bits) can show it.
MAX_BALANCE = 2_000_000_000


def adjust_points(uow: UnitOfWork, *, principal: Principal, external_id: str, amount: int, reason: str) -> User:
    if amount == 0 or abs(amount) > MAX_ADJUSTMENT:
        raise DomainError(
            "INVALID_INPUT",
            f"amount must be a whole number from -{MAX_ADJUSTMENT:,} to {MAX_ADJUSTMENT:,}, not 0",
            ["amount"],
        )
    if not reason or not reason.strip() or len(reason) > 500:
        raise DomainError("INVALID_INPUT", "reason must be 1 to 500 characters", ["reason"])
    session = uow.session
    # No row lock: `points = points + amount` is atomic, and a lock here could meet the
    # engine's batches, which lock users in another mode and order.
    user = session.scalar(select(User).where(User.external_id == external_id))
    if user is None:
        raise NotFound("user", ["externalId"])
    session.add(
        PointsLedger(
            user_id=user.id, amount=amount, reason=reason.strip(), source="manual", created_by=principal.username
        )
    )
    moved = rows_changed(
        session,
        update(User)
        .where(User.id == user.id, (User.points + amount).between(-MAX_BALANCE, MAX_BALANCE))
        .values(points=User.points + amount),
    )
    if moved != 1:
        raise DomainError("INVALID_INPUT", f"the balance would leave -{MAX_BALANCE:,} to {MAX_BALANCE:,}", ["amount"])
    uow.flush()
    session.refresh(user)
    award_badges(session, changes={user.id: {POINTS}}, now=utcnow())
    return user


def rebuild_balance(session: Session, user_id: int) -> int:
    total = select(func.coalesce(func.sum(PointsLedger.amount), 0)).where(PointsLedger.user_id == user_id)
    return int(session.scalars(total).one())


def level_for(session: Session, points: int) -> Level | None:
    return session.scalar(select(Level).where(Level.threshold <= points).order_by(Level.threshold.desc()).limit(1))


@dataclass(frozen=True)
class Facts:
    points: int
    level: Level | None
    badges: list[tuple[Badge, datetime]]
    missions: list[tuple[Mission, MissionProgress]]


def facts(session: Session, user_id: int) -> Facts:
    user = session.get_one(User, user_id)
    badges = [
        (badge, awarded_at)
        for badge, awarded_at in session.execute(
            select(Badge, BadgeAward.awarded_at)
            .join(BadgeAward, BadgeAward.badge_id == Badge.id)
            .where(BadgeAward.user_id == user_id)
            .order_by(BadgeAward.awarded_at)
        )
    ]
    missions = [
        (mission, progress)
        for mission, progress in session.execute(
            select(Mission, MissionProgress)
            .join(MissionProgress, MissionProgress.mission_id == Mission.id)
            .where(MissionProgress.user_id == user_id)
            .order_by(Mission.name)
        )
    ]
    return Facts(points=user.points, level=level_for(session, user.points), badges=badges, missions=missions)


def leaderboard(session: Session, since: datetime | None, limit: int) -> list[tuple[int, User, int]]:
    """Ranked by points earned in the period (ledger lines in it, adjustments included);
    all time when no period. Ties share a rank."""
    earned = func.sum(PointsLedger.amount).label("earned")
    stmt = select(PointsLedger.user_id, earned).group_by(PointsLedger.user_id)
    if since is not None:
        stmt = stmt.where(PointsLedger.created_at >= since)
    rows = session.execute(
        stmt.having(func.sum(PointsLedger.amount) > 0).order_by(earned.desc(), PointsLedger.user_id).limit(limit)
    ).all()
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_([r[0] for r in rows])))} if rows else {}
    out, rank, previous = [], 0, None
    for position, (uid, points) in enumerate(rows, start=1):
        if points != previous:
            rank, previous = position, points
        out.append((rank, users[uid], int(points)))
    return out
