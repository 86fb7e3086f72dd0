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


def test_the_phone_search_key_is_filled_in_for_users_stored_before_it(empty_db_url):
    upgrade(empty_db_url, "0003")
    engine = make_engine(empty_db_url)
    try:
        with engine.begin() as conn:
            for ext, phone in (("a", "+371 (2000) 00-01"), ("b", "37120000002"), ("c", None)):
                conn.execute(text(
                    "INSERT INTO users (external_id, external_id_lc, phone, attributes, opt_outs, points, deposit_count, "
                    "deposit_total, withdrawal_total, created_at, updated_at) "
                    "VALUES (:ext, :ext, :phone, '{}', '[]', 0, 0, 0, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"),
                    {"ext": ext, "phone": phone})
        upgrade(empty_db_url)
        with engine.connect() as conn:
            digits = dict(conn.execute(text("SELECT external_id, phone_digits FROM users")).all())
        assert digits == {"a": "37120000001", "b": "37120000002", "c": None}
        downgrade(empty_db_url, "0003")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM users WHERE phone IS NOT NULL")).scalar() == 2
    finally:
        engine.dispose()
