"""The journey lifecycle through the GraphQL API, as an operator uses it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from backend.models import Entry, Journey, utcnow
from backend.processing.entries import advance_entries
from backend.queue import RecordingQueue
from tests.conftest import make_operator
from tests.db.journey_fixtures import catalog, users
from tests.wiring import services_for

J = "journey { id status version problems { stepId severity message } }"
CREATE = "mutation($i: JourneyInput!) { createJourney(input: $i) { " + J + " errors { code message field } } }"
UPDATE = (
    "mutation($id: ID!, $i: JourneyInput!) { updateJourney(id: $id, input: $i) { " + J + " errors { code message } } }"
)
ACTIVATE = "mutation($id: ID!) { activateJourney(id: $id) { " + J + " errors { code message } } }"
STOP = "mutation($id: ID!) { stopJourney(id: $id) { journey { status } errors { code } } }"
ENTER = """mutation($id: ID!, $x: [String!]!) { enterJourney(journeyId: $id, externalIds: $x, payload: {source: "crm"}) {
  entries { id round status } refused errors { code message } } }"""

HALTING = {
    "trigger": {"kind": "API"},
    "start": "hi",
    "steps": [
        {"id": "hi", "kind": "send", "resource": "Welcome email", "next": "b"},
        {"id": "b", "kind": "bonus", "configured": False},
    ],
}


def _configured(definition):
    steps = [dict(s) for s in definition["steps"]]
    steps[1] = {"id": "b", "kind": "bonus", "template": "10 free spins"}
    return {**definition, "steps": steps}


async def _create(admin, definition, **extra):
    data = await admin(CREATE, {"i": {"name": "Welcome", "definition": definition, **extra}})
    return data["createJourney"]


async def test_a_draft_keeps_its_problems_and_activation_waits_for_the_errors_to_go(admin, db):
    catalog(db)
    created = await _create(admin, {"start": "x", "steps": [{"id": "a", "kind": "send", "resource": "Nope"}]})
    assert created["errors"] == [] and created["journey"]["status"] == "DRAFT"
    problems = created["journey"]["problems"]
    assert {p["severity"] for p in problems} == {"ERROR"}
    assert any("no resource named 'Nope'" in p["message"] and p["stepId"] == "a" for p in problems)
    jid = created["journey"]["id"]
    refused = await admin(ACTIVATE, {"id": jid})
    assert refused["activateJourney"]["errors"][0]["code"] == "INVALID_DEFINITION"
    fixed = await admin(UPDATE, {"id": jid, "i": {"name": "Welcome", "definition": HALTING}})
    assert fixed["updateJourney"]["journey"]["version"] == 1  # a draft is edited in place
    assert [p["severity"] for p in fixed["updateJourney"]["journey"]["problems"]] == ["WARNING"]
    active = await admin(ACTIVATE, {"id": jid})
    assert active["activateJourney"]["journey"]["status"] == "ACTIVE"


async def test_a_non_object_definition_is_refused_and_nothing_is_written(admin, db):
    data = await admin(CREATE, {"i": {"name": "Bad", "definition": [1, 2]}})
    assert data["createJourney"]["errors"][0]["code"] == "INVALID_DEFINITION"
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Journey)) == 0


async def test_halted_entries_move_to_the_version_that_configures_their_step(admin, db):
    catalog(db)
    users(db, {"externalId": "p1", "email": "p1@example.com"}, {"externalId": "p2", "email": "p2@example.com"})
    jid = (await _create(admin, HALTING))["journey"]["id"]
    await admin(ACTIVATE, {"id": jid})
    entered = (await admin(ENTER, {"id": jid, "x": ["p1", "p2", "p1"]}))["enterJourney"]
    assert entered["errors"] == [] and len(entered["entries"]) == 2 and entered["refused"] == 0
    ids = [e.id for e in _rows(db)]
    advance_entries(services_for(db, RecordingQueue()), entry_ids=ids)
    assert {(e.status, e.blocked_reason) for e in _rows(db)} == {("HALTED", "halted: step 'b' is not configured")}
    again = (await admin(ENTER, {"id": jid, "x": ["p1"]}))["enterJourney"]
    assert again["refused"] == 1 and again["entries"] == []  # ONCE
    bad = await admin(UPDATE, {"id": jid, "i": {"name": "Welcome", "definition": {**HALTING, "start": "zz"}}})
    assert bad["updateJourney"]["errors"][0]["code"] == "INVALID_DEFINITION"
    v2 = await admin(UPDATE, {"id": jid, "i": {"name": "Welcome", "definition": _configured(HALTING)}})
    assert v2["updateJourney"]["journey"]["version"] == 2
    assert {(e.status, e.version) for e in _rows(db)} == {("ACTIVE", 2)}
    advance_entries(services_for(db, RecordingQueue()), entry_ids=ids)
    assert {e.status for e in _rows(db)} == {"COMPLETED"}
    detail = await admin("query($id: ID!) { journey(id: $id) { versions { version } } }", {"id": jid})
    assert [v["version"] for v in detail["journey"]["versions"]] == [1, 2]


async def test_stop_freezes_or_exits_and_activation_thaws(admin, db):
    catalog(db)
    users(db, {"externalId": "p1"})
    wait = {"trigger": {"kind": "API"}, "start": "w", "steps": [{"id": "w", "kind": "wait", "seconds": 5}]}
    for freeze, expected in ((True, "FROZEN"), (False, "EXITED")):
        jid = (await _create(admin, wait, freezeOnStop=freeze))["journey"]["id"]
        await admin(ACTIVATE, {"id": jid})
        [entry] = (await admin(ENTER, {"id": jid, "x": ["p1"]}))["enterJourney"]["entries"]
        advance_entries(services_for(db, RecordingQueue()), entry_ids=[e.id for e in _rows(db) if e.status == "ACTIVE"])
        waiting = await admin("query($id: ID!) { entry(id: $id) { blockedReason } }", {"id": entry["id"]})
        waited_for = waiting["entry"]["blockedReason"]
        assert waited_for.startswith("waiting until ")
        assert (await admin(STOP, {"id": jid}))["stopJourney"]["journey"]["status"] == "STOPPED"
        status = await admin("query($id: ID!) { entry(id: $id) { status blockedReason } }", {"id": entry["id"]})
        assert status["entry"]["status"] == expected
        if freeze:
            assert "frozen" in status["entry"]["blockedReason"]
            await admin(ACTIVATE, {"id": jid})
            thawed = await admin(
                "query($id: ID!) { entry(id: $id) { status wakeAt blockedReason } }", {"id": entry["id"]}
            )
            assert thawed["entry"]["status"] == "WAITING" and thawed["entry"]["wakeAt"]
            assert thawed["entry"]["blockedReason"] == waited_for  # it says again why it waits
            advance_entries(
                services_for(db, RecordingQueue()),
                entry_ids=[e.id for e in _rows(db)],
                now=utcnow() + timedelta(seconds=6),
            )
            done = await admin(
                "query($id: ID!) { entry(id: $id) { status steps { stepId outcome } } }", {"id": entry["id"]}
            )
            assert done["entry"] == {"status": "COMPLETED", "steps": [{"stepId": "w", "outcome": "waited"}]}
            await admin(STOP, {"id": jid})


async def test_stop_chooses_freeze_or_exit_for_this_stop(admin, db):
    catalog(db)
    users(db, {"externalId": "p1"})
    wait = {"trigger": {"kind": "API"}, "start": "w", "steps": [{"id": "w", "kind": "wait", "seconds": 5}]}
    stop = "mutation($id: ID!, $f: Boolean) { stopJourney(id: $id, freeze: $f) { journey { status freezeOnStop } } }"
    for journey_setting, chosen, expected in ((False, True, "FROZEN"), (True, False, "EXITED")):
        jid = (await _create(admin, wait, freezeOnStop=journey_setting))["journey"]["id"]
        await admin(ACTIVATE, {"id": jid})
        [entry] = (await admin(ENTER, {"id": jid, "x": ["p1"]}))["enterJourney"]["entries"]
        stopped = (await admin(stop, {"id": jid, "f": chosen}))["stopJourney"]["journey"]
        assert stopped == {"status": "STOPPED", "freezeOnStop": journey_setting}  # the setting itself is kept
        status = await admin("query($id: ID!) { entry(id: $id) { status } }", {"id": entry["id"]})
        assert status["entry"]["status"] == expected


async def test_clone_delete_clear_and_stop_entry(admin, db):
    catalog(db)
    users(db, {"externalId": "p1"}, {"externalId": "p2"})
    wait = {"trigger": {"kind": "API"}, "start": "w", "steps": [{"id": "w", "kind": "wait", "seconds": 500}]}
    jid = (await _create(admin, wait, reentryMode="EVERY_ENTRY"))["journey"]["id"]
    await admin(ACTIVATE, {"id": jid})
    entries = (await admin(ENTER, {"id": jid, "x": ["p1", "p2"]}))["enterJourney"]["entries"]
    stopped = await admin(
        'mutation($id: ID!) { stopEntry(id: $id, reason: "asked to") { entry { status stopReason stoppedAt } errors { code } } }',
        {"id": entries[0]["id"]},
    )
    assert (
        stopped["stopEntry"]["entry"]["status"] == "STOPPED"
        and stopped["stopEntry"]["entry"]["stopReason"] == "asked to"
    )
    twice = await admin("mutation($id: ID!) { stopEntry(id: $id) { errors { code } } }", {"id": entries[0]["id"]})
    assert twice["stopEntry"]["errors"][0]["code"] == "CONFLICT"
    cleared = await admin("mutation($id: ID!) { clearJourneyEntries(id: $id) { count errors { code } } }", {"id": jid})
    assert cleared["clearJourneyEntries"]["count"] == 1
    clone = await admin(
        'mutation($id: ID!) { cloneJourney(id: $id, name: "Copy") { journey { id status version } } }', {"id": jid}
    )
    assert clone["cloneJourney"]["journey"]["status"] == "DRAFT"
    refused = await admin("mutation($id: ID!) { deleteJourney(id: $id) { count errors { code } } }", {"id": jid})
    assert refused["deleteJourney"]["errors"][0]["code"] == "CONFLICT"
    await admin(STOP, {"id": jid})
    deleted = await admin("mutation($id: ID!) { deleteJourney(id: $id) { count errors { code } } }", {"id": jid})
    assert deleted["deleteJourney"]["count"] == 1
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Entry)) == 0
        assert s.scalar(select(func.count()).select_from(Journey)) == 1


async def test_managers_work_only_in_their_access_groups(client, db):
    catalog(db)
    make_operator(db, "eu_manager", "MANAGER", ["eu"])
    make_operator(db, "us_manager", "MANAGER", ["us"])
    make_operator(db, "analyst", "ANALYST", ["eu"])
    eu = await client.login("eu_manager", "password-123")
    created = (await client(CREATE, {"i": {"name": "EU", "definition": HALTING}}, token=eu))["createJourney"]
    jid = created["journey"]["id"]
    outside = await client(CREATE, {"i": {"name": "X", "definition": HALTING, "accessGroups": ["us"]}}, token=eu)
    assert outside["createJourney"]["errors"][0]["code"] == "FORBIDDEN"
    us = await client.login("us_manager", "password-123")
    assert (await client(ACTIVATE, {"id": jid}, token=us))["activateJourney"]["errors"][0]["code"] == "NOT_FOUND"
    an = await client.login("analyst", "password-123")
    assert (await client(ACTIVATE, {"id": jid}, token=an))["activateJourney"]["errors"][0]["code"] == "FORBIDDEN"
    assert (await client(ACTIVATE, {"id": jid}, token=eu))["activateJourney"]["journey"]["status"] == "ACTIVE"


def _rows(db):
    with db.read() as s:
        return list(s.scalars(select(Entry).order_by(Entry.id)))
