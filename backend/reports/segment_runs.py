"""The runs of a scheduled segment journey, newest first."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import SegmentRun


def segment_runs(session: Session, journey_id: int, limit: int) -> list[SegmentRun]:
    """The caller has seen the journey itself (access groups are the journey's)."""
    stmt = (
        select(SegmentRun)
        .where(SegmentRun.journey_id == journey_id)
        .order_by(SegmentRun.scheduled_for.desc(), SegmentRun.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))
