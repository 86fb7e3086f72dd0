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
