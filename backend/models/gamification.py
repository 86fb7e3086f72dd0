"""Bonuses, the points ledger, levels, badges and missions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.statuses import BonusStatus, check_in

from .base import Base, BigId, Json, UTCDateTime, utcnow


class BonusTemplate(Base):
    __tablename__ = "bonus_templates"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(64))
    amount: Mapped[float] = mapped_column(Float)
    currency: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Bonus(Base):
    """One grant. PENDING rows are pending work for the wallet actor."""

    __tablename__ = "bonuses"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    # (entry, step, visit), (mission, user) or the manual requestId.
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    template_id: Mapped[int] = mapped_column(ForeignKey("bonus_templates.id"))
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"))
    journey_id: Mapped[int | None] = mapped_column(ForeignKey("journeys.id", ondelete="CASCADE"))
    mission_id: Mapped[int | None] = mapped_column(ForeignKey("missions.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="PENDING")
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    granted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint(check_in("status", BonusStatus), name="status"),
        Index("ix_bonuses_pending", "status", "next_attempt_at"),
        Index("ix_bonuses_user_created", "user_id", "created_at"),
        Index("ix_bonuses_entry", "entry_id"),
    )


class PointsLedger(Base):
    """Append-only: the truth of a user's points. `users.points` is rebuilt from it."""

    __tablename__ = "points_ledger"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    amount: Mapped[int] = mapped_column()
    reason: Mapped[str] = mapped_column(String(500))
    # journey_step, mission or manual
    source: Mapped[str] = mapped_column(String(16))
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("entries.id", ondelete="SET NULL"))
    mission_id: Mapped[int | None] = mapped_column(ForeignKey("missions.id", ondelete="SET NULL"))
    created_by: Mapped[str | None] = mapped_column(String(150))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        Index("ix_points_ledger_user_created", "user_id", "created_at"),
        Index("ix_points_ledger_created", "created_at"),
    )


class Level(Base):
    __tablename__ = "levels"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    threshold: Mapped[int] = mapped_column(unique=True)


class Badge(Base):
    __tablename__ = "badges"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    rule: Mapped[dict[str, Any]] = mapped_column(Json)
    # Event names the rule reads: only those events re-evaluate it.
    event_names: Mapped[list[str]] = mapped_column(Json, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class BadgeAward(Base):
    __tablename__ = "badge_awards"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    badge_id: Mapped[int] = mapped_column(ForeignKey("badges.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    awarded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("badge_id", "user_id"),
        Index("ix_badge_awards_user", "user_id"),
    )


class Mission(Base):
    __tablename__ = "missions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    goal: Mapped[dict[str, Any]] = mapped_column(Json)
    reward: Mapped[dict[str, Any]] = mapped_column(Json)
    event_name: Mapped[str] = mapped_column(String(120), index=True)
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MissionProgress(Base):
    __tablename__ = "mission_progress"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    mission_id: Mapped[int] = mapped_column(ForeignKey("missions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    target: Mapped[float] = mapped_column(Float)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        UniqueConstraint("mission_id", "user_id"),
        Index("ix_mission_progress_user", "user_id"),
    )
