"""The communication log's resource name search: any part of the name, ignoring case,
served by an index on PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from backend.models import Resource
from backend.persistence.database import Database
from backend.reports.journeys import resources_named


def _names(db: Database, part: str) -> set[str]:
    with db.read() as session:
        ids = session.scalars(resources_named(part)).all()
        return {r.name for r in session.query(Resource).filter(Resource.id.in_(ids))}


def test_any_part_of_the_name_matches_ignoring_case(db):
    with db.unit_of_work() as uow:
        for name in ("e15 Welcome SMS", "e15 Welcome email", "Deposit 100%", "Goodbye"):
            uow.session.add(Resource(name=name, channel="SMS", body="hi"))
    assert _names(db, "e15 welcome") == {"e15 Welcome SMS", "e15 Welcome email"}
    assert _names(db, "COME s") == {"e15 Welcome SMS"}
    assert _names(db, "100%") == {"Deposit 100%"}
    assert _names(db, "0%") == {"Deposit 100%"}
    assert _names(db, "%") == {"Deposit 100%"}  # a wildcard is a character
    assert _names(db, "_") == set()


def test_postgresql_answers_the_search_from_the_name_index(db):
    if db.dialect != "postgresql":
        pytest.skip("SQLite has no index for a match inside a string")
    with db.unit_of_work() as uow:
        uow.session.add_all(Resource(name=f"resource {n}", channel="SMS", body="hi") for n in range(200))
    with db.engine.connect() as conn:
        indexdef = conn.scalar(text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_resources_name_search'"))
        assert "gin_trgm_ops" in indexdef  # pg_trgm is available on the test server
        conn.execute(text("ANALYZE resources"))
        conn.execute(text("SET enable_seqscan = off"))
        compiled = resources_named("Source 1").compile(conn, compile_kwargs={"literal_binds": True})
        plan = "\n".join(conn.scalars(text(f"EXPLAIN {compiled}")))
    assert "ix_resources_name_search" in plan
