"""Read side of journeys and entries, with access groups applied."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.auth.policy import Principal
from backend.models import Entry, Journey


def visible_journey_ids(
    session: Session, principal: Principal, *, search: str | None = None, status: str | None = None, tag: str | None = None
) -> list[int]:
    """Ids, newest first. Journeys number in the hundreds, so groups and tags (JSON
    lists) are matched here rather than in dialect-specific SQL."""
    stmt = select(Journey.id, Journey.access_groups, Journey.tags).where(Journey.deleted_at.is_(None))
    if status:
        stmt = stmt.where(Journey.status == status)
    if search:
        stmt = stmt.where(Journey.name.ilike(f"%{search.strip()}%"))
    rows = session.execute(stmt.order_by(Journey.id.desc())).all()
    return [
        pk for pk, groups, tags in rows
        if principal.can_see_groups(groups or []) and (tag is None or tag in (tags or []))
    ]


def journeys_by_ids(session: Session, ids: list[int]) -> list[Journey]:
    found = {j.id: j for j in session.scalars(select(Journey).where(Journey.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def visible_journey(session: Session, principal: Principal, journey_id: int) -> Journey | None:
    journey = session.get(Journey, journey_id)
    if journey is None or journey.deleted_at is not None or not principal.can_see_groups(journey.access_groups or []):
        return None
    return journey


def visible_entry(session: Session, principal: Principal, entry_id: int) -> Entry | None:
    entry = session.get(Entry, entry_id)
    if entry is None or visible_journey(session, principal, entry.journey_id) is None:
        return None
    return entry
