"""Input a caller can send that the columns or the clock cannot take: refused per event
with a clear code, never a 500, never stored half-way."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text, update

from backend.models import Event, User, utcnow

TRACK = "mutation($e: [EventInput!]!) { trackEvents(events: $e) { accepted errors { code message field } } }"
USERS = "{ users(first: 10) { edges { node { externalId financial { depositCount depositTotal withdrawalTotal } } } } }"


def _headers(admin) -> dict:
    return {"authorization": f"Bearer {admin.token}", "content-type": "application/json"}


def _stored_events(db) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(Event))


def _deposit(event_id: str, amount, **extra) -> dict:
    return {"eventId": event_id, "externalId": "p1", "name": "deposit", "properties": {"amount": amount}, **extra}


@pytest.mark.parametrize("amount", [1e16, -1e16, 1e308, 10**30, 1_000_000_000_001])
async def test_an_amount_beyond_what_totals_hold_is_refused_per_event(admin, db, amount):
    events = [_deposit("ok", 10), _deposit("big", amount)]
    resp = await admin.http.post("/api/events", json=events, headers=_headers(admin))
    assert resp.status_code == 400
    [error] = resp.json()["errors"]
    assert (error["index"], error["code"]) == (1, "INVALID_INPUT") and "within ±1,000,000,000,000" in error["message"]
    data = await admin(TRACK, {"e": events})
    assert data["trackEvents"]["accepted"] == 0
    assert [(e["code"], e["field"]) for e in data["trackEvents"]["errors"]] == [
        ("INVALID_INPUT", ["events", "1", "properties", "amount"])
    ]
    assert _stored_events(db) == 0


async def test_infinity_and_nan_are_refused_in_both_intakes(admin, db):
    body = '[{"eventId": "a", "externalId": "p1", "name": "deposit", "properties": {"amount": Infinity}}]'
    resp = await admin.http.post("/api/events", content=body, headers=_headers(admin))
    assert resp.status_code == 400 and resp.json()["errors"][0]["code"] == "INVALID_INPUT"
    literal = (
        'mutation { trackEvents(events: [{eventId: "a", externalId: "p1", name: "deposit", '
        "properties: {amount: 1e400}}]) { errors { code field } } }"
    )
    answer = await admin.raw(literal)
    assert admin.last_response.status_code < 500 and "INTERNAL_SERVER_ERROR" not in str(answer)
    assert _stored_events(db) == 0


async def test_totals_stop_at_their_bound_and_the_users_page_keeps_answering(admin, db):
    events = [_deposit(f"d{i}", 1_000_000_000_000) for i in range(1_001)]
    resp = await admin.http.post("/api/events", json=events, headers=_headers(admin))
    assert resp.status_code == 200 and resp.json()["accepted"] == 1_001
    [node] = [e["node"] for e in (await admin(USERS))["users"]["edges"]]
    assert node["financial"] == {"depositCount": 1_001, "depositTotal": 1e15, "withdrawalTotal": 0.0}


async def test_a_total_stored_as_infinity_by_an_older_version_does_not_break_the_users_page(admin, db):
    if db.dialect != "sqlite":
        pytest.skip("only SQLite could store an infinity in a NUMERIC column")
    await admin(TRACK, {"e": [_deposit("d1", 5)]})
    with db.unit_of_work() as uow:
        uow.session.execute(update(User).values(deposit_total=text("9e999")))
    [node] = [e["node"] for e in (await admin(USERS))["users"]["edges"]]
    assert node["externalId"] == "p1" and node["financial"]["depositTotal"] == 1e15


@pytest.mark.parametrize(
    "occurred, message",
    [
        ("0001-01-01T00:00:00+05:00", "out of range"),
        ("9999-12-31T23:59:59-05:00", "out of range"),
        ("1800-01-01T00:00:00Z", "1900 or later"),
        ("2099-01-01T00:00:00Z", "more than a day ahead"),
    ],
)
async def test_an_occurred_at_out_of_range_or_ahead_is_refused_with_its_index(admin, db, occurred, message):
    events = [{"eventId": "ok", "externalId": "p1", "name": "login"}, _deposit("bad", 5, occurredAt=occurred)]
    resp = await admin.http.post("/api/events", json=events, headers=_headers(admin))
    assert resp.status_code == 400
    [error] = resp.json()["errors"]
    assert (error["index"], error["code"]) == (1, "INVALID_INPUT") and message in error["message"]
    data = await admin(TRACK, {"e": events})
    assert [(e["code"], e["field"]) for e in data["trackEvents"]["errors"]] == [
        ("INVALID_INPUT", ["events", "1", "occurredAt"])
    ]
    assert message in data["trackEvents"]["errors"][0]["message"]
    assert _stored_events(db) == 0


async def test_an_occurred_at_a_little_ahead_is_taken(admin, db):
    soon = (utcnow() + timedelta(hours=23)).isoformat()
    data = await admin(TRACK, {"e": [_deposit("d1", 5, occurredAt=soon)]})
    assert data["trackEvents"] == {"accepted": 1, "errors": []}


REPORTS = """query($id: ID!, $from: DateTime, $to: DateTime) { journey(id: $id) {
  stats(from: $from, to: $to) { entered }
  funnel(from: $from, to: $to) { status count }
  communicationStats(from: $from, to: $to) { sent }
  controlGroupReport(from: $from, to: $to) { treatment { entries } } } }"""
CREATE = "mutation($i: JourneyInput!) { createJourney(input: $i) { journey { id } errors { code message } } }"


async def _journey(admin) -> str:
    definition = {"trigger": {"kind": "API"}, "start": "w", "steps": [{"id": "w", "kind": "wait", "seconds": 60}]}
    return (await admin(CREATE, {"i": {"name": "Dates", "definition": definition}}))["createJourney"]["journey"]["id"]


async def test_report_bounds_without_a_zone_are_read_as_utc(admin, db):
    jid = await _journey(admin)
    data = await admin(REPORTS, {"id": jid, "from": "2026-01-01T00:00:00", "to": "2026-12-31T00:00:00"})
    assert data["journey"]["stats"] == {"entered": 0} and data["journey"]["communicationStats"] == []
    mixed = await admin(REPORTS, {"id": jid, "from": "2026-01-01T00:00:00", "to": "2026-12-31T00:00:00+02:00"})
    assert mixed["journey"]["controlGroupReport"]["treatment"] == {"entries": 0}


async def test_report_bounds_that_cannot_be_taken_to_utc_are_refused_with_a_code(admin, db):
    jid = await _journey(admin)
    body = await admin.raw(REPORTS, {"id": jid, "from": "9999-12-31T23:59:59-05:00"})
    codes = {e["extensions"]["code"] for e in body["errors"]}
    assert codes == {"INVALID_INPUT"} and "out of range" in body["errors"][0]["message"]


async def test_a_mission_window_without_a_zone_is_read_as_utc(admin, db):
    mutation = """mutation($s: DateTime, $e: DateTime) { createMission(input: {name: "M",
      goal: {event: "bet", measure: "count", target: 3}, reward: {points: 5}, startsAt: $s, endsAt: $e}) {
      mission { name } errors { code message field } } }"""
    ok = await admin(mutation, {"s": "2026-01-01T00:00:00", "e": "2026-02-01T00:00:00+01:00"})
    assert ok["createMission"] == {"mission": {"name": "M"}, "errors": []}
    far = await admin(mutation, {"s": "0001-01-01T00:00:00+05:00", "e": None})
    assert [(e["code"], e["field"]) for e in far["createMission"]["errors"]] == [
        ("INVALID_INPUT", ["input", "startsAt"])
    ]


async def test_ndjson_takes_json_line_separators_inside_strings_and_a_byte_order_mark(admin, db):
    headers = {"authorization": f"Bearer {admin.token}", "content-type": "application/x-ndjson"}
    lines = [
        '{"eventId": "e1", "externalId": "p1", "name": "chat", "properties": {"text": "a\u2028b\u0085c\u2029d"}}',
        '{"eventId": "e2", "externalId": "p1", "name": "chat", "properties": {"text": "\u0085"}}',
    ]
    body = "\ufeff" + "\r\n".join(lines) + "\r\n"
    resp = await admin.http.post("/api/events", content=body.encode("utf-8"), headers=headers)
    assert (resp.status_code, resp.json()) == (200, {"accepted": 2, "duplicates": 0, "errors": []})
    with db.read() as s:
        texts = dict(s.execute(select(Event.event_id, Event.properties)).all())
    assert texts["e1"]["text"] == "a\u2028b\u0085c\u2029d" and texts["e2"]["text"] == "\u0085"
    array = "\ufeff" + json.dumps([{"eventId": "e3", "externalId": "p1", "name": "login"}])
    resp = await admin.http.post("/api/events", content=array.encode(), headers=_headers(admin))
    assert resp.json()["accepted"] == 1


UPSERT = "mutation($u: [UserInput!]!) { upsertUsers(users: $u) { created updated errors { code message field } } }"
PHONES = "{ users(first: 10) { edges { node { externalId phone } } } }"


async def _phones(admin) -> dict:
    return {e["node"]["externalId"]: e["node"]["phone"] for e in (await admin(PHONES))["users"]["edges"]}


async def test_phones_are_stored_in_e164_read_in_the_users_country(admin, db):
    users = [
        {"externalId": "lv", "phone": "+371 2000 0001"},
        {"externalId": "de", "phone": "0151 2345 6789", "attributes": {"country": "DE"}},
        {"externalId": "us", "phone": "(202) 555-0100", "timezone": "America/New_York"},
        {"externalId": "bare", "phone": "37120000002"},
    ]
    data = await admin(UPSERT, {"u": users})
    assert data["upsertUsers"]["errors"] == [] and data["upsertUsers"]["created"] == 4
    assert await _phones(admin) == {
        "lv": "+37120000001",
        "de": "+4915123456789",
        "us": "+12025550100",
        "bare": "+37120000002",
    }
    # A later national number is read in the country already stored for that user.
    again = await admin(UPSERT, {"u": [{"externalId": "de", "phone": "0170 1234567"}]})
    assert again["upsertUsers"]["errors"] == []
    assert (await _phones(admin))["de"] == "+491701234567"
    found = await admin('{ users(search: "+49 170") { edges { node { externalId } } } }')
    assert [e["node"]["externalId"] for e in found["users"]["edges"]] == ["de"]


async def test_what_cannot_be_a_phone_is_refused_and_nothing_is_written(admin, db):
    users = [
        {"externalId": "ok", "phone": "+351 910 000 001"},
        {"externalId": "short", "phone": "+351 12"},
        {"externalId": "words", "phone": "call me maybe"},
        {"externalId": "national", "phone": "0151 2345 6789"},
    ]
    data = await admin(UPSERT, {"u": users})
    errors = data["upsertUsers"]["errors"]
    assert [(e["code"], e["field"]) for e in errors] == [
        ("INVALID_INPUT", ["users", "1", "phone"]),
        ("INVALID_INPUT", ["users", "2", "phone"]),
        ("INVALID_INPUT", ["users", "3", "phone"]),
    ]
    assert "country code" in errors[2]["message"]
    assert await _phones(admin) == {}


CREATE_FULL = (
    "mutation($i: JourneyInput!) { createJourney(input: $i) { journey { id } errors { code message field } } }"
)
UPDATE_FULL = (
    "mutation($id: ID!, $i: JourneyInput!) { updateJourney(id: $id, input: $i) { errors { code message field } } }"
)


def _waits(n: int, name: str = "w") -> dict:
    steps = [{"id": f"s{i}", "kind": "wait", "seconds": 60, "name": name} for i in range(n)]
    return {"trigger": {"kind": "API"}, "start": "s0", "steps": steps}


@pytest.mark.parametrize(
    "definition, field, message",
    [
        (_waits(1_001), ["input", "definition", "steps"], "at most 1,000 steps"),
        (_waits(1, "x" * 70_000), ["input", "definition", "steps", "0", "name"], "at most 65,536 characters"),
        (_waits(20, "x" * 60_000), ["input", "definition"], "at most 1,000,000 bytes"),
    ],
)
async def test_a_journey_document_past_its_size_limits_is_refused_and_nothing_is_written(
    admin, db, definition, field, message
):
    from backend.models import Journey, JourneyVersion

    created = (await admin(CREATE_FULL, {"i": {"name": "Big", "definition": definition}}))["createJourney"]
    assert created["journey"] is None
    assert [(e["code"], e["field"]) for e in created["errors"]] == [("LIMIT_EXCEEDED", field)]
    assert message in created["errors"][0]["message"]
    jid = await _journey(admin)
    updated = (await admin(UPDATE_FULL, {"id": jid, "i": {"name": "Big", "definition": definition}}))["updateJourney"]
    assert [e["code"] for e in updated["errors"]] == ["LIMIT_EXCEEDED"]
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Journey)) == 1
        assert s.scalar(select(func.count()).select_from(JourneyVersion)) == 1


async def test_a_journey_at_its_size_limits_is_kept(admin, db):
    created = (await admin(CREATE_FULL, {"i": {"name": "Big", "definition": _waits(1_000)}}))["createJourney"]
    assert created["errors"] == [] and created["journey"]["id"]


async def test_event_properties_past_their_size_are_refused_per_event(admin, db):
    big = {"eventId": "big", "externalId": "p1", "name": "chat", "properties": {"text": "x" * 70_000}}
    events = [{"eventId": "ok", "externalId": "p1", "name": "login"}, big]
    resp = await admin.http.post("/api/events", json=events, headers=_headers(admin))
    assert resp.status_code == 400
    [error] = resp.json()["errors"]
    assert (error["index"], error["code"]) == (1, "LIMIT_EXCEEDED") and "65,536 bytes" in error["message"]
    data = await admin(TRACK, {"e": events})
    assert [(e["code"], e["field"]) for e in data["trackEvents"]["errors"]] == [
        ("LIMIT_EXCEEDED", ["events", "1", "properties"])
    ]
    assert _stored_events(db) == 0
