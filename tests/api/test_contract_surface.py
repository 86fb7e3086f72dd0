"""The served schema keeps the contract, every root field has an access rule, and the
catalog, profile and visibility rules work through the API."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import build_schema as parse_sdl
from graphql.utilities import find_breaking_changes
from sqlalchemy import func, select

from backend.models import Journey, Level, Resource
from graphql_schema.ids import encode_id
from graphql_schema.permissions import ROOT_FIELD_ROLES
from graphql_schema.schema import build_schema, schema_sdl
from tests.conftest import make_operator

CONTRACT = Path(__file__).resolve().parents[2].parent / "shared" / "contract" / "schema.graphql"


def test_served_schema_has_no_breaking_change_from_the_contract():
    if not CONTRACT.exists():
        pytest.skip(f"contract not found at {CONTRACT}")
    changes = find_breaking_changes(parse_sdl(CONTRACT.read_text()), parse_sdl(schema_sdl()))
    assert [c.description for c in changes] == []


def test_every_root_field_has_an_access_rule():
    schema = build_schema()._schema
    for root in (schema.query_type, schema.mutation_type, schema.subscription_type):
        missing = set(root.fields) - set(ROOT_FIELD_ROLES[root.name])
        assert missing == set(), f"{root.name} fields without a rule: {missing}"


CREATE_RESOURCE = """mutation($i: ResourceInput!) { createResource(input: $i) {
  resource { id name channel subject body } errors { field code message } } }"""


async def test_resources_are_created_listed_and_refused_when_duplicate(admin, db):
    data = await admin(
        CREATE_RESOURCE,
        {"i": {"name": "Welcome email", "channel": "EMAIL", "subject": "Hi", "body": "Hello {{ user.username }}"}},
    )
    assert data["createResource"]["errors"] == []
    rid = data["createResource"]["resource"]["id"]
    dup = await admin(CREATE_RESOURCE, {"i": {"name": "Welcome email", "channel": "SMS", "body": "x"}})
    assert dup["createResource"]["errors"][0]["code"] == "CONFLICT"
    empty = await admin(CREATE_RESOURCE, {"i": {"name": "Empty", "channel": "SMS", "body": "  "}})
    assert empty["createResource"]["errors"][0]["field"] == ["input", "body"]
    upd = await admin(
        """mutation($id: ID!, $i: ResourceInput!) { updateResource(id: $id, input: $i) {
        resource { name body } errors { code } } }""",
        {"id": rid, "i": {"name": "Welcome email", "channel": "EMAIL", "body": "New"}},
    )
    assert upd["updateResource"]["resource"]["body"] == "New"
    listed = await admin("{ resources(channel: EMAIL) { name } sms: resources(channel: SMS) { name } }")
    assert listed == {"resources": [{"name": "Welcome email"}], "sms": []}
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Resource)) == 1


async def test_bonus_templates_missions_badges_and_levels(admin, db):
    bt = await admin("""mutation { createBonusTemplate(input: {name: "10 free spins", kind: "FREE_SPINS", amount: 10}) {
        bonusTemplate { name kind amount } errors { code } } }""")
    assert bt["createBonusTemplate"]["bonusTemplate"]["amount"] == 10
    bad = await admin(
        """mutation { createBonusTemplate(input: {name: "zero", kind: "CASH", amount: 0}) { errors { code field } } }"""
    )
    assert bad["createBonusTemplate"]["errors"][0]["field"] == ["input", "amount"]
    mission = await admin(
        """mutation($g: JSON!, $r: JSON!) { createMission(input: {name: "Spin 50", goal: $g, reward: $r}) {
        mission { name goal reward } errors { code message } } }""",
        {
            "g": {"event": "spin", "measure": "count", "target": 50},
            "r": {"points": 100, "bonusTemplate": "10 free spins"},
        },
    )
    assert mission["createMission"]["errors"] == []
    unknown = await admin(
        """mutation($g: JSON!, $r: JSON!) { createMission(input: {name: "X", goal: $g, reward: $r}) { errors { code } } }""",
        {"g": {"event": "spin", "target": 5}, "r": {"bonusTemplate": "nope"}},
    )
    assert unknown["createMission"]["errors"][0]["code"] == "NOT_FOUND"
    badge = await admin(
        """mutation($r: JSON!) { createBadge(input: {name: "High roller", rule: $r}) { badge { name rule } errors { code } } }""",
        {"r": {"field": "user.financial.depositTotal", "op": "gte", "value": 1000}},
    )
    assert badge["createBadge"]["badge"]["rule"]["op"] == "gte"
    levels = await admin("""mutation { setLevels(levels: [{name: "Silver", threshold: 100}, {name: "Bronze", threshold: 0}]) {
        levels { name threshold } errors { code } } }""")
    assert [lv["name"] for lv in levels["setLevels"]["levels"]] == ["Bronze", "Silver"]
    dup = await admin(
        """mutation { setLevels(levels: [{name: "A", threshold: 1}, {name: "B", threshold: 1}]) { errors { code } } }"""
    )
    assert dup["setLevels"]["errors"][0]["code"] == "INVALID_INPUT"
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Level)) == 2


async def test_upsert_users_and_track_events_through_the_api(admin):
    up = await admin("""mutation { upsertUsers(users: [{externalId: "p1", username: "Ann", email: "ann@example.com", optOuts: [SMS]},
        {externalId: "", timezone: "Nowhere/City"}]) { created updated errors { field code } } }""")
    assert up["upsertUsers"]["created"] == 0
    assert {tuple(e["field"]) for e in up["upsertUsers"]["errors"]} == {
        ("users", "1", "externalId"),
        ("users", "1", "timezone"),
    }
    up = await admin("""mutation { upsertUsers(users: [{externalId: "p1", username: "Ann", email: "ann@example.com", optOuts: [SMS]}]) {
        created updated errors { code } } }""")
    assert (up["upsertUsers"]["created"], up["upsertUsers"]["updated"]) == (1, 0)
    ev = await admin("""mutation { trackEvents(events: [
        {eventId: "d1", externalId: "p1", name: "deposit", properties: {amount: 20}, occurredAt: "2026-11-01T10:00:00Z"},
        {eventId: "d1", externalId: "p1", name: "deposit", properties: {amount: 20}}]) { accepted duplicates errors { code } } }""")
    assert ev["trackEvents"] == {"accepted": 1, "duplicates": 1, "errors": []}
    user = await admin(
        """{ user(externalId: "p1") { externalId username optOuts financial { depositCount depositTotal } } }"""
    )
    assert user["user"] == {
        "externalId": "p1",
        "username": "Ann",
        "optOuts": ["SMS"],
        "financial": {"depositCount": 1, "depositTotal": 20.0},
    }
    found = await admin("""{ users(search: "ANN@") { totalCount edges { node { externalId } } } }""")
    assert found["users"]["totalCount"] == 1
    token = await admin("""mutation { issueUserToken(externalId: "p1") { token errors { code } } }""")
    assert token["issueUserToken"]["token"]
    missing = await admin("""mutation { issueUserToken(externalId: "nobody") { token errors { code } } }""")
    assert missing["issueUserToken"]["errors"][0]["code"] == "NOT_FOUND"


async def test_users_pages_with_keyset_cursors(admin):
    await admin(
        "mutation($u: [UserInput!]!) { upsertUsers(users: $u) { created } }",
        {"u": [{"externalId": f"p{i:02d}"} for i in range(7)]},
    )
    seen, after = [], None
    while True:
        page = await admin(
            "query($a: String) { users(first: 3, after: $a) { totalCount pageInfo { hasNextPage endCursor } edges { node { externalId } } } }",
            {"a": after},
        )
        conn = page["users"]
        assert conn["totalCount"] == 7
        seen += [e["node"]["externalId"] for e in conn["edges"]]
        if not conn["pageInfo"]["hasNextPage"]:
            break
        after = conn["pageInfo"]["endCursor"]
    assert sorted(seen) == [f"p{i:02d}" for i in range(7)] and len(seen) == 7


def _journey(db, name, groups):
    with db.unit_of_work() as uow:
        j = Journey(name=name, access_groups=groups, tags=[], definition={"steps": []}, status="DRAFT")
        uow.session.add(j)
        uow.flush()
        return j.id


async def test_journeys_outside_the_callers_groups_are_invisible(client, db):
    eu = _journey(db, "EU welcome", ["eu"])
    open_ = _journey(db, "Open", [])
    make_operator(db, "us_analyst", "ANALYST", ["us"])
    make_operator(db, "eu_analyst", "ANALYST", ["eu"])
    gid = encode_id("Journey", eu)
    q = "query($id: ID!) { journey(id: $id) { name } node(id: $id) { id } journeys { totalCount edges { node { name } } } }"
    us = await client(q, {"id": gid}, token=await client.login("us_analyst", "password-123"))
    assert us["journey"] is None and us["node"] is None
    assert [e["node"]["name"] for e in us["journeys"]["edges"]] == ["Open"]
    euv = await client(q, {"id": gid}, token=await client.login("eu_analyst", "password-123"))
    assert euv["journey"] == {"name": "EU welcome"} and euv["node"] == {"id": gid}
    assert euv["journeys"]["totalCount"] == 2
    assert open_ != eu


async def test_analyst_may_not_mutate(client, db):
    make_operator(db, "ana", "ANALYST")
    token = await client.login("ana", "password-123")
    data = await client(CREATE_RESOURCE, {"i": {"name": "X", "channel": "SMS", "body": "hi"}}, token=token)
    assert data["createResource"]["errors"][0]["code"] == "FORBIDDEN"
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Resource)) == 0


async def test_a_malformed_id_is_not_found_and_writes_nothing(admin, db):
    data = await admin(
        """mutation { grantBonus(externalId: "p1", templateId: "x", requestId: "r1") { bonus { id } errors { code } } }"""
    )
    assert data["grantBonus"] == {"bonus": None, "errors": [{"code": "NOT_FOUND"}]}
