"""Pop-ups waiting for their player: SENT (published) but not yet shown or dismissed.

A player who was not connected when a pop-up was sent gets it at the next
connection; so does one whose client never said SHOWN. After POPUP_KEEP a pop-up
is stale and no longer offered."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from backend.models import Communication

POPUP_KEEP = timedelta(days=7)
PENDING_LIMIT = 50


def _waiting(user_id: int) -> list[ColumnElement[bool]]:
    c = Communication
    return [c.user_id == user_id, c.channel == "POPUP", c.status == "SENT", c.last_action.is_(None)]


def pending_popups(session: Session, user_id: int, now: datetime) -> list[Communication]:
    """The newest waiting pop-ups, oldest first."""
    c = Communication
    newest = list(
        session.scalars(
            select(c)
            .where(*_waiting(user_id), c.queued_at >= now - POPUP_KEEP)
            .order_by(c.queued_at.desc(), c.id.desc())
            .limit(PENDING_LIMIT)
        )
    )
    return newest[::-1]


def popups_by_ids(session: Session, user_id: int, ids: list[int]) -> list[Communication]:
    """The pop-ups named by notes, if they are this player's and still waiting."""
    c = Communication
    return list(session.scalars(select(c).where(c.id.in_(ids), *_waiting(user_id)).order_by(c.id)))
