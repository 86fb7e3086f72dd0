"""A database that cannot be reached answers 503 with Retry-After, over GraphQL and
plain HTTP, never a plain 500; once it is back the same request works."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import sessionmaker

from backend.auth.policy import Principal, Role
from backend.persistence.database import make_engine
from tests.conftest import make_operator

# Nothing listens on port 9; the password must appear in no answer and no log line.
DEAD_URL = "postgresql+psycopg://postgres:pw-s3cret@127.0.0.1:9/questline"
GQL = "application/graphql-response+json"


@contextmanager
def database_down(db) -> Iterator[None]:
    engine, sessions = db.engine, db._sessions
    db.engine = make_engine(DEAD_URL, connect_args={"connect_timeout": 2})
    db._sessions = sessionmaker(db.engine, expire_on_commit=False)
    try:
        yield
    finally:
        db.engine.dispose()
        db.engine, db._sessions = engine, sessions


def _unavailable(resp) -> None:
    assert resp.status_code == 503, resp.text
    assert resp.headers["retry-after"] == "5"
    assert "pw-s3cret" not in resp.text and "127.0.0.1" not in resp.text


async def test_an_operator_request_answers_503_while_the_database_is_down(client, db, caplog):
    make_operator(db, "ana", "ANALYST")
    token = await client.login("ana", "password-123")
    headers = {"authorization": f"Bearer {token}", "content-type": "application/json"}
    with database_down(db):
        for accept in (GQL, "application/json"):
            resp = await client.http.post(
                "/graphql", json={"query": "{ me { username } }"}, headers={**headers, "accept": accept}
            )
            _unavailable(resp)
            assert [e["extensions"]["code"] for e in resp.json()["errors"]] == ["SERVICE_UNAVAILABLE"]
    resp = await client.http.post("/graphql", json={"query": "{ me { username } }"}, headers=headers)
    assert resp.status_code == 200 and resp.json()["data"] == {"me": {"username": "ana"}}
    assert "pw-s3cret" not in caplog.text


async def test_a_login_answers_503_while_the_database_is_down(client, db, caplog):
    make_operator(db, "ana", "ANALYST")
    query = 'mutation { login(username: "ana", password: "password-123") { token errors { code } } }'
    with database_down(db):
        resp = await client.http.post("/graphql", json={"query": query}, headers={"accept": GQL})
        _unavailable(resp)
        assert resp.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    resp = await client.http.post("/graphql", json={"query": query}, headers={"accept": GQL})
    assert resp.status_code == 200 and resp.json()["data"]["login"]["token"]
    assert "pw-s3cret" not in caplog.text


async def test_api_events_answers_503_and_stores_nothing_while_the_database_is_down(admin, db, monkeypatch):
    from graphql_schema import events_http

    body = [{"eventId": "e1", "externalId": "p1", "name": "login"}]
    headers = {"authorization": f"Bearer {admin.token}"}
    with database_down(db):
        _unavailable(await admin.http.post("/api/events", json=body, headers=headers))  # reading the token
        # The token read before the outage: the write itself meets it.
        principal = Principal(operator_id=1, username="admin", role=Role.ADMIN, access_groups=frozenset())
        monkeypatch.setattr(events_http, "principal_from_header", _returns(principal))
        resp = await admin.http.post("/api/events", json=body, headers=headers)
        _unavailable(resp)
        assert [e["code"] for e in resp.json()["errors"]] == ["SERVICE_UNAVAILABLE"]
        assert (resp.json()["accepted"], resp.json()["duplicates"]) == (0, 0)
    resp = await admin.http.post("/api/events", json=body, headers=headers)
    assert resp.status_code == 200 and resp.json()["accepted"] == 1


def _returns(value):
    async def fake(*args, **kwargs):
        return value

    return fake
