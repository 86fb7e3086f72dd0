"""A segment predicate in SQL picks exactly the users the Python evaluator picks.

Hypothesis generates users (columns, JSON attributes, events, levels) and predicates
over every path of the contract, and both answers are compared on SQLite and on
PostgreSQL. Each example is written inside a transaction that is rolled back.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert
from sqlalchemy.orm import Session

from backend.journeys.levels import level_name
from backend.journeys.loading import totals_in_python
from backend.journeys.predicates import Facts, aggregates_of, evaluate, problems_of
from backend.journeys.rows import facts_of
from backend.models import Event, Level, User
from backend.segments.sql import matching_users

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
TEXTS = ["", "a", "ab", "B", "é", "10", "vip"]


def _time_text(offset: int, form: int) -> str:
    when = NOW - timedelta(seconds=offset)
    if form == 0:
        return when.isoformat()
    if form == 1:
        return when.strftime("%Y-%m-%dT%H:%M:%SZ")
    return when.astimezone(timezone(timedelta(hours=3))).isoformat()


offsets = st.integers(-3, 40).map(lambda k: k * 3600 + 17)
time_texts = st.builds(_time_text, offsets, st.integers(0, 2))
numbers = st.one_of(st.integers(-3, 300), st.integers(-6, 6).map(lambda n: n / 2))
scalars = st.one_of(st.none(), st.booleans(), numbers, st.sampled_from(TEXTS), time_texts)
json_values = st.one_of(
    scalars,
    st.lists(st.one_of(st.booleans(), numbers, st.sampled_from(TEXTS)), max_size=3),
    st.fixed_dictionaries({"x": numbers}),
)
attributes = st.dictionaries(st.sampled_from(["a", "b", "when", "n"]), json_values, min_size=2, max_size=4).map(
    lambda d: {**d, "n": {"x": d["n"]}} if "n" in d and not isinstance(d["n"], dict) else d
)
users = st.fixed_dictionaries(
    {
        "username": st.one_of(st.none(), st.sampled_from(TEXTS)),
        "email": st.one_of(st.none(), st.sampled_from(["a@x.io", "b@y.io"])),
        "timezone": st.one_of(st.none(), st.sampled_from(["UTC", "Europe/Riga"]), time_texts),
        "attributes": attributes,
        "points": st.integers(0, 300),
        "deposit_count": st.integers(0, 4),
        "deposit_total": st.integers(0, 40).map(lambda n: n * 2.5),
        "last_deposit_at": st.one_of(st.none(), offsets.map(lambda s: NOW - timedelta(seconds=s))),
        "events": st.lists(
            st.fixed_dictionaries(
                {
                    "name": st.sampled_from(["deposit", "login"]),
                    "days": st.integers(-1, 40),
                    "properties": st.dictionaries(st.sampled_from(["amount", "game"]), scalars, max_size=2),
                }
            ),
            max_size=4,
        ),
    }
)

USER_PATHS = [
    "user.externalId",
    "user.username",
    "user.email",
    "user.phone",
    "user.timezone",
    "user.attributes.a",
    "user.attributes.b",
    "user.attributes.when",
    "user.attributes.n.x",
    "user.points",
    "user.level",
    "user.financial.depositCount",
    "user.financial.depositTotal",
    "user.financial.lastDepositAt",
    "entry.round",
]
EVENT_PATHS = ["event.name", "event.properties.amount", "event.properties.game"]
OPS = [
    "eq",
    "ne",
    "gt",
    "gte",
    "lt",
    "lte",
    "in",
    "not_in",
    "contains",
    "exists",
    "not_exists",
    "within_last",
    "not_within_last",
]


def _leaf(paths):
    def build(path, op, value, items, seconds):
        if op in ("exists", "not_exists"):
            return {"field": path, "op": op}
        if op in ("in", "not_in"):
            return {"field": path, "op": op, "value": items}
        if op in ("within_last", "not_within_last"):
            return {"field": path, "op": op, "value": seconds}
        return {"field": path, "op": op, "value": value}

    return st.builds(
        build,
        st.sampled_from(paths),
        st.sampled_from(OPS),
        scalars,
        st.lists(scalars, max_size=3),
        st.integers(0, 30).map(lambda h: h * 3600),
    )


def _aggregate():
    def build(kind, name, where, within, op, value):
        spec = {"name": name}
        if kind == "eventSum":
            spec["property"] = "amount"
        if where is not None:
            spec["where"] = where
        if within is not None:
            spec["withinSeconds"] = within
        return {kind: spec, "op": op, "value": value}

    return st.builds(
        build,
        st.sampled_from(["eventCount", "eventSum"]),
        st.sampled_from(["deposit", "login"]),
        st.one_of(st.none(), _leaf(EVENT_PATHS)),
        st.one_of(st.none(), st.sampled_from([86400, 30 * 86400])),
        st.sampled_from(["eq", "ne", "gt", "gte", "lt", "lte"]),
        # 0.5 and 1 put a count's threshold on either side of "is there one at all".
        st.one_of(st.integers(0, 3), st.just(0.5)),
    )


predicates = st.recursive(
    st.one_of(_leaf(USER_PATHS), _aggregate()),
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3).map(lambda ps: {"all": ps}),
        st.lists(inner, min_size=1, max_size=3).map(lambda ps: {"any": ps}),
        inner.map(lambda p: {"not": p}),
    ),
    max_leaves=3,
)
levels = st.sampled_from([[], [(0, "bronze"), (100, "silver"), (200, "gold")]])


def _write(session: Session, people: list[dict], level_rows: list) -> list[int]:
    if level_rows:
        session.execute(insert(Level), [{"threshold": t, "name": n} for t, n in level_rows])
    ids = []
    for i, person in enumerate(people):
        row = {k: v for k, v in person.items() if k != "events"}
        uid = session.execute(
            insert(User)
            .values(**row, external_id=f"u{i}", external_id_lc=f"u{i}", opt_outs=[], created_at=NOW, updated_at=NOW)
            .returning(User.id)
        ).scalar_one()
        ids.append(uid)
        for j, ev in enumerate(person["events"]):
            session.execute(
                insert(Event).values(
                    event_id=f"e{i}-{j}",
                    user_id=uid,
                    name=ev["name"],
                    occurred_at=NOW - timedelta(days=ev["days"], seconds=11),
                    received_at=NOW,
                    properties=ev["properties"],
                )
            )
    return ids


def _python_answer(session: Session, pred, ids: list[int], level_rows: list) -> set[int]:
    specs = aggregates_of(pred)
    totals = {spec: totals_in_python(session, spec, set(ids), NOW) for spec in specs}
    matched = set()
    for user in session.query(User).where(User.id.in_(ids)):
        facts = facts_of(user, level=level_name(level_rows, user.points))
        aggregates = {spec: totals[spec].get(user.id, 0) for spec in specs}
        if evaluate(pred, Facts(now=NOW, user=facts.as_dict(), entry={}, aggregates=aggregates)):
            matched.add(user.id)
    return matched


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request):
    from backend.persistence.database import Database

    db = Database(request.getfixturevalue(f"{request.param}_url"))
    yield db.engine
    db.dispose()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pred=predicates, people=st.lists(users, min_size=3, max_size=6), level_rows=levels)
def test_sql_and_python_pick_the_same_users(engine, pred, people, level_rows):
    assume(problems_of(pred, allow_event=False) == [])
    with engine.connect() as conn:
        trans = conn.begin()
        try:
            session = Session(bind=conn)
            ids = _write(session, people, level_rows)
            query = matching_users(pred, dialect=engine.dialect.name, now=NOW, levels=level_rows)
            in_sql = set(session.scalars(query.where(User.id.in_(ids))))
            assert in_sql == _python_answer(session, pred, ids, level_rows), pred
        finally:
            trans.rollback()
