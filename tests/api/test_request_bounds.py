"""One request cannot hold the server: bodies are capped before they are read, and
documents are bounded before they are parsed, more tightly without a token."""

from __future__ import annotations

import json

from tests.conftest import make_operator

GQL = "application/graphql-response+json"


def _headers(token: str | None = None, **extra: str) -> dict:
    headers = {"content-type": "application/json", "accept": GQL, **extra}
    if token:
        headers["authorization"] = f"Bearer {token}"
    return headers


async def _codes(resp) -> list[str]:
    return [e.get("extensions", {}).get("code") for e in resp.json()["errors"]]


async def test_a_huge_anonymous_document_is_refused_before_it_is_read_whole(client):
    body = json.dumps({"query": "{ " + "__typename " * 300_000 + "}"})
    resp = await client.http.post("/graphql", content=body, headers=_headers())
    assert resp.status_code == 413 and "bytes" in resp.json()["errors"][0]["message"]


async def test_an_anonymous_document_past_its_small_bounds_is_refused_unparsed(client):
    resp = await client.http.post("/graphql", json={"query": "{ " + "__typename " * 2_000 + "}"}, headers=_headers())
    assert resp.status_code == 400 and await _codes(resp) == ["DOCUMENT_TOO_LARGE"]
    assert "data" not in resp.json()


async def test_an_operators_document_is_bounded_in_characters_tokens_and_root_fields(client, db):
    make_operator(db, "ana", "ANALYST")
    token = await client.login("ana", "password-123")
    many_usernames = "{ me { " + "username " * 300_000 + "} }"
    too_long = await client.http.post("/graphql", json={"query": many_usernames}, headers=_headers(token))
    assert too_long.status_code == 400 and await _codes(too_long) == ["DOCUMENT_TOO_LARGE"]
    short_tokens = "{ me { " + "u " * 12_000 + "} }"  # 24 KB of one-letter tokens
    too_many_tokens = await client.http.post("/graphql", json={"query": short_tokens}, headers=_headers(token))
    assert await _codes(too_many_tokens) == ["DOCUMENT_TOO_LARGE"]
    assert "tokens" in too_many_tokens.json()["errors"][0]["message"]
    roots = "{ " + " ".join(f"a{i}: me {{ username }}" for i in range(60)) + " }"
    too_many_roots = await client.http.post("/graphql", json={"query": roots}, headers=_headers(token))
    assert await _codes(too_many_roots) == ["DOCUMENT_TOO_LARGE"]
    assert "root fields" in too_many_roots.json()["errors"][0]["message"]
    fine = "{ " + " ".join(f"a{i}: me {{ username }}" for i in range(50)) + " }"
    answered = await client.http.post("/graphql", json={"query": fine}, headers=_headers(token))
    assert answered.status_code == 200 and answered.json()["data"]["a49"] == {"username": "ana"}


async def test_fragments_spread_many_times_count_as_often_as_they_are_spread(client, db):
    make_operator(db, "ana", "ANALYST")
    token = await client.login("ana", "password-123")
    # Each level spreads the one below ten times: 10^4 selections from a short document.
    levels = ["fragment F0 on Operator { username }"]
    for n in range(1, 5):
        levels.append(f"fragment F{n} on Operator {{ " + " ".join(f"...F{n - 1}" for _ in range(10)) + " }")
    query = "{ me { ...F4 } } " + " ".join(levels)
    resp = await client.http.post("/graphql", json={"query": query}, headers=_headers(token))
    assert await _codes(resp) == ["DOCUMENT_TOO_LARGE"]


async def test_an_operators_body_past_the_cap_is_refused_before_the_rest_is_read(client, db):
    make_operator(db, "ana", "ANALYST")
    token = await client.login("ana", "password-123")
    sent = 0

    async def hundred_megabytes():
        nonlocal sent
        yield b'{"query": "{ me { username } }", "padding": "'
        for _ in range(100):
            sent += 1
            yield b"x" * (1024 * 1024)
        yield b'"}'

    resp = await client.http.post("/graphql", content=hundred_megabytes(), headers=_headers(token))
    assert resp.status_code == 413
    assert sent <= 12  # 10 MiB by default, then the server stopped reading


async def test_the_body_cap_is_a_setting(db, settings, queue):
    import dataclasses

    import httpx

    from graphql_schema.app import create_app, make_services
    from tests.conftest import GraphQLClient

    small = dataclasses.replace(settings, max_body_bytes=1_000)
    app = create_app(small, services=make_services(small, queue=queue, db=db))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://questline.test") as http:
        client = GraphQLClient(http=http)
        make_operator(db, "ana", "ANALYST")
        token = await client.login("ana", "password-123")
        body = json.dumps({"query": "{ me { username } }", "variables": {"pad": "x" * 2_000}})
        resp = await http.post("/graphql", content=body, headers=_headers(token))
        assert resp.status_code == 413 and "1,000 bytes" in resp.json()["errors"][0]["message"]
        declared = await http.post("/graphql", content=b"{}", headers=_headers(token, **{"content-length": "50000000"}))
        assert declared.status_code == 413


async def test_bodies_that_cannot_be_read_are_400_not_500(client, db):
    make_operator(db, "ana", "ANALYST")
    token = await client.login("ana", "password-123")
    not_utf8 = await client.http.post("/graphql", content=b'{"query": "\xff\xfe{ me }"}', headers=_headers(token))
    assert not_utf8.status_code == 400 and "UTF-8" in not_utf8.json()["errors"][0]["message"]
    deep = '{"query": "{ me { username } }", "variables": {"x": ' + "[" * 5_000 + "]" * 5_000 + "}}"
    nested = await client.http.post("/graphql", content=deep, headers=_headers(token))
    assert nested.status_code == 400 and "nested" in nested.json()["errors"][0]["message"]
    deep_literal = (
        'mutation { createJourney(input: {name: "x", definition: '
        + "{a: " * 3_000
        + "1"
        + "}" * 3_000
        + "}) { errors { code } } }"
    )
    in_document = await client.http.post("/graphql", json={"query": deep_literal}, headers=_headers(token))
    assert in_document.status_code == 400 and await _codes(in_document) == ["DOCUMENT_TOO_LARGE"]


def test_a_subscription_document_over_websocket_is_bounded_too(tmp_path):
    from websockets.sync.client import connect

    from tests.live import live_server

    with live_server(tmp_path, "--no-worker") as server:
        url = server.base.replace("http://", "ws://") + "/graphql"
        with connect(url, subprotocols=["graphql-transport-ws"], open_timeout=10) as ws:
            ws.send(json.dumps({"type": "connection_init", "payload": {}}))
            assert json.loads(ws.recv(10))["type"] == "connection_ack"
            huge = 'subscription { popups(userToken: "x") { ' + "body " * 5_000 + "} }"
            ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": huge}}))
            reply = json.loads(ws.recv(10))
    assert reply["type"] == "error"
    assert [e["extensions"]["code"] for e in reply["payload"]] == ["DOCUMENT_TOO_LARGE"]
