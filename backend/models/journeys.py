"""Journeys, their immutable published versions, entries and the step-by-step log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from backend.statuses import EntryStatus, JourneyStatus, WebhookCallStatus, check_in

from .base import Base, BigId, Json, UTCDateTime, utcnow


class Journey(Base):
    __tablename__ = "journeys"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(Json, default=list)
    access_groups: Mapped[list[str]] = mapped_column(Json, default=list)
    status: Mapped[str] = mapped_column(String(16), default="DRAFT")
    # The published version that new entries start on.
    version: Mapped[int] = mapped_column(default=1)
    # The latest document: the draft being edited, or the newest published version.
    definition: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    # Where the editor draws each step ({step id: {x, y}}); never part of the definition.
    layout: Mapped[dict[str, Any] | None] = mapped_column(Json)
    trigger_kind: Mapped[str] = mapped_column(String(24), default="API")
    # For EVENT journeys: the event name, so intake finds the journeys an event captures for.
    trigger_event: Mapped[str | None] = mapped_column(String(120))
    reentry_mode: Mapped[str] = mapped_column(String(24), default="ONCE")
    freeze_on_stop: Mapped[bool] = mapped_column(default=False)
    control_group_percent: Mapped[float] = mapped_column(Float, default=0.0)
    created_by: Mapped[str | None] = mapped_column(String(150))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint(check_in("status", JourneyStatus), name="status"),
        Index("ix_journeys_status_trigger", "status", "trigger_kind", "trigger_event"),
        Index("ix_journeys_next_run", "next_run_at"),
        Index("ix_journeys_created", "created_at"),
    )


class JourneyVersion(Base):
    """A published definition. Never updated once published, so workers cache it."""

    __tablename__ = "journey_versions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    journey_id: Mapped[int] = mapped_column(ForeignKey("journeys.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column()
    definition: Mapped[dict[str, Any]] = mapped_column(Json)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by: Mapped[str | None] = mapped_column(String(150))

    __table_args__ = (UniqueConstraint("journey_id", "version"),)


class Entry(Base):
    """One user's pass (round) through a journey. Rows due now are pending work."""

    __tablename__ = "entries"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    journey_id: Mapped[int] = mapped_column(ForeignKey("journeys.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    round: Mapped[int] = mapped_column(default=1)
    version: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(16), default="ACTIVE")
    in_control_group: Mapped[bool] = mapped_column(default=False)
    current_step_id: Mapped[str | None] = mapped_column(String(120))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    wake_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the entry arrived at its current step (a wait's log line starts there).
    step_entered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # For wait_for_event: the event name the entry waits on (the where lives in the version).
    waiting_event: Mapped[str | None] = mapped_column(String(120))
    # Lease of the worker that claimed the entry; expired leases are claimed again.
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    progress_name: Mapped[str] = mapped_column(String(120), default="Entered")
    progress_step: Mapped[int] = mapped_column(default=0)
    progress_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    converted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    stop_reason: Mapped[str | None] = mapped_column(String(200))
    blocked_reason: Mapped[str | None] = mapped_column(Text)
    # The status to go back to when a FROZEN entry is thawed.
    frozen_status: Mapped[str | None] = mapped_column(String(16))
    # What a FROZEN entry said before it froze (why it waited), said again when it thaws.
    frozen_reason: Mapped[str | None] = mapped_column(Text)
    reactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # step id -> times visited; a visit number makes effect idempotency keys unique.
    visits: Mapped[dict[str, int]] = mapped_column(Json, default=dict)
    payload: Mapped[dict[str, Any] | None] = mapped_column(Json)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        CheckConstraint(check_in("status", EntryStatus), name="status"),
        CheckConstraint(check_in("frozen_status", EntryStatus, nullable=True), name="frozen_status"),
        UniqueConstraint("journey_id", "user_id", "round"),
        Index("ix_entries_journey_status_step", "journey_id", "status", "current_step_id"),
        Index("ix_entries_journey_entered", "journey_id", "entered_at"),
        Index("ix_entries_journey_control", "journey_id", "in_control_group", "entered_at"),
        Index("ix_entries_user_journey", "user_id", "journey_id"),
        Index("ix_entries_status_wake", "status", "wake_at"),
        Index(
            "ix_entries_waiting_event",
            "user_id",
            "waiting_event",
            postgresql_where=text("waiting_event IS NOT NULL"),
            sqlite_where=text("waiting_event IS NOT NULL"),
        ),
    )


class EntryStep(Base):
    """The step-by-step log of an entry; append-only."""

    __tablename__ = "entry_steps"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"))
    journey_id: Mapped[int] = mapped_column(ForeignKey("journeys.id", ondelete="CASCADE"))
    step_id: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(32))
    name: Mapped[str | None] = mapped_column(String(200))
    visit: Mapped[int] = mapped_column(default=1)
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_entry_steps_entry", "entry_id", "id"),
        Index("ix_entry_steps_journey_outcome", "journey_id", "outcome", "entered_at"),
    )


class WebhookCall(Base):
    """One webhook step visit to post. PENDING rows are pending work for the webhook actor."""

    __tablename__ = "webhook_calls"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    # entry:step:visit, sent as the Idempotency-Key: a retry never becomes a second call.
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"))
    journey_id: Mapped[int] = mapped_column(ForeignKey("journeys.id", ondelete="CASCADE"))
    step_id: Mapped[str] = mapped_column(String(120))
    url: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="PENDING")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    response_status: Mapped[int | None] = mapped_column()
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint(check_in("status", WebhookCallStatus), name="status"),
        Index("ix_webhook_calls_pending", "status", "next_attempt_at"),
    )
