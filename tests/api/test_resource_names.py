"""Resource names are unique only among the resources one operator could see together:
a name conflict tells a manager of nothing outside their groups, and a journey of each
group sends its own resource of a shared name."""

from __future__ import annotations

from sqlalchemy import select

from backend.models import Communication, Resource
from backend.processing.entries import advance_entries
from backend.queue import RecordingQueue
from graphql_schema.ids import decode_id
from tests.api.test_resources_in_definitions import (
    ACTIVATE,
    CREATE_J,
    CREATE_R,
    ENTER,
    UPDATE_R,
    _entry_ids,
    _resource,
    _sending,
    _setup,
)
from tests.wiring import services_for


async def test_a_name_conflicts_only_with_resources_the_operator_sees(client, db):
    t, _hidden = await _setup(client, db)
    # Group a may have its own "Offer b": group b's is not group a's to know of.
    own = (await client(CREATE_R, {"i": _resource("Offer b")}, token=t["mia"]))["createResource"]
    assert own["errors"] == [] and own["resource"]["accessGroups"] == ["a"]
    other = (await client(CREATE_R, {"i": _resource("Other")}, token=t["mia"]))["createResource"]["resource"]
    conflict = {"code": "CONFLICT", "message": "a resource named 'Offer b' already exists"}
    # Among what the operator sees, a name is still taken: a second one in group a, a
    # rename onto it, an open one (an ADMIN's) or one of groups a and b.
    again = await client(CREATE_R, {"i": _resource("Offer b")}, token=t["mia"])
    renamed = await client(UPDATE_R, {"id": other["id"], "i": _resource("Offer b")}, token=t["mia"])
    opened = await client(CREATE_R, {"i": _resource("Offer b")}, token=t["root"])
    both = await client(CREATE_R, {"i": _resource("Offer b", accessGroups=["a", "b"])}, token=t["max"])
    assert [again["createResource"]["errors"], renamed["updateResource"]["errors"]] == [[conflict], [conflict]]
    assert [opened["createResource"]["errors"], both["createResource"]["errors"]] == [[conflict], [conflict]]
    with db.read() as s:
        assert sorted(s.scalars(select(Resource.name))) == ["Offer b", "Offer b", "Other"]


async def test_each_groups_journey_sends_its_own_resource_of_a_shared_name(client, db):
    t, hidden_id = await _setup(client, db)
    own = (await client(CREATE_R, {"i": _resource("Offer b")}, token=t["mia"]))["createResource"]["resource"]
    made = await client(CREATE_J, {"i": {"name": "A", "definition": _sending("Offer b")}}, token=t["mia"])
    jid = made["createJourney"]["journey"]["id"]
    assert made["createJourney"]["journey"]["problems"] == []
    assert (await client(ACTIVATE, {"id": jid}, token=t["mia"]))["activateJourney"]["errors"] == []
    await client(ENTER, {"id": jid}, token=t["mia"])
    advance_entries(services_for(db, RecordingQueue()), entry_ids=_entry_ids(db))
    with db.read() as s:
        assert s.scalar(select(Communication.resource_id)) == decode_id(own["id"], "Resource", ["id"])
        assert str(s.scalar(select(Communication.resource_id))) != hidden_id


def _names_and_groups(db) -> list[tuple[str, list[str]]]:
    with db.read() as s:
        return sorted((r.name, list(r.access_groups or [])) for r in s.scalars(select(Resource)))


async def test_a_rename_or_a_change_of_groups_keeps_names_unique_among_what_one_operator_sees(client, db):
    t, _hidden = await _setup(client, db)
    # Group b has "Offer b" (ben's). max shares "Shared" with groups a and b; mia has
    # her own "Offer b" in group a, which group b's does not meet.
    shared = await client(CREATE_R, {"i": _resource("Shared", accessGroups=["a", "b"])}, token=t["max"])
    shared_id = shared["createResource"]["resource"]["id"]
    unseen = {
        "code": "CONFLICT",
        "message": "a resource named 'Offer b' already exists in an access group you are not in",
    }
    seen = {"code": "CONFLICT", "message": "a resource named 'Offer b' already exists"}

    async def refused(variables: dict, who: str, error: dict) -> None:
        before = _names_and_groups(db)
        answer = (await client(UPDATE_R, variables, token=t[who]))["updateResource"]
        assert (answer["resource"], answer["errors"]) == (None, [error]), (who, variables)
        assert _names_and_groups(db) == before

    # mia sees "Shared" through group a: renamed, group b would show two "Offer b".
    await refused({"id": shared_id, "i": _resource("Offer b")}, "mia", unseen)
    # mia's own "Offer b" in group a does not meet group b's; made open to every operator it would.
    mine = (await client(CREATE_R, {"i": _resource("Offer b")}, token=t["mia"]))["createResource"]["resource"]
    await refused({"id": mine["id"], "i": _resource("Offer b", accessGroups=[])}, "mia", unseen)
    # Given group b by someone who sees both resources.
    for who in ("max", "root"):
        await refused({"id": mine["id"], "i": _resource("Offer b", accessGroups=["a", "b"])}, who, seen)
    await refused({"id": shared_id, "i": _resource("Offer b", accessGroups=["b"])}, "root", seen)
    assert _names_and_groups(db) == [("Offer b", ["a"]), ("Offer b", ["b"]), ("Shared", ["a", "b"])]
    # A name no resource of groups a and b has is still free.
    fine = await client(UPDATE_R, {"id": shared_id, "i": _resource("Offer ab")}, token=t["mia"])
    assert fine["updateResource"]["errors"] == []
    assert ("Offer ab", ["a", "b"]) in _names_and_groups(db)
