"""Read side of users: lookup and search."""
from __future__ import annotations

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from backend.models import User


def search_users(search: str | None) -> Select:
    """Prefix match, case-insensitive, on internal username, external id, email or phone,
    each served by its own b-tree index."""
    stmt = select(User)
    if search and search.strip():
        term = search.strip()
        lc = term.lower().replace("%", r"\%").replace("_", r"\_")
        stmt = stmt.where(
            or_(
                User.username_lc.like(f"{lc}%", escape="\\"),
                User.external_id_lc.like(f"{lc}%", escape="\\"),
                User.email_lc.like(f"{lc}%", escape="\\"),
                User.phone.like(f"{term.replace('%', '')}%"),
            )
        )
    return stmt


def user_by_external_id(session: Session, external_id: str) -> User | None:
    return session.scalar(select(User).where(User.external_id == external_id))
