"""The runs of scheduled segment journeys."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, BigId, UTCDateTime


class SegmentRun(Base):
    """One capture of a SCHEDULED_SEGMENT journey's segment. One row per (journey,
    cron time): the key that keeps two schedulers, or a repeated run, from capturing twice."""

    __tablename__ = "segment_runs"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    journey_id: Mapped[int] = mapped_column(ForeignKey("journeys.id", ondelete="CASCADE"))
    scheduled_for: Mapped[datetime] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    matched: Mapped[int] = mapped_column(default=0)
    selected: Mapped[int] = mapped_column(default=0)
    entered: Mapped[int] = mapped_column(default=0)
    refused: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        UniqueConstraint("journey_id", "scheduled_for"),
        # Runs a stopped scheduler left unfinished, found by every tick: almost always none.
        Index(
            "ix_segment_runs_unfinished",
            "started_at",
            postgresql_where=text("finished_at IS NULL"),
            sqlite_where=text("finished_at IS NULL"),
        ),
    )
