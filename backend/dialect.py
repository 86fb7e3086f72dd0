"""The few statements whose spelling differs between SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import BigInteger, Boolean, any_, bindparam, literal
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

_MAX_CODE_POINT = 0x10FFFF
_SURROGATES = range(0xD800, 0xE000)


def insert_ignoring_conflicts(session: Session, table: Any, index_elements: list[str]) -> Any:
    """`INSERT ... ON CONFLICT (cols) DO NOTHING` for the session's database."""
    dialect = session.get_bind().dialect.name
    stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    return stmt.on_conflict_do_nothing(index_elements=index_elements)


def one_of(session: Session, column: Any, ids: Iterable[Any], item_type: Any = BigInteger) -> Any:
    """`column IN (ids)`. On PostgreSQL one array parameter (`= ANY(:ids)`) rather than
    one parameter an id: a batch's statement stays the same text whatever its size, so
    the driver does not parse a thousand placeholders each time."""
    values = sorted(set(ids))
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, values, type_=postgresql.ARRAY(item_type)))
    return column.in_(values)


def insert_for(session: Session, table: Any) -> Any:
    """The dialect's INSERT, which has `on_conflict_do_update` and `excluded` on both."""
    return (postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert)(table)


def prefix_successor(prefix: str) -> str | None:
    """The least string greater than every string that starts with `prefix`, in code
    point order; None when there is none (the prefix is all U+10FFFF)."""
    chars = list(prefix)
    while chars:
        nxt = ord(chars.pop()) + 1
        if nxt in _SURROGATES:
            nxt = _SURROGATES.stop
        if nxt <= _MAX_CODE_POINT:
            return "".join(chars) + chr(nxt)
    return None


class starts_with(FunctionElement[bool]):
    """`column` starts with `prefix`, written as a range so that a b-tree index serves it.

    LIKE 'x%' cannot use an ordinary PostgreSQL index unless the database collation is
    "C", and a range under a linguistic collation is not a prefix test at all; so on
    PostgreSQL the range uses the byte-order operators of the `*_pattern_ops` index
    classes. SQLite compares text with memcmp (BINARY), which is code point order for
    UTF-8, so plain comparisons on a plain index do the same there.
    """

    type = Boolean()
    inherit_cache = True
    name = "starts_with"

    def __init__(self, column: Any, prefix: str):
        high = prefix_successor(prefix)
        bounds = (literal(prefix),) if high is None else (literal(prefix), literal(high))
        super().__init__(column, *bounds)

    def self_group(self, against: Any = None) -> starts_with:
        # Already parenthesized; left alone so SQLite does not get `(...) = 1`, which
        # no index serves.
        return self


def _range(element: starts_with, compiler: Any, ge: str, lt: str, **kw: Any) -> str:
    column, *bounds = [compiler.process(c, **kw) for c in element.clauses]
    parts = [f"{column} {ge} {bounds[0]}"] + [f"{column} {lt} {b}" for b in bounds[1:]]
    return "(" + " AND ".join(parts) + ")"


@compiles(starts_with)
def _starts_with_default(element: starts_with, compiler: Any, **kw: Any) -> str:
    return _range(element, compiler, ">=", "<", **kw)


@compiles(starts_with, "postgresql")
def _starts_with_postgresql(element: starts_with, compiler: Any, **kw: Any) -> str:
    return _range(element, compiler, "~>=~", "~<~", **kw)
