"""Keyset pagination over an id-ordered query: a page costs the same at any depth."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from backend.errors import DomainError

MAX_FIRST = 500


def encode_cursor(pk: int) -> str:
    return base64.urlsafe_b64encode(f"k:{pk}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    try:
        text = base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode()).decode()
        tag, _, pk = text.partition(":")
        if tag != "k":
            raise ValueError
        return int(pk)
    except ValueError as exc:
        raise DomainError("INVALID_CURSOR", "the `after` cursor is not one this server gave", ["after"]) from exc


def clamp_first(first: int | None) -> int:
    if first is None:
        return 50
    if first < 0:
        raise DomainError("INVALID_INPUT", "`first` must not be negative", ["first"])
    return min(first, MAX_FIRST)


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    has_next: bool
    total: int


def count_rows(session: Session, stmt: Select) -> int:
    """How many rows `stmt` (a plain filtered select, no DISTINCT or GROUP BY) has."""
    return session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0


def page_by_id_desc(session: Session, stmt: Select, id_column: Any, *, first: int | None, after: str | None) -> Page:
    """Newest first (descending id): `after` is the last id seen."""
    limit = clamp_first(first)
    last = decode_cursor(after)
    total = count_rows(session, stmt)
    paged = stmt.order_by(id_column.desc())
    if last is not None:
        paged = paged.where(id_column < last)
    rows = list(session.scalars(paged.limit(limit + 1)))
    return Page(rows=rows[:limit], has_next=len(rows) > limit, total=total)


def connection(page: Page, connection_cls: Any, edge_cls: Any, node: Any) -> Any:
    """A contract connection type from a page of rows."""
    from graphql_schema.types.common import PageInfo

    edges = [edge_cls(cursor=encode_cursor(row.id), node=node(row)) for row in page.rows]
    return connection_cls(
        edges=edges,
        total_count=page.total,
        page_info=PageInfo(has_next_page=page.has_next, end_cursor=edges[-1].cursor if edges else None),
    )
