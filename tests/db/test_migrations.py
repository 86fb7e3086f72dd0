"""One Alembic history builds the models' schema on SQLite and PostgreSQL, and undoes it."""
from __future__ import annotations

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from backend.models import metadata
from backend.persistence.database import make_engine
from migrations.runner import downgrade, upgrade
from tests.services import POSTGRES_URL, require_service


@pytest.fixture(params=["sqlite", "postgres"])
def empty_db_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    require_service("postgres")
    admin = make_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    name = f"questline_mig_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return set(inspect(conn).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def _diff(url: str) -> list:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    finally:
        engine.dispose()


def test_upgrade_builds_the_models_and_they_agree(empty_db_url):
    upgrade(empty_db_url)
    assert _tables(empty_db_url) == set(metadata.tables)
    assert _diff(empty_db_url) == []


def test_downgrade_removes_everything_and_upgrade_works_again(empty_db_url):
    upgrade(empty_db_url)
    downgrade(empty_db_url, "base")
    assert _tables(empty_db_url) == set()
    upgrade(empty_db_url)
    assert _tables(empty_db_url) == set(metadata.tables)
