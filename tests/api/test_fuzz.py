"""Fuzzing the served schema with hypothesis-graphql, as an ADMIN on SQLite: queries and
mutations that pass validation, with arbitrary arguments (text with NUL and lone
surrogates, huge and negative numbers, dates with and without offsets, any JSON).

Every answer must be a client's answer: no 5xx, no INTERNAL_SERVER_ERROR; and a
mutation whose answer holds an error must have written nothing. The number of examples
bounds the run (about a minute and a half on a 2-core machine)."""

from __future__ import annotations

import asyncio
import json
import os
from datetime import UTC, datetime, timedelta, timezone

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import mutations, nodes, queries
from sqlalchemy import func, select, text

from backend.models import BonusTemplate, User
from graphql_schema.ids import encode_id
from tests.api.group_data import seed_two_groups
from tests.api.schema_walk import served_schema
from tests.conftest import TABLES_IN_DELETE_ORDER, make_operator

EXAMPLES = int(os.environ.get("QUESTLINE_TEST_FUZZ_EXAMPLES", "100"))
# Written by a failed login by design: the throttle's count, not the caller's data.
BOOKKEEPING = {"login_failures"}


def _datetimes() -> st.SearchStrategy:
    aware = st.datetimes(
        min_value=datetime(1, 1, 2),
        max_value=datetime(9999, 12, 30),
        timezones=st.sampled_from([UTC, timezone(timedelta(hours=14)), timezone(timedelta(hours=-12))]),
    ).map(lambda d: d.isoformat())
    naive = st.datetimes().map(lambda d: d.isoformat())
    odd = st.sampled_from(
        ["", "yesterday", "2026-13-45T99:00:00Z", "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"]
    )
    return st.one_of(aware, naive, odd).map(nodes.String)


def _json_values() -> st.SearchStrategy:
    scalars = st.one_of(
        st.none().map(lambda _: nodes.Null),
        st.booleans().map(nodes.Boolean),
        st.integers().map(nodes.Int),
        st.floats(allow_nan=False, allow_infinity=False).map(nodes.Float),
        st.text().map(nodes.String),
    )

    def nested(children: st.SearchStrategy) -> st.SearchStrategy:
        import graphql

        fields = st.dictionaries(st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True), children, max_size=4)
        return st.one_of(
            st.lists(children, max_size=4).map(nodes.List),
            fields.map(
                lambda d: nodes.Object(
                    [graphql.ObjectFieldNode(name=graphql.NameNode(value=k), value=v) for k, v in d.items()]
                )
            ),
        )

    return st.recursive(scalars, nested, max_leaves=12)


SCALARS = {"DateTime": _datetimes(), "JSON": _json_values()}


def _row_counts(db) -> dict[str, int]:
    with db.read() as s:
        return {
            t: s.scalar(select(func.count()).select_from(text(t)))
            for t in TABLES_IN_DELETE_ORDER
            if t not in BOOKKEEPING
        }


def _has_error(body: dict) -> bool:
    if body.get("errors"):
        return True
    return any(isinstance(v, dict) and v.get("errors") for v in (body.get("data") or {}).values())


@pytest.fixture
def db_url(sqlite_url: str) -> str:
    return sqlite_url


def _scalars(ids: list[str]) -> dict[str, st.SearchStrategy]:
    """IDs mostly of stored objects, so the fields below them run too."""
    some_id = st.one_of(st.sampled_from(ids), st.text(max_size=20)).map(nodes.String)
    return {**SCALARS, "ID": some_id}


@pytest.fixture
def stored_ids(db) -> list[str]:
    seen, hidden = seed_two_groups(db)
    with db.read() as s:
        template, user = s.scalar(select(BonusTemplate.id)), s.scalar(select(User.id))
    return [*seen.values(), *hidden.values(), encode_id("BonusTemplate", template), encode_id("User", user)]


@pytest.fixture
def fuzz(app, db, stored_ids):
    """Sends a document as the ADMIN and checks the answer is a client's answer."""
    make_operator(db, "root", "ADMIN")

    async def post(document: str, token: str | None = None) -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://questline.test") as http:
            headers = {"accept": "application/graphql-response+json"}
            if token:
                headers["authorization"] = f"Bearer {token}"
            return await http.post("/graphql", json={"query": document}, headers=headers)

    login = 'mutation { login(username: "root", password: "password-123") { token } }'
    token = asyncio.run(post(login)).json()["data"]["login"]["token"]

    def send(document: str) -> dict:
        resp = asyncio.run(post(document, token))
        body = resp.json()
        codes = [(e.get("extensions") or {}).get("code") for e in body.get("errors") or []]
        assert resp.status_code < 500 and "INTERNAL_SERVER_ERROR" not in codes, (document, resp.status_code, body)
        return body

    return send


# Now and then an operation leaves one of strawberry's resolver coroutines never
# awaited: a RuntimeWarning when it is collected, with every answer right (which is what
# these tests check). Not traced to a document: two runs of both tests without this
# filter (the same derandomized examples) met none. The likely path is graphql-core's,
# not ours: when a field's error ends its parent's execution early, sibling resolvers
# already called are settled in a background task (graphql-core 3.3), and a resolver
# whose task never starts is never awaited; see graphql-python/graphql-core#236, #269
# (open) and #217 (open), strawberry-graphql/strawberry#3820 (docs/reliability.md).
DROPPED_RESOLVER = (
    "ignore:Exception ignored in. <coroutine object GraphQLCoreConverter.from_resolver.<locals>._async_resolver"
    ":pytest.PytestUnraisableExceptionWarning"
)

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    # The same examples on every run, so the suite's answer never depends on the draw.
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


@pytest.mark.filterwarnings(DROPPED_RESOLVER)
def test_fuzzed_queries_get_a_clients_answer(fuzz, stored_ids):
    @FUZZ
    @given(queries(served_schema(), custom_scalars=_scalars(stored_ids)))
    def run(document: str) -> None:
        fuzz(document)

    run()


@pytest.mark.filterwarnings(DROPPED_RESOLVER)
def test_fuzzed_mutations_get_a_clients_answer_and_write_nothing_when_refused(fuzz, db, stored_ids):
    schema = served_schema()
    scalars = _scalars(stored_ids)
    one_field_each = st.one_of(
        *(mutations(schema, fields=[name], custom_scalars=scalars) for name in schema.mutation_type.fields)
    )

    @FUZZ
    @given(one_field_each)
    def run(document: str) -> None:
        before = _row_counts(db)
        body = fuzz(document)
        if _has_error(body):
            assert _row_counts(db) == before, (document, json.dumps(body)[:2000])

    run()
