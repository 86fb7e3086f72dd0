"""Players (the operator's users) and the events they do."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Numeric, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, BigId, Json, UTCDateTime, utcnow

_SEARCH_KEYS = ("username_lc", "email_lc", "external_id_lc", "phone_digits")


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(200), unique=True)
    username: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(40))
    # Search keys: lower-cased copies for a case-insensitive prefix search, and the
    # phone's digits alone so "+371 2000 0000" is found as "37120000000" or "+3712000".
    username_lc: Mapped[str | None] = mapped_column(String(200))
    email_lc: Mapped[str | None] = mapped_column(String(320))
    external_id_lc: Mapped[str] = mapped_column(String(200))
    phone_digits: Mapped[str | None] = mapped_column(String(40))
    timezone: Mapped[str | None] = mapped_column(String(64))
    attributes: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    opt_outs: Mapped[list[str]] = mapped_column(Json, default=list)
    # Running summaries kept in the same transaction as what changes them, and
    # rebuildable from their source (events, the points ledger).
    points: Mapped[int] = mapped_column(default=0)
    deposit_count: Mapped[int] = mapped_column(default=0)
    deposit_total: Mapped[float] = mapped_column(Numeric(18, 2, asdecimal=False), default=0)
    withdrawal_total: Mapped[float] = mapped_column(Numeric(18, 2, asdecimal=False), default=0)
    last_deposit_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = tuple(
        # Byte-order operator classes on PostgreSQL: an index in the database's
        # linguistic collation cannot serve a prefix search (see backend.dialect.starts_with).
        Index(f"ix_users_{key}", key, postgresql_ops={key: "varchar_pattern_ops"})
        for key in _SEARCH_KEYS
    )


class Event(Base):
    """A tracked event. Rows with `processed_at` NULL are pending work for the engine."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(200), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    properties: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Why the engine put the event by without processing it (its batch could not be written with it).
    error: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_events_user_name_occurred", "user_id", "name", "occurred_at"),
        Index("ix_events_user_occurred", "user_id", "occurred_at"),
        Index(
            "ix_events_pending",
            "received_at",
            postgresql_where=text("processed_at IS NULL"),
            sqlite_where=text("processed_at IS NULL"),
        ),
    )
