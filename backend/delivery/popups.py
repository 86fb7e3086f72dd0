"""Pop-ups waiting for their player: SENT (published) but not yet shown or dismissed.

A player who was not connected when a pop-up was sent gets it at the next
connection; so does one whose client never said SHOWN. After POPUP_KEEP a pop-up
is stale and no longer offered."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import Communication

POPUP_KEEP = timedelta(days=7)
PENDING_LIMIT = 50


def pending_popups(session: Session, user_id: int, now: datetime) -> list[Communication]:
    c = Communication
    return list(session.scalars(
        select(c).where(c.user_id == user_id, c.channel == "POPUP", c.status == "SENT", c.last_action.is_(None),
                        c.queued_at >= now - POPUP_KEEP)
        .order_by(c.queued_at, c.id).limit(PENDING_LIMIT)
    ))
