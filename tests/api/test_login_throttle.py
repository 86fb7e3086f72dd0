"""Guessing passwords is throttled: failed logins per username and per client address
within a window, and one `login` a request."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select

from backend.models import LoginFailure
from tests.conftest import GraphQLClient, make_operator

LOGIN = """mutation($u: String!, $p: String!) { login(username: $u, password: $p) {
  token errors { code message retryAfterSeconds } } }"""
WINDOW = 600


@pytest.fixture
def settings(settings):
    return replace(settings, login_failures_per_username=3, login_failures_per_address=5, login_window_seconds=WINDOW)


async def _login(client: GraphQLClient, username: str, password: str) -> dict:
    return (await client(LOGIN, {"u": username, "p": password}, token=""))["login"]


def _failures(db) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(LoginFailure))


def _age_failures(db, seconds: int) -> None:
    with db.unit_of_work() as uow:
        for failure in uow.session.scalars(select(LoginFailure)):
            failure.failed_at -= timedelta(seconds=seconds)


async def test_a_username_is_refused_after_its_failures_until_the_window_passes(client, db):
    make_operator(db, "ana", "ANALYST")
    make_operator(db, "bob", "ANALYST")
    for _ in range(3):
        assert (await _login(client, "ana", "wrong-password"))["errors"][0]["code"] == "INVALID_CREDENTIALS"
    refused = await _login(client, "ana", "password-123")
    assert refused["token"] is None
    (error,) = refused["errors"]
    assert error["code"] == "TOO_MANY_ATTEMPTS" and 0 < error["retryAfterSeconds"] <= WINDOW
    assert client.last_response.headers["retry-after"] == str(error["retryAfterSeconds"])
    assert _failures(db) == 3  # a refused attempt is not counted: waiting is enough
    # Another operator from the same address is not held back by ana's failures.
    assert (await _login(client, "bob", "password-123"))["token"]
    _age_failures(db, error["retryAfterSeconds"] - 5)  # not waited long enough
    assert (await _login(client, "ana", "password-123"))["errors"][0]["code"] == "TOO_MANY_ATTEMPTS"
    _age_failures(db, 6)  # waited as long as told
    assert (await _login(client, "ana", "password-123"))["token"]
    assert _failures(db) == 0  # a good password clears the username's failures


async def test_failures_of_unknown_usernames_count_too(client, db):
    for _ in range(3):
        assert (await _login(client, "nobody", "guess"))["errors"][0]["code"] == "INVALID_CREDENTIALS"
    assert (await _login(client, " nobody ", "guess"))["errors"][0]["code"] == "TOO_MANY_ATTEMPTS"


async def test_an_address_is_refused_after_its_failures_whatever_the_username(app, client, db):
    make_operator(db, "ana", "ANALYST")
    for n in range(5):
        assert (await _login(client, f"user{n}", "guess"))["errors"][0]["code"] == "INVALID_CREDENTIALS"
    refused = await _login(client, "ana", "password-123")
    assert refused["errors"][0]["code"] == "TOO_MANY_ATTEMPTS"
    transport = httpx.ASGITransport(app=app, client=("10.1.2.3", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://questline.test") as http:
        elsewhere = GraphQLClient(http=http)
        assert (await _login(elsewhere, "ana", "password-123"))["token"]


async def test_a_good_password_resets_the_usernames_count(client, db):
    make_operator(db, "ana", "ANALYST")
    for _ in range(2):
        await _login(client, "ana", "wrong-password")
    assert (await _login(client, "ana", "password-123"))["token"]
    for _ in range(2):
        assert (await _login(client, "ana", "wrong-password"))["errors"][0]["code"] == "INVALID_CREDENTIALS"
    assert (await _login(client, "ana", "password-123"))["token"]


@pytest.mark.parametrize(
    "document",
    [
        'mutation { a: login(username: "ana", password: "x1") { token } b: login(username: "ana", password: "x2") { token } }',
        'mutation { ...A ...B } fragment A on Mutation { a: login(username: "ana", password: "x1") { token } } '
        'fragment B on Mutation { b: login(username: "ana", password: "x2") { token } }',
    ],
)
async def test_one_request_may_log_in_once(client, db, document):
    make_operator(db, "ana", "ANALYST")
    body = await client.raw(document, token="")
    assert client.last_response.status_code == 400 and "data" not in body
    assert [e["extensions"]["code"] for e in body["errors"]] == ["ONE_LOGIN_PER_REQUEST"]
    assert _failures(db) == 0  # no password was tried


async def test_a_username_that_cannot_be_stored_is_a_wrong_login_not_a_server_error(client, db):
    for bad in ("ana\x00", "\ud800"):
        resp = await client.http.post(
            "/graphql",
            content=json.dumps({"query": LOGIN, "variables": {"u": bad, "p": "guess"}}),  # escapes, as JSON may
            headers={"content-type": "application/json"},
        )
        body = resp.json()
        assert not body.get("errors")
        assert body["data"]["login"]["errors"][0]["code"] in ("INVALID_INPUT", "INVALID_CREDENTIALS")
