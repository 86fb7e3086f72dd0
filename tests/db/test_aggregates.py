"""eventCount / eventSum for many users: the database's grouped count and sum give what
adding up each event in Python gives, whatever the properties hold."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, select

from backend.journeys.loading import aggregate_totals, totals_in_python
from backend.journeys.predicates import aggregates_of
from backend.models import User, utcnow
from backend.persistence.database import Database
from tests.conftest import clean
from tests.db.journey_fixtures import track, users

NOW = utcnow()
QUOTED = 'say "hi"'

HISTORY = {
    "p1": [
        ("wager", {"amount": 10}, 5),
        ("wager", {"amount": 2.5}, 10),
        ("wager", {"amount": -3}, 20),
        ("wager", {"amount": 100}, 60 * 48),  # two days ago: outside a one-day window
        ("wager", {"amount": 0.25, "a.b": 4, QUOTED: 7}, 30),
        ("bet", {"amount": 1000}, 5),
    ],
    "p2": [
        ("wager", {"amount": "12"}, 5),
        ("wager", {"amount": True}, 6),
        ("wager", {"amount": None}, 7),
        ("wager", {"amount": {"v": 1}}, 8),
        ("wager", {"amount": [1, 2]}, 9),
        ("wager", {}, 10),
        ("wager", None, 11),
    ],  # events, but no amount that is a number
    "p3": [
        ("wager", {"amount": 1.5, "a.b": 1.5}, 60 * 30),
        ("wager", {"amount": 2**40}, 2),
        ("wager", {"amount": 7, QUOTED: "x"}, 3),
    ],
    "p4": [("login", {}, 1)],  # nothing of the aggregates' names
}

SPECS = [
    {"eventCount": {"name": "wager"}},
    {"eventCount": {"name": "wager", "withinSeconds": 86400}},
    {"eventCount": {"name": "bet"}},
    {"eventCount": {"name": "nothing"}},
    {"eventSum": {"name": "wager", "property": "amount"}},
    {"eventSum": {"name": "wager", "property": "amount", "withinSeconds": 86400}},
    {"eventSum": {"name": "wager", "property": "a.b"}},
    {"eventSum": {"name": "wager", "property": QUOTED}},
    {"eventSum": {"name": "wager", "property": "missing"}},
    {"eventSum": {"name": "bet", "property": "amount"}},
    {"eventCount": {"name": "wager", "where": {"field": "event.properties.amount", "op": "gt", "value": 1}}},
    {
        "eventSum": {
            "name": "wager",
            "property": "amount",
            "where": {"field": "event.properties.amount", "op": "lt", "value": 50},
        }
    },
]


def _spec(aggregate):
    [spec] = aggregates_of({**aggregate, "op": "gte", "value": 0})
    return spec


def _history(db, extra=()):
    users(db, *({"externalId": ext} for ext in HISTORY))
    n = 0
    for ext, events in [*HISTORY.items(), *extra]:
        for name, props, minutes_ago in events:
            n += 1
            spec = {
                "eventId": f"e{n}",
                "externalId": ext,
                "name": name,
                "occurredAt": (NOW - timedelta(minutes=minutes_ago)).isoformat(),
            }
            if props is not None:
                spec["properties"] = props
            track(db, spec)
    with db.read() as s:
        return {ext: uid for uid, ext in s.execute(select(User.id, User.external_id))}


@pytest.mark.parametrize("aggregate", SPECS, ids=lambda a: str(a))
def test_the_database_adds_up_as_python_does(db, aggregate):
    ids = _history(db)
    spec = _spec(aggregate)
    with db.read() as s:
        got = aggregate_totals(s, spec, set(ids.values()), NOW)
        assert got == totals_in_python(s, spec, set(ids.values()), NOW)
    assert all(isinstance(v, float) for v in got.values())


def test_what_the_totals_are(db):
    ids = _history(db)
    with db.read() as s:

        def totals(aggregate):
            got = aggregate_totals(s, _spec(aggregate), set(ids.values()), NOW)
            return {ext: got[uid] for ext, uid in ids.items() if uid in got}

        assert totals(SPECS[0]) == {"p1": 5.0, "p2": 7.0, "p3": 3.0}
        assert totals(SPECS[1]) == {"p1": 4.0, "p2": 7.0, "p3": 2.0}
        assert totals(SPECS[4]) == {"p1": 109.75, "p3": 1.5 + 2**40 + 7}
        assert totals(SPECS[5]) == {"p1": 9.75, "p3": 2**40 + 7}
        assert totals(SPECS[6]) == {"p1": 4.0, "p3": 1.5}
        assert totals(SPECS[7]) == {"p1": 7.0}
        assert totals(SPECS[8]) == {} and totals(SPECS[3]) == {}


def test_without_a_where_one_grouped_query_and_no_events_read(db):
    ids = _history(db)
    statements = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    with db.read() as s:
        event.listen(db.engine, "before_cursor_execute", seen)
        try:
            for aggregate in SPECS[:10]:
                statements.clear()
                aggregate_totals(s, _spec(aggregate), set(ids.values()), NOW)
                if db.dialect == "sqlite" and aggregate is SPECS[7]:
                    continue  # a key SQLite's JSON paths cannot quote: added up in Python
                assert len(statements) == 1 and "GROUP BY" in statements[0], (aggregate, statements)
        finally:
            event.remove(db.engine, "before_cursor_execute", seen)


def test_properties_sqlite_cannot_parse_are_added_up_in_python(sqlite_url):
    # Only SQLite: Python's JSON writes NaN into the text SQLite stores; PostgreSQL's jsonb refuses it.
    db = Database(sqlite_url)
    clean(db)
    try:
        nan = float("nan")
        ids = _history(db, extra=[("p1", [("wager", {"amount": 1, "x": nan}, 1)]), ("p2", [("wager", {"x": nan}, 1)])])
        with db.read() as s:
            for aggregate in SPECS[4:6]:
                spec = _spec(aggregate)
                got = aggregate_totals(s, spec, set(ids.values()), NOW)
                assert got == totals_in_python(s, spec, set(ids.values()), NOW)
                assert got[ids["p1"]] in (110.75, 10.75) and ids["p2"] not in got
    finally:
        db.dispose()
