"""The user's facts a batch builds from its rows are those `facts_of` gives."""

from __future__ import annotations

from dataclasses import fields

from backend.journeys.loading import load_users
from backend.journeys.rows import facts_of, facts_of_row
from backend.journeys.state import UserFacts
from backend.models import User
from tests.db.journey_fixtures import users


def test_facts_of_a_loaded_row_are_those_of_the_user(db):
    users(
        db,
        {"externalId": "p1", "email": "p1@example.com", "attributes": {"tier": "gold", "n": [1, 2]}},
        {"externalId": "p2", "phone": "+37120000000", "username": "Pat", "timezone": "Europe/Riga", "optOuts": ["SMS"]},
    )
    with db.read() as s:
        stored = {u.id: u for u in s.query(User)}
        rows = load_users(s, set(stored))
    assert len(rows) == 2
    for uid, row in rows.items():
        fast = facts_of_row(row, level="Gold", sent_today={"EMAIL": 2})
        assert fast == facts_of(stored[uid], level="Gold", sent_today={"EMAIL": 2})
        assert fast == facts_of(row, level="Gold", sent_today={"EMAIL": 2})
        assert set(vars(fast)) == {f.name for f in fields(UserFacts)}
