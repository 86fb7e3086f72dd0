"""The editor's layout of a journey (step id -> x, y) is kept on the server, so every
operator's editor shows the same one; saving it is editing the journey, with its roles
and access groups, and it never touches the definition or its versions."""

from __future__ import annotations

from sqlalchemy import select

from backend.models import Journey, JourneyVersion
from graphql_schema.ids import encode_id
from tests.conftest import make_operator

CREATE = "mutation($i: JourneyInput!) { createJourney(input: $i) { journey { id } errors { code } } }"
ACTIVATE = "mutation($id: ID!) { activateJourney(id: $id) { journey { status version } errors { code } } }"
SAVE = """mutation($id: ID!, $l: JSON!) { saveJourneyLayout(id: $id, layout: $l) {
  journey { id layout definition version updatedAt } errors { code message field } } }"""
READ = "query($id: ID!) { journey(id: $id) { layout definition version updatedAt } }"
DEFINITION = {
    "trigger": {"kind": "API"},
    "start": "hi",
    "steps": [{"id": "hi", "kind": "points", "amount": 5, "next": "bye"}, {"id": "bye", "kind": "exit"}],
}
LAYOUT = {"hi": {"x": 40, "y": 120}, "bye": {"x": 290.5, "y": -30}}


async def _journey(client, db, groups: list[str]) -> tuple[dict[str, str], str]:
    make_operator(db, "root", "ADMIN")
    make_operator(db, "mia", "MANAGER", ["a"])
    make_operator(db, "ben", "MANAGER", ["b"])
    make_operator(db, "ana", "ANALYST", ["a"])
    tokens = {n: await client.login(n, "password-123") for n in ("root", "mia", "ben", "ana")}
    made = await client(
        CREATE, {"i": {"name": "Laid out", "definition": DEFINITION, "accessGroups": groups}}, token=tokens["root"]
    )
    return tokens, made["createJourney"]["journey"]["id"]


def _stored(db) -> tuple:
    with db.read() as s:
        j = s.scalar(select(Journey))
        versions = [
            (v.version, v.definition) for v in s.scalars(select(JourneyVersion).order_by(JourneyVersion.version))
        ]
        return j.layout, j.definition, j.version, j.updated_at, versions


async def test_a_manager_saves_the_layout_and_another_operator_reads_it(client, db):
    t, jid = await _journey(client, db, ["a"])
    await client(ACTIVATE, {"id": jid}, token=t["root"])
    before = await client(READ, {"id": jid}, token=t["ana"])
    assert before["journey"]["layout"] is None
    saved = (await client(SAVE, {"id": jid, "l": LAYOUT}, token=t["mia"]))["saveJourneyLayout"]
    assert saved["errors"] == []
    assert saved["journey"]["layout"] == {"hi": {"x": 40, "y": 120}, "bye": {"x": 290.5, "y": -30}}
    # Another operator (here an analyst of the group) sees the same layout.
    read = (await client(READ, {"id": jid}, token=t["ana"]))["journey"]
    assert read["layout"] == saved["journey"]["layout"]
    # The definition, the version and the time of the last edit are as they were.
    assert (read["definition"], read["version"], read["updatedAt"]) == (DEFINITION, 1, before["journey"]["updatedAt"])
    assert _stored(db)[4] == [(1, DEFINITION)]
    clone = await client(
        "mutation($id: ID!) { cloneJourney(id: $id) { journey { layout definition } } }", {"id": jid}, token=t["mia"]
    )
    assert clone["cloneJourney"]["journey"] == {"layout": saved["journey"]["layout"], "definition": DEFINITION}
    moved = await client(SAVE, {"id": jid, "l": {"hi": {"x": 0, "y": 0}}}, token=t["root"])
    assert moved["saveJourneyLayout"]["journey"]["layout"] == {"hi": {"x": 0, "y": 0}}


async def test_an_analyst_and_another_groups_manager_cannot_save_it(client, db):
    t, jid = await _journey(client, db, ["a"])
    await client(SAVE, {"id": jid, "l": LAYOUT}, token=t["mia"])
    before = _stored(db)
    analyst = await client.raw(SAVE, {"id": jid, "l": {"hi": {"x": 1, "y": 1}}}, token=t["ana"])
    assert analyst["data"]["saveJourneyLayout"]["errors"][0]["code"] == "FORBIDDEN"
    other = (await client(SAVE, {"id": jid, "l": {"hi": {"x": 1, "y": 1}}}, token=t["ben"]))["saveJourneyLayout"]
    # The same answer as for a journey that does not exist.
    missing = (await client(SAVE, {"id": encode_id("Journey", 999_999), "l": {}}, token=t["ben"]))["saveJourneyLayout"]
    assert other["journey"] is None and other["errors"][0]["code"] == "NOT_FOUND"
    assert other["errors"] == missing["errors"]
    assert _stored(db) == before


async def test_a_malformed_layout_is_refused_with_its_reason(client, db):
    t, jid = await _journey(client, db, [])
    await client(SAVE, {"id": jid, "l": LAYOUT}, token=t["mia"])
    before = _stored(db)
    cases = [
        ([1, 2], "must be a JSON object", ["layout"]),
        ({"hi": [1, 2]}, "step 'hi' must be placed as", ["layout", "hi"]),
        ({"hi": {"x": 1}}, "step 'hi' must be placed as", ["layout", "hi"]),
        ({"hi": {"x": "1", "y": 2}}, "the x of step 'hi' must be a number", ["layout", "hi", "x"]),
        ({"hi": {"x": 1, "y": True}}, "the y of step 'hi' must be a number", ["layout", "hi", "y"]),
        ({"hi": {"x": 1, "y": 1e12}}, "the y of step 'hi' is beyond", ["layout", "hi", "y"]),
        ({"h" * 121: {"x": 1, "y": 1}}, "a step id in the layout is 1 to 120 characters", ["layout"]),
        ({f"s{i}": {"x": i, "y": 0} for i in range(1001)}, "at most 1,000 steps", ["layout"]),
    ]
    for layout, message, field in cases:
        refused = (await client(SAVE, {"id": jid, "l": layout}, token=t["mia"]))["saveJourneyLayout"]
        assert refused["journey"] is None
        assert [(e["code"], e["field"]) for e in refused["errors"]] == [("INVALID_INPUT", field)], layout
        assert message in refused["errors"][0]["message"]
    assert _stored(db) == before
