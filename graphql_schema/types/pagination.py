"""Keyset pagination over an id-ordered query: a page costs the same at any depth."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from backend.errors import DomainError
from graphql_schema.types.common import PageInfo

MAX_FIRST = 500


def encode_cursor(pk: int) -> str:
    return base64.urlsafe_b64encode(f"k:{pk}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, name: str = "after") -> int | None:
    if cursor is None:
        return None
    try:
        text = base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode()).decode()
        tag, _, pk = text.partition(":")
        if tag != "k":
            raise ValueError
        return int(pk)
    except ValueError as exc:
        raise DomainError("INVALID_CURSOR", f"the `{name}` cursor is not one this server gave", [name]) from exc


def clamp_first(first: int | None, name: str = "first") -> int:
    if first is None:
        return 50
    if first < 0:
        raise DomainError("INVALID_INPUT", f"`{name}` must not be negative", [name])
    return min(first, MAX_FIRST)


@dataclass(frozen=True)
class PageRequest:
    """Relay's arguments. Lists are newest first; `first`/`after` page on to older
    rows, `last`/`before` page back to newer ones. When `last` is given the page is
    taken from the end (`first`, whose default is always there, is then not used)."""

    first: int | None = 50
    after: str | None = None
    last: int | None = None
    before: str | None = None

    @property
    def backward(self) -> bool:
        return self.last is not None


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    has_next: bool
    total: int
    has_previous: bool = False


def count_rows(session: Session, stmt: Select) -> int:
    """How many rows `stmt` (a plain filtered select, no DISTINCT or GROUP BY) has."""
    return session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0


def _exists(session: Session, stmt: Select) -> bool:
    return session.scalar(select(stmt.order_by(None).limit(1).exists())) or False


def page_by_id_desc(session: Session, stmt: Select, id_column: Any, request: PageRequest) -> Page:
    """Newest first (descending id); a cursor is the id of a row."""
    total = count_rows(session, stmt)
    if request.backward:
        limit, before = clamp_first(request.last, "last"), decode_cursor(request.before, "before")
        newer = stmt.where(id_column > before) if before is not None else stmt
        rows = list(session.scalars(newer.order_by(id_column.asc()).limit(limit + 1)))
        has_next = before is not None and _exists(session, stmt.where(id_column <= before))
        return Page(rows=rows[:limit][::-1], has_next=has_next, total=total, has_previous=len(rows) > limit)
    limit, after = clamp_first(request.first), decode_cursor(request.after)
    older = stmt.where(id_column < after) if after is not None else stmt
    rows = list(session.scalars(older.order_by(id_column.desc()).limit(limit + 1)))
    has_previous = after is not None and _exists(session, stmt.where(id_column >= after))
    return Page(rows=rows[:limit], has_next=len(rows) > limit, total=total, has_previous=has_previous)


def page_of_ids(ids_newest_first: list[int], request: PageRequest) -> tuple[list[int], bool, bool]:
    """The same paging over ids already in hand: (ids of the page, has next, has previous)."""
    if request.backward:
        limit, before = clamp_first(request.last, "last"), decode_cursor(request.before, "before")
        newer = [i for i in ids_newest_first if before is None or i > before]
        page = newer[-limit:] if limit else []
        has_next = before is not None and any(i <= before for i in ids_newest_first)
        return page, has_next, len(newer) > limit
    limit, after = clamp_first(request.first), decode_cursor(request.after)
    older = [i for i in ids_newest_first if after is None or i < after]
    has_previous = after is not None and any(i >= after for i in ids_newest_first)
    return older[:limit], len(older) > limit, has_previous


def page_info(page: Page, cursors: list[str]) -> PageInfo:
    return PageInfo(
        has_next_page=page.has_next,
        has_previous_page=page.has_previous,
        start_cursor=cursors[0] if cursors else None,
        end_cursor=cursors[-1] if cursors else None,
    )


def connection(page: Page, connection_cls: Any, edge_cls: Any, node: Any) -> Any:
    """A contract connection type from a page of rows."""
    edges = [edge_cls(cursor=encode_cursor(row.id), node=node(row)) for row in page.rows]
    return connection_cls(edges=edges, total_count=page.total, page_info=page_info(page, [e.cursor for e in edges]))
