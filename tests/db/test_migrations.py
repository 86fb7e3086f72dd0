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


# SQLite cannot reflect an index on an expression (the resource name search index is
# PostgreSQL's only); on PostgreSQL it is compared like any other.
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
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
                conn.execute(
                    text(
                        "INSERT INTO users (external_id, external_id_lc, phone, attributes, opt_outs, points, deposit_count, "
                        "deposit_total, withdrawal_total, created_at, updated_at) "
                        "VALUES (:ext, :ext, :phone, '{}', '[]', 0, 0, 0, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                    ),
                    {"ext": ext, "phone": phone},
                )
        upgrade(empty_db_url)
        with engine.connect() as conn:
            digits = dict(conn.execute(text("SELECT external_id, phone_digits FROM users")).all())
        assert digits == {"a": "37120000001", "b": "37120000002", "c": None}
        downgrade(empty_db_url, "0003")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM users WHERE phone IS NOT NULL")).scalar() == 2
    finally:
        engine.dispose()


def test_stepping_down_to_the_first_revision_and_back_keeps_the_data(empty_db_url):
    """Each downgrade after 0001 changes tables in place: rebuilding one on SQLite would
    cascade-delete the rows that refer to it."""
    upgrade(empty_db_url)
    engine = make_engine(empty_db_url)
    counted = ("users", "events", "entries", "entry_steps")
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO users (id, external_id, external_id_lc, attributes, opt_outs, points, deposit_count, "
                    "deposit_total, withdrawal_total, created_at, updated_at) "
                    "VALUES (1, 'p1', 'p1', '{}', '[]', 0, 0, 0, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO events (event_id, user_id, name, occurred_at, received_at, properties) "
                    "VALUES ('e1', 1, 'login', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, '{}')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO journeys (id, name, tags, access_groups, status, version, definition, trigger_kind, "
                    "reentry_mode, freeze_on_stop, control_group_percent, created_at, updated_at) VALUES "
                    "(1, 'J', '[]', '[]', 'ACTIVE', 1, '{}', 'API', 'ONCE', false, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO entries (id, journey_id, user_id, round, version, status, in_control_group, entered_at, "
                    "progress_name, progress_step, visits, updated_at) VALUES (1, 1, 1, 1, 1, 'WAITING', false, "
                    "CURRENT_TIMESTAMP, 'Entered', 0, '{}', CURRENT_TIMESTAMP)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO entry_steps (entry_id, journey_id, step_id, kind, visit, entered_at, outcome) "
                    "VALUES (1, 1, 's', 'wait', 1, CURRENT_TIMESTAMP, 'waited')"
                )
            )
        downgrade(empty_db_url, "0001")
        with engine.connect() as conn:
            assert [conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in counted] == [1, 1, 1, 1]
        upgrade(empty_db_url)
        with engine.connect() as conn:
            assert [conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in counted] == [1, 1, 1, 1]
            assert conn.execute(text("SELECT phone_digits FROM users")).scalar() is None
    finally:
        engine.dispose()
