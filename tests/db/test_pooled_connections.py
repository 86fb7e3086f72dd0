"""A pooled PostgreSQL connection closed under the pool (a restart, an idle time-out, a
failover) costs at most the work in flight, and none once it sat idle a while."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from backend.persistence import database
from backend.persistence.database import Database, database_unavailable, make_engine
from tests.services import POSTGRES_URL


def _backend_pid(db: Database) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())


def _close_from_the_server(pid: int) -> None:
    admin = make_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one()
    admin.dispose()


@pytest.fixture
def one_connection(postgres_url: str):
    db = Database(postgres_url, pool_size=1, max_overflow=0)
    yield db
    db.dispose()


def test_a_connection_closed_while_it_sat_idle_is_replaced_before_it_is_lent(one_connection, monkeypatch):
    monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 0.0)
    first = _backend_pid(one_connection)
    _close_from_the_server(first)
    with one_connection.read() as session:
        assert session.execute(text("SELECT 1")).scalar_one() == 1
    assert _backend_pid(one_connection) != first


def test_a_connection_closed_just_after_use_fails_one_statement_and_the_pool_recovers(one_connection, monkeypatch):
    monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 3600.0)
    first = _backend_pid(one_connection)
    _close_from_the_server(first)
    with pytest.raises(DBAPIError) as failed, one_connection.read() as session:
        session.execute(text("SELECT 1"))
    assert database_unavailable(failed.value)  # answered as 503 with Retry-After, not 500
    with one_connection.read() as session:
        assert session.execute(text("SELECT 1")).scalar_one() == 1
    assert _backend_pid(one_connection) != first
