"""Status columns hold only their enum's values (CHECK constraints from migration 0010),
on SQLite and PostgreSQL; the API's enums name the same values."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from backend import statuses
from graphql_schema.types import common

JOURNEY = (
    "INSERT INTO journeys (id, name, tags, access_groups, status, version, definition, trigger_kind, "
    "reentry_mode, freeze_on_stop, control_group_percent, created_at, updated_at) VALUES "
    "(1, 'J', '[]', '[]', :status, 1, '{}', 'API', 'ONCE', false, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
)
USER = (
    "INSERT INTO users (id, external_id, external_id_lc, attributes, opt_outs, points, deposit_count, "
    "deposit_total, withdrawal_total, created_at, updated_at) "
    "VALUES (1, 'p1', 'p1', '{}', '[]', 0, 0, 0, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
)
ENTRY = (
    "INSERT INTO entries (id, journey_id, user_id, round, version, status, frozen_status, in_control_group, "
    "entered_at, current_step_id, step_entered_at, visits, progress_name, progress_step, updated_at) VALUES "
    "(1, 1, 1, 1, 1, :status, :frozen, false, CURRENT_TIMESTAMP, 's', CURRENT_TIMESTAMP, '{}', 'Entered', 0, "
    "CURRENT_TIMESTAMP)"
)


def _refused(db, statement: str, **values) -> bool:
    try:
        with db.engine.begin() as conn:
            conn.execute(text(statement), values)
    except IntegrityError:
        return True
    return False


def test_a_journey_status_outside_the_enum_is_refused(db):
    assert _refused(db, JOURNEY, status="RUNNING")
    assert not _refused(db, JOURNEY, status="ACTIVE")


def test_an_entry_status_and_its_frozen_status_outside_the_enum_are_refused(db):
    assert not _refused(db, JOURNEY, status="ACTIVE")
    assert not _refused(db, USER)
    assert _refused(db, ENTRY, status="active", frozen=None)
    assert _refused(db, ENTRY, status="FROZEN", frozen="PAUSED")
    assert not _refused(db, ENTRY, status="FROZEN", frozen="WAITING")
    with db.engine.begin() as conn:
        assert conn.execute(text("SELECT status, frozen_status FROM entries")).all() == [("FROZEN", "WAITING")]


@pytest.mark.parametrize(
    ("api_enum", "stored"),
    [
        (common.JourneyStatus, statuses.JourneyStatus),
        (common.EntryStatus, statuses.EntryStatus),
        (common.DeliveryStatus, statuses.DeliveryStatus),
        (common.BonusStatus, statuses.BonusStatus),
    ],
)
def test_the_api_enums_name_the_stored_values(api_enum, stored):
    assert [m.value for m in api_enum] == [m.value for m in stored]
