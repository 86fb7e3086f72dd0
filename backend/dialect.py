"""The few statements whose spelling differs between SQLite and PostgreSQL."""
from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_ignoring_conflicts(session: Session, table: Any, index_elements: list[str]) -> Any:
    """`INSERT ... ON CONFLICT (cols) DO NOTHING` for the session's database."""
    dialect = session.get_bind().dialect.name
    stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    return stmt.on_conflict_do_nothing(index_elements=index_elements)


def insert_for(session: Session, table: Any) -> Any:
    """The dialect's INSERT, which has `on_conflict_do_update` and `excluded` on both."""
    return (postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert)(table)
