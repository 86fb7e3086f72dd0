"""previewSegment: how many users a segment matches now, and a few of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.errors import DomainError
from backend.journeys.predicates import fields_read, problems_of
from backend.models import Level, User
from backend.segments.sql import give_memory, matching_users

MAX_SAMPLE = 100


@dataclass(frozen=True)
class SegmentPreview:
    matched: int
    sample: list[User]


def segment_problem(segment: Any) -> str | None:
    """What keeps a predicate from being a segment, in plain words, or None."""
    problems = problems_of(segment, allow_event=False)
    if problems:
        return "; ".join(problems)
    entry_fields = sorted(f for f in fields_read(segment) if f.startswith("entry."))
    if entry_fields:
        return f"a segment cannot read {', '.join(entry_fields)}: a user about to be captured has no entry yet"
    return None


def preview_segment(session: Session, segment: Any, sample: int | None, now: datetime) -> SegmentPreview:
    problem = segment_problem(segment)
    if problem:
        raise DomainError("INVALID_INPUT", f"segment: {problem}", ["segment"])
    size = 10 if sample is None else sample
    if size < 0 or size > MAX_SAMPLE:
        raise DomainError("INVALID_INPUT", f"`sample` must be between 0 and {MAX_SAMPLE}", ["sample"])
    levels = [(threshold, name) for threshold, name in session.execute(select(Level.threshold, Level.name))]
    give_memory(session)
    query = matching_users(segment, dialect=session.get_bind().dialect.name, now=now, levels=levels)
    matched = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    ids = list(session.scalars(query.limit(size))) if size else []
    users = list(session.scalars(select(User).where(User.id.in_(ids)).order_by(User.id))) if ids else []
    return SegmentPreview(matched=matched, sample=users)
