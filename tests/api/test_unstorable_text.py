"""Text no database can store (a NUL character, a lone surrogate) is refused with a code
wherever it comes in, and nothing is written."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from backend.models import Bonus, Event, Journey, User

NUL = "bad\u0000text"


@pytest.mark.parametrize(
    "query, variables, field",
    [
        (
            "mutation($u: [UserInput!]!) { upsertUsers(users: $u) { errors { code field } } }",
            {"u": [{"externalId": "p1", "attributes": {"note": NUL}}]},
            ["users", "0", "attributes", "note"],
        ),
        (
            "mutation($e: [EventInput!]!) { trackEvents(events: $e) { errors { code field } } }",
            {"e": [{"eventId": "e1", "externalId": "p1", "name": "login", "properties": {NUL: 1}}]},
            None,
        ),
        (
            'mutation($r: String!) { grantBonus(externalId: "p1", templateId: "x", requestId: $r) { errors { code field } } }',
            {"r": NUL},
            ["requestId"],
        ),
        (
            'mutation($d: JSON!) { createJourney(input: {name: "J", definition: $d}) { errors { code field } } }',
            {"d": {"start": NUL, "steps": []}},
            ["input", "definition", "start"],
        ),
    ],
)
async def test_mutations_refuse_it_in_their_payload(admin, db, query, variables, field):
    body = await admin.raw(query, variables)
    [payload] = body["data"].values()
    [error] = payload["errors"]
    assert error["code"] == "INVALID_INPUT"
    if field is not None:
        assert error["field"] == field
    with db.read() as s:
        assert [s.scalar(select(func.count()).select_from(m)) for m in (User, Event, Bonus, Journey)] == [0, 0, 0, 0]


async def test_queries_and_login_refuse_it_with_a_code(admin, db, client):
    body = await admin.raw("query($x: String!) { user(externalId: $x) { id } }", {"x": NUL})
    assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    login = await client.raw(
        'mutation($u: String!) { login(username: $u, password: "x") { token errors { code } } }', {"u": NUL}, token=""
    )
    assert login["data"]["login"]["errors"] == [{"code": "INVALID_INPUT"}]


async def test_not_a_number_is_refused_too(admin, db):
    raw = (
        '{"query": "mutation($e: [EventInput!]!) { trackEvents(events: $e) { accepted errors { code field } } }", '
        '"variables": {"e": [{"eventId": "e1", "externalId": "p1", "name": "deposit", "properties": {"amount": NaN}}]}}'
    )
    resp = await admin.http.post(
        "/graphql", content=raw, headers={"content-type": "application/json", "authorization": f"Bearer {admin.token}"}
    )
    payload = resp.json()["data"]["trackEvents"]
    assert payload["errors"] == [{"code": "INVALID_INPUT", "field": ["events", "0", "properties", "amount"]}]
    bulk = await admin.http.post(
        "/api/events",
        content='[{"eventId": "e2", "externalId": "p1", "name": "deposit", "properties": {"amount": Infinity}}]',
        headers={"authorization": f"Bearer {admin.token}", "content-type": "application/json"},
    )
    assert bulk.status_code == 400 and bulk.json()["errors"][0]["code"] == "INVALID_INPUT"
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Event)) == 0


async def test_bulk_events_refuse_it_whole(admin, db):
    events = [
        {"eventId": "e1", "externalId": "p1", "name": "login"},
        {"eventId": "e2", "externalId": "p1", "name": "login", "properties": {"x": NUL}},
    ]
    resp = await admin.http.post(
        "/api/events",
        content="\n".join(json.dumps(e) for e in events),
        headers={"authorization": f"Bearer {admin.token}", "content-type": "application/x-ndjson"},
    )
    assert resp.status_code == 400
    [error] = resp.json()["errors"]
    assert (error["code"], error["index"], error["field"]) == ("INVALID_INPUT", 1, ["1", "properties", "x"])
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Event)) == 0
