"""Bulk writes for the hot path.

On PostgreSQL rows go in with COPY, which skips building and parsing one huge
INSERT text per batch: plain appends COPY straight into the table; rows guarded by
an idempotency key COPY into a temporary table and move over with
INSERT ... SELECT ... ON CONFLICT DO NOTHING RETURNING; rows whose ids the caller
needs get them from the sequence first. Elsewhere (SQLite) the same calls use
executemany statements.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, CursorResult, Table, bindparam, insert, text, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Delete, Update

from backend.dialect import insert_ignoring_conflicts
from backend.persistence.jsoncodec import dumps


def rows_changed(session: Session, statement: Update | Delete) -> int:
    """Runs an UPDATE or DELETE and returns how many rows it changed."""
    result = session.execute(statement)
    if not isinstance(result, CursorResult):
        raise TypeError("an UPDATE or DELETE answers with a cursor result")
    return int(result.rowcount)


def _is_pg(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _json_columns(table: Table, columns: list[str]) -> list[int]:
    return [i for i, c in enumerate(columns) if c in table.c and isinstance(table.c[c].type, JSON)]


def _copy(
    session: Session,
    table: Table,
    columns: list[str],
    rows: Iterable[dict[str, Any]],
    target: str = "",
    ids: Iterable[int] | None = None,
) -> None:
    """COPY rows (dicts with `columns`) into `target` (default: the table itself); with
    `ids`, each row's id first (then `columns` do not name it)."""
    raw = session.connection().connection.driver_connection
    if raw is None:
        raise RuntimeError("COPY needs an open PostgreSQL connection")
    named = ["id", *columns] if ids is not None else columns
    cols = ", ".join(f'"{c}"' for c in named)
    json_at = _json_columns(table, columns)
    values_of = itemgetter(*columns)
    one = len(columns) == 1
    with raw.cursor() as cur, cur.copy(f"COPY {target or table.name} ({cols}) FROM STDIN") as copy:
        for pk, row in zip(ids, rows, strict=True) if ids is not None else ((None, r) for r in rows):
            values = [values_of(row)] if one else list(values_of(row))
            for i in json_at:
                if values[i] is not None:
                    values[i] = dumps(values[i])
            copy.write_row(values if pk is None else [pk, *values])


def append_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Append-only rows (the step log)."""
    if not rows:
        return
    if _is_pg(session):
        _copy(session, table, list(rows[0]), rows)
    else:
        session.execute(table.insert(), rows)


def insert_with_ids(session: Session, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    """Inserts rows and returns their new ids, in the rows' order."""
    if not rows:
        return []
    if not _is_pg(session):
        return list(session.scalars(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows))
    ids = next_ids(session, table, len(rows))
    insert_by_id(session, table, dict(zip(ids, rows, strict=True)))
    return ids


def can_allocate_ids(session: Session) -> bool:
    """Whether ids can be taken before their rows are written (a sequence: PostgreSQL)."""
    return _is_pg(session)


def next_ids(session: Session, table: Table, n: int) -> list[int]:
    """`n` new ids from the table's sequence (PostgreSQL), for rows written later in the transaction."""
    if n <= 0:
        return []
    return list(
        session.scalars(
            text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
            {"t": table.name, "n": n},
        )
    )


def insert_by_id(session: Session, table: Table, rows: dict[int, dict[str, Any]]) -> None:
    """Inserts rows whose ids were taken already (every row with the same columns)."""
    if not rows:
        return
    if _is_pg(session):
        _copy(session, table, list(next(iter(rows.values()))), rows.values(), ids=rows.keys())
    else:
        session.execute(table.insert(), [{"id": pk, **row} for pk, row in rows.items()])


def insert_new_returning(
    session: Session, table: Table, rows: list[dict[str, Any]], key: str, returning: tuple[str, ...]
) -> list[tuple[Any, ...]]:
    """Rows guarded by a unique key: only new ones go in; returns `returning` of those."""
    if not rows:
        return []
    if not _is_pg(session):
        stmt = insert_ignoring_conflicts(session, table, [key]).returning(*(table.c[c] for c in returning))
        return [tuple(r) for r in session.execute(stmt, rows).all()]
    columns = list(rows[0])
    temp = f"tmp_{table.name}_{uuid.uuid4().hex[:8]}"
    session.execute(text(f'CREATE TEMP TABLE "{temp}" (LIKE {table.name} INCLUDING DEFAULTS) ON COMMIT DROP'))
    _copy(session, table, columns, rows, target=f'"{temp}"')
    cols = ", ".join(f'"{c}"' for c in columns)
    result = session.execute(
        text(
            f'INSERT INTO {table.name} ({cols}) SELECT {cols} FROM "{temp}" '
            f'ON CONFLICT ("{key}") DO NOTHING RETURNING {", ".join(returning)}'
        )
    )
    return [tuple(r) for r in result.all()]


# Below this many rows an UPDATE a row, sent in one pipeline (psycopg's executemany),
# costs fewer round trips than the temporary table (create, COPY, update, drop) and
# none of its catalog writes: a delivery's record moves a few dozen entries at a time.
SMALL_UPDATE = 200


def update_by_id(session: Session, table: Table, rows: dict[int, dict[str, Any]]) -> None:
    """Sets the given columns of each row by id: on PostgreSQL, a few hundred rows or
    more in one statement through a temporary table."""
    if not rows:
        return
    columns = list(next(iter(rows.values())))
    if not _is_pg(session) or len(rows) < SMALL_UPDATE:
        stmt = update(table).where(table.c.id == bindparam("_id")).values({c: bindparam(c) for c in columns})
        session.execute(stmt, [{"_id": pk, **row} for pk, row in rows.items()])
        return
    temp = f"tmp_{table.name}_{uuid.uuid4().hex[:8]}"
    cols = ", ".join(f'"{c}"' for c in ["id", *columns])
    session.execute(text(f'CREATE TEMP TABLE "{temp}" AS SELECT {cols} FROM {table.name} WITH NO DATA'))
    _copy(session, table, columns, rows.values(), target=f'"{temp}"', ids=rows.keys())
    sets = ", ".join(f'"{c}" = t."{c}"' for c in columns)
    session.execute(text(f'UPDATE {table.name} AS x SET {sets} FROM "{temp}" AS t WHERE x.id = t.id'))
    session.execute(text(f'DROP TABLE "{temp}"'))
