"""Resources have access groups like journeys, and a manager cannot take what is open to
every operator (a journey or a resource without groups) into their own groups."""

from __future__ import annotations

from sqlalchemy import select

from backend.models import Communication, Journey, Resource, User
from graphql_schema.ids import encode_id
from tests.conftest import make_operator

RESOURCE = "id name body accessGroups"
CREATE_R = (
    "mutation($i: ResourceInput!) { createResource(input: $i) { resource { " + RESOURCE + " } errors { code } } }"
)
UPDATE_R = (
    "mutation($id: ID!, $i: ResourceInput!) { updateResource(id: $id, input: $i) { resource { "
    + RESOURCE
    + " } errors { code } } }"
)
UPDATE_J = "mutation($id: ID!, $i: JourneyInput!) { updateJourney(id: $id, input: $i) { journey { accessGroups } errors { code } } }"
DRAFT = {"trigger": {"kind": "API"}, "start": "s", "steps": [{"id": "s", "kind": "exit"}]}


async def _tokens(client, db) -> dict[str, str]:
    make_operator(db, "root", "ADMIN")
    make_operator(db, "mia", "MANAGER", ["a"])
    make_operator(db, "ben", "MANAGER", ["b"])
    make_operator(db, "ana", "ANALYST", ["b"])
    make_operator(db, "max", "MANAGER", ["a", "b"])
    return {name: await client.login(name, "password-123") for name in ("root", "mia", "ben", "ana", "max")}


def _text(body: str, **extra) -> dict:
    return {"name": "Welcome", "channel": "EMAIL", "subject": "Hi", "body": body, **extra}


async def test_a_group_b_resource_is_not_found_by_a_group_a_manager(client, db):
    t = await _tokens(client, db)
    made = (await client(CREATE_R, {"i": _text("Group B text")}, token=t["ben"]))["createResource"]
    assert made["errors"] == [] and made["resource"]["accessGroups"] == ["b"]  # the manager's groups
    rid = made["resource"]["id"]
    listed = await client("{ resources { id } }", token=t["mia"])
    assert listed["resources"] == []
    assert (await client("query($id: ID!) { node(id: $id) { id } }", {"id": rid}, token=t["mia"]))["node"] is None
    edit = (await client(UPDATE_R, {"id": rid, "i": _text("overwritten")}, token=t["mia"]))["updateResource"]
    assert edit == {"resource": None, "errors": [{"code": "NOT_FOUND"}]}
    # Its own group and an ADMIN see it; an analyst of group b reads it.
    for who in ("ben", "ana", "root", "max"):
        assert [r["id"] for r in (await client("{ resources { id } }", token=t[who]))["resources"]] == [rid]
    with db.read() as s:
        assert s.scalar(select(Resource.body)) == "Group B text"


async def test_a_manager_gives_a_resource_only_groups_they_are_in(client, db):
    t = await _tokens(client, db)
    refused = (await client(CREATE_R, {"i": _text("x", accessGroups=["b"])}, token=t["mia"]))["createResource"]
    assert refused == {"resource": None, "errors": [{"code": "FORBIDDEN"}]}
    made = (await client(CREATE_R, {"i": _text("x", accessGroups=["a", "b"])}, token=t["max"]))["createResource"]
    rid = made["resource"]["id"]
    # mia (group a) may edit the text, but may not take group b away from it.
    kept = await client(UPDATE_R, {"id": rid, "i": _text("y", accessGroups=["a", "b"])}, token=t["mia"])
    assert kept["updateResource"]["resource"]["accessGroups"] == ["a", "b"]
    narrowed = await client(UPDATE_R, {"id": rid, "i": _text("z", accessGroups=["a"])}, token=t["mia"])
    assert narrowed["updateResource"]["errors"] == [{"code": "FORBIDDEN"}]
    with db.read() as s:
        assert (s.scalar(select(Resource.body)), s.scalar(select(Resource.access_groups))) == ("y", ["a", "b"])


async def test_an_open_resource_cannot_be_taken_into_a_managers_groups(client, db):
    t = await _tokens(client, db)
    made = (await client(CREATE_R, {"i": _text("for everyone")}, token=t["root"]))["createResource"]
    rid = made["resource"]["id"]
    assert made["resource"]["accessGroups"] == []
    taken = await client(UPDATE_R, {"id": rid, "i": _text("mine", accessGroups=["a"])}, token=t["mia"])
    assert taken["updateResource"]["errors"] == [{"code": "FORBIDDEN"}]
    edited = (await client(UPDATE_R, {"id": rid, "i": _text("edited")}, token=t["mia"]))["updateResource"]
    assert edited["resource"] == {"id": rid, "name": "Welcome", "body": "edited", "accessGroups": []}
    assert [r["id"] for r in (await client("{ resources { id } }", token=t["ben"]))["resources"]] == [rid]
    admin = await client(UPDATE_R, {"id": rid, "i": _text("edited", accessGroups=["b"])}, token=t["root"])
    assert admin["updateResource"]["resource"]["accessGroups"] == ["b"]


async def test_an_open_journey_cannot_be_taken_into_a_managers_groups(client, db):
    t = await _tokens(client, db)
    made = await client(
        "mutation($i: JourneyInput!) { createJourney(input: $i) { journey { id accessGroups } } }",
        {"i": {"name": "Open", "definition": DRAFT}},
        token=t["root"],
    )
    jid = made["createJourney"]["journey"]["id"]
    taken = await client(
        UPDATE_J, {"id": jid, "i": {"name": "Open", "definition": DRAFT, "accessGroups": ["a"]}}, token=t["mia"]
    )
    assert taken["updateJourney"] == {"journey": None, "errors": [{"code": "FORBIDDEN"}]}
    kept = await client(UPDATE_J, {"id": jid, "i": {"name": "Open", "definition": DRAFT}}, token=t["mia"])
    assert kept["updateJourney"] == {"journey": {"accessGroups": []}, "errors": []}
    with db.read() as s:
        assert s.scalar(select(Journey.access_groups)) == []
    # A journey of groups a and b: mia (a) may save it as it is, not drop group b.
    both = await client(
        UPDATE_J, {"id": jid, "i": {"name": "Open", "definition": DRAFT, "accessGroups": ["a", "b"]}}, token=t["root"]
    )
    assert both["updateJourney"]["journey"]["accessGroups"] == ["a", "b"]
    same = await client(
        UPDATE_J, {"id": jid, "i": {"name": "Open", "definition": DRAFT, "accessGroups": ["b", "a"]}}, token=t["mia"]
    )
    assert same["updateJourney"]["errors"] == []
    dropped = await client(
        UPDATE_J, {"id": jid, "i": {"name": "Open", "definition": DRAFT, "accessGroups": ["a"]}}, token=t["mia"]
    )
    assert dropped["updateJourney"]["errors"] == [{"code": "FORBIDDEN"}]


async def test_a_visible_message_shows_the_resource_it_was_made_from(client, db):
    t = await _tokens(client, db)
    with db.unit_of_work() as uow:
        s = uow.session
        user = User(external_id="p1", external_id_lc="p1", attributes={}, opt_outs=[])
        resource = Resource(name="B text", channel="EMAIL", subject="Hi", body="Hello", access_groups=["b"])
        journey = Journey(name="A journey", definition=DRAFT, status="ACTIVE", access_groups=["a"], tags=[])
        s.add_all([user, resource, journey])
        s.flush()
        s.add(
            Communication(
                idempotency_key="k1",
                user_id=user.id,
                resource_id=resource.id,
                journey_id=journey.id,
                channel="EMAIL",
                status="SENT",
                subject="Hi",
                body="Hello",
            )
        )
        jid = encode_id("Journey", journey.id)
    data = await client(
        "query($id: ID!) { journey(id: $id) { communications(first: 5) { edges { node { resource { name } } } } } }",
        {"id": jid},
        token=t["mia"],
    )
    assert data["journey"]["communications"]["edges"] == [{"node": {"resource": {"name": "B text"}}}]
