"""A journey definition names only resources its operator may see, and a journey sends
only resources everyone who sees it sees; resource names are unique only among the
resources one operator could see together, so a name conflict tells of nothing hidden."""

from __future__ import annotations

from sqlalchemy import func, select

from backend.models import Communication, Entry, Journey, JourneyVersion, User
from backend.processing.entries import advance_entries
from backend.queue import RecordingQueue
from graphql_schema.ids import decode_id, encode_id
from tests.conftest import make_operator
from tests.wiring import services_for

PROBLEMS = "problems { stepId severity message }"
J = "journey { id status version " + PROBLEMS + " } errors { code message }"
CREATE_J = "mutation($i: JourneyInput!) { createJourney(input: $i) { " + J + " } }"
UPDATE_J = "mutation($id: ID!, $i: JourneyInput!) { updateJourney(id: $id, input: $i) { " + J + " } }"
ACTIVATE = "mutation($id: ID!) { activateJourney(id: $id) { " + J + " } }"
VALIDATE = "query($d: JSON!) { validateJourney(definition: $d) { stepId severity message } }"
PREVIEW = (
    'query($d: JSON!) { previewJourney(definition: $d, externalId: "p1") { outcome steps { stepId outcome detail } '
    + PROBLEMS
    + " } }"
)
CREATE_R = "mutation($i: ResourceInput!) { createResource(input: $i) { resource { id name accessGroups } errors { code message } } }"
UPDATE_R = (
    "mutation($id: ID!, $i: ResourceInput!) { updateResource(id: $id, input: $i) { resource { id name } "
    "errors { code message } } }"
)
ENTER = 'mutation($id: ID!) { enterJourney(journeyId: $id, externalIds: ["p1"]) { entries { id } errors { code } } }'


def _sending(resource: str) -> dict:
    return {"trigger": {"kind": "API"}, "start": "s", "steps": [{"id": "s", "kind": "send", "resource": resource}]}


def _resource(name: str, **extra) -> dict:
    return {"name": name, "channel": "EMAIL", "subject": "Hi", "body": f"text of {name}", **extra}


async def _setup(client, db) -> tuple[dict[str, str], str]:
    """Operators of groups a and b, a player, and group b's resource "Offer b"; its id."""
    for name, role, groups in (("root", "ADMIN", []), ("mia", "MANAGER", ["a"]), ("ben", "MANAGER", ["b"])):
        make_operator(db, name, role, groups)
    make_operator(db, "max", "MANAGER", ["a", "b"])
    tokens = {n: await client.login(n, "password-123") for n in ("root", "mia", "ben", "max")}
    made = await client(CREATE_R, {"i": _resource("Offer b", channel="SMS")}, token=tokens["ben"])
    with db.unit_of_work() as uow:
        uow.session.add(
            User(
                external_id="p1",
                external_id_lc="p1",
                email="p1@example.com",
                email_lc="p1@example.com",
                attributes={},
                opt_outs=[],
            )
        )
    return tokens, str(decode_id(made["createResource"]["resource"]["id"], "Resource", ["id"]))


def _unknown(ref: str) -> str:
    return f"step 's' (send): resource: no resource named '{ref}' (the name or id of a resource)"


async def test_a_resource_of_another_group_is_unknown_wherever_a_definition_is_checked(client, db):
    t, hidden_id = await _setup(client, db)
    for ref in ("Offer b", hidden_id):
        # The very answer a name or an id nothing has gets.
        for missing in (ref, "No such", "987654"):
            found = await client(VALIDATE, {"d": _sending(missing)}, token=t["mia"])
            assert [p["message"] for p in found["validateJourney"]] == [_unknown(missing)]
            preview = (await client(PREVIEW, {"d": _sending(missing)}, token=t["mia"]))["previewJourney"]
            assert [p["message"] for p in preview["problems"]] == [_unknown(missing)]
            # Not even the channel of group b's SMS shows: it "sends" as an unknown name does.
            assert preview["steps"] == [{"stepId": "s", "outcome": "sent", "detail": "EMAIL queued"}]
        draft = await client(CREATE_J, {"i": {"name": "A", "definition": _sending(ref)}}, token=t["mia"])
        journey = draft["createJourney"]["journey"]
        assert [p["message"] for p in journey["problems"]] == [_unknown(ref)]
        refused = (await client(ACTIVATE, {"id": journey["id"]}, token=t["mia"]))["activateJourney"]
        assert refused["journey"] is None
        assert refused["errors"] == [{"code": "INVALID_DEFINITION", "message": _unknown(ref) + " (step 's')"}]
    # Group b's own manager names it; nothing of group a was activated.
    mine = await client(VALIDATE, {"d": _sending("Offer b")}, token=t["ben"])
    assert mine["validateJourney"] == []
    with db.read() as s:
        assert set(s.scalars(select(Journey.status))) == {"DRAFT"}


async def test_a_published_journey_cannot_take_another_groups_resource_in_a_new_version(client, db):
    t, hidden_id = await _setup(client, db)
    await client(CREATE_R, {"i": _resource("Offer a")}, token=t["mia"])
    made = await client(CREATE_J, {"i": {"name": "A", "definition": _sending("Offer a")}}, token=t["mia"])
    jid = made["createJourney"]["journey"]["id"]
    assert (await client(ACTIVATE, {"id": jid}, token=t["mia"]))["activateJourney"]["journey"]["status"] == "ACTIVE"
    changed = await client(UPDATE_J, {"id": jid, "i": {"name": "A", "definition": _sending(hidden_id)}}, token=t["mia"])
    assert changed["updateJourney"]["errors"] == [
        {"code": "INVALID_DEFINITION", "message": _unknown(hidden_id) + " (step 's')"}
    ]
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(JourneyVersion)) == 1


async def test_a_journey_sends_only_a_resource_all_of_its_viewers_see(client, db):
    t, _hidden_id = await _setup(client, db)
    # max sees group b's resource, but a journey of group a may not send it: group a's
    # managers would read it in the journey's communications.
    made = await client(
        CREATE_J, {"i": {"name": "A", "definition": _sending("Offer b"), "accessGroups": ["a"]}}, token=t["max"]
    )
    journey = made["createJourney"]["journey"]
    outside = "step 's' (send): resource: 'Offer b' is not open to every access group of the journey"
    assert [p["message"][: len(outside)] for p in journey["problems"]] == [outside]
    for who in ("max", "root"):
        refused = (await client(ACTIVATE, {"id": journey["id"]}, token=t[who]))["activateJourney"]
        assert refused["errors"][0]["code"] == "INVALID_DEFINITION"
        assert refused["errors"][0]["message"].startswith(outside)


async def test_a_journey_saved_before_the_rule_fails_its_entry_instead_of_sending(client, db):
    t, _hidden_id = await _setup(client, db)
    with db.unit_of_work() as uow:
        # As stored by an earlier version: active in group a, sending group b's resource.
        journey = Journey(name="Old", definition=_sending("Offer b"), status="ACTIVE", access_groups=["a"], tags=[])
        uow.session.add(journey)
        uow.flush()
        uow.session.add(JourneyVersion(journey_id=journey.id, version=1, definition=journey.definition))
        jid = journey.id
    entered = await client(ENTER, {"id": encode_id("Journey", jid)}, token=t["mia"])
    assert entered["enterJourney"]["errors"] == []
    advance_entries(services_for(db, RecordingQueue()), entry_ids=_entry_ids(db))
    with db.read() as s:
        entry = s.scalar(select(Entry))
        assert entry.status == "FAILED"
        assert "no resource named 'Offer b' open to the journey's access groups" in entry.stop_reason
        assert s.scalar(select(func.count()).select_from(Communication)) == 0


def _entry_ids(db) -> list[int]:
    with db.read() as s:
        return list(s.scalars(select(Entry.id)))
