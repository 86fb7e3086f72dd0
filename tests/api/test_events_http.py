"""POST /api/events as a high-volume sender would use it."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from backend.models import Event
from tests.conftest import make_operator


def _ndjson(events):
    return "\n".join(json.dumps(e) for e in events) + "\n"


async def test_ndjson_and_json_array_bodies_are_accepted(admin, db, queue):
    headers = {"authorization": f"Bearer {admin.token}", "content-type": "application/x-ndjson"}
    body = _ndjson([{"eventId": f"e{i}", "externalId": "p1", "name": "login"} for i in range(3)])
    resp = await admin.http.post("/api/events", content=body, headers=headers)
    assert resp.status_code == 200 and resp.json() == {"accepted": 3, "duplicates": 0, "errors": []}
    resp = await admin.http.post(
        "/api/events",
        json=[
            {"eventId": "e0", "externalId": "p1", "name": "login"},
            {"eventId": "e9", "externalId": "p1", "name": "bet"},
        ],
        headers={"authorization": f"Bearer {admin.token}"},
    )
    assert resp.json() == {"accepted": 1, "duplicates": 1, "errors": []}
    assert [c[0] for c in queue.calls] == ["process_events", "process_events"]


async def test_a_body_with_one_bad_line_is_refused_whole(admin, db):
    headers = {"authorization": f"Bearer {admin.token}", "content-type": "application/x-ndjson"}
    body = _ndjson(
        [{"eventId": "e1", "externalId": "p1", "name": "login"}, {"eventId": "e2", "externalId": "", "name": "x"}]
    )
    resp = await admin.http.post("/api/events", content=body, headers=headers)
    assert resp.status_code == 400
    errors = resp.json()["errors"]
    assert errors[0]["index"] == 1 and errors[0]["code"] == "INVALID_INPUT"
    resp = await admin.http.post("/api/events", content='{"eventId": "e1"}\n{not json\n', headers=headers)
    assert resp.status_code == 400 and resp.json()["errors"][0]["code"] == "INVALID_JSON"
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Event)) == 0


async def test_token_and_role_are_required(client, db):
    resp = await client.http.post("/api/events", json=[], headers={"content-type": "application/json"})
    assert resp.status_code == 401
    make_operator(db, "ana", "ANALYST")
    token = await client.login("ana", "password-123")
    resp = await client.http.post(
        "/api/events",
        json=[{"eventId": "e", "externalId": "p", "name": "x"}],
        headers={"authorization": f"Bearer {token}"},
    )
    assert resp.status_code == 403
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Event)) == 0


async def test_other_media_types_are_refused(admin):
    resp = await admin.http.post(
        "/api/events",
        content="eventId=1",
        headers={"authorization": f"Bearer {admin.token}", "content-type": "application/x-www-form-urlencoded"},
    )
    assert resp.status_code == 415
