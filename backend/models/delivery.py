"""Message templates (resources) and every communication sent, or not, to a user."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from backend.statuses import DeliveryStatus, check_in

from .base import Base, BigId, Json, UTCDateTime, utcnow


class Resource(Base):
    __tablename__ = "resources"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    # Unique among resources one operator could see together (backend/catalog.py), not
    # across groups: two groups may each have a "Welcome".
    name: Mapped[str] = mapped_column(String(200), index=True)
    channel: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str | None] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)
    # Like a journey's: empty means open to every operator; otherwise an operator must share one.
    access_groups: Mapped[list[str]] = mapped_column(Json, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    # The communication log finds resources by any part of the name, ignoring case
    # (`lower(name) LIKE '%...%'`). On PostgreSQL a trigram index serves that search
    # (a B-tree on lower(name) where pg_trgm cannot be installed; migration 0008). SQLite
    # has no index for a match inside a string, and the table is small there.
    __table_args__ = (Index("ix_resources_name_search", func.lower(name)).ddl_if(dialect="postgresql"),)


class Communication(Base):
    """One message to one user. QUEUED and expired-SENDING rows are pending work."""

    __tablename__ = "communications"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    # (entry, step, visit) for journey sends: the same step visit never sends twice.
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id"))
    journey_id: Mapped[int | None] = mapped_column(ForeignKey("journeys.id", ondelete="CASCADE"))
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"))
    step_id: Mapped[str | None] = mapped_column(String(120))
    channel: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16), default="QUEUED")
    error: Mapped[str | None] = mapped_column(Text)
    to_address: Mapped[str | None] = mapped_column(String(320))
    subject: Mapped[str | None] = mapped_column(String(500))
    body: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    provider_reference: Mapped[str | None] = mapped_column(String(200))
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    bounced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_open_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    machine_open_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    open_count: Mapped[int] = mapped_column(default=0)
    first_click_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    click_count: Mapped[int] = mapped_column(default=0)
    last_action: Mapped[str | None] = mapped_column(Text)
    last_action_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint(check_in("status", DeliveryStatus), name="status"),
        Index("ix_communications_pending", "status", "channel", "next_attempt_at"),
        Index("ix_communications_journey_queued", "journey_id", "queued_at"),
        Index("ix_communications_user_queued", "user_id", "queued_at"),
        Index("ix_communications_resource_queued", "resource_id", "queued_at"),
        Index("ix_communications_entry", "entry_id"),
        Index("ix_communications_queued", "queued_at"),
    )
