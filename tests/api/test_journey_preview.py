"""previewJourney: the path one user would take through a draft, as a real run takes it,
with nothing written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from backend.models import Base, Entry, EntryStep, User
from backend.processing.events import process_events
from backend.queue import RecordingQueue
from tests.db.journey_fixtures import catalog, make_journey, track, users
from tests.wiring import services_for

PREVIEW = """query($d: JSON!, $x: String!, $e: EventInput, $j: ID, $m: ReentryMode, $c: Float) {
  previewJourney(definition: $d, externalId: $x, event: $e, journeyId: $j, reentryMode: $m, controlGroupPercent: $c) {
    outcome blockedReason currentStepId inControlGroup
    steps { stepId kind outcome detail }
    problems { stepId severity message } } }"""

WELCOME = {
    "trigger": {
        "kind": "EVENT",
        "event": "deposit",
        "where": {"field": "event.properties.amount", "op": "gte", "value": 50},
    },
    "start": "hi",
    "steps": [
        {"id": "hi", "kind": "send", "resource": "Welcome email", "next": "vip"},
        {
            "id": "vip",
            "kind": "condition",
            "where": {"field": "user.attributes.vip", "op": "eq", "value": True},
            "yes": "spins",
            "no": "later",
        },
        {"id": "spins", "kind": "bonus", "template": "10 free spins"},
        {"id": "later", "kind": "wait", "seconds": 3600, "next": "sms"},
        {"id": "sms", "kind": "send", "resource": "Promo SMS"},
    ],
}


def _players(db):
    catalog(db)
    users(
        db,
        {"externalId": "vip1", "email": "vip1@example.com", "attributes": {"vip": True}},
        {"externalId": "reg1", "email": "reg1@example.com", "phone": "+37120000001"},
    )


def _deposit(external_id, amount=100, event_id=None):
    return {
        "eventId": event_id or f"d-{external_id}",
        "externalId": external_id,
        "name": "deposit",
        "properties": {"amount": amount},
    }


def _row_counts(db):
    with db.read() as s:
        return {t.name: s.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


async def _preview(admin, definition, external_id, event=None, **extra):
    body = await admin.raw(PREVIEW, {"d": definition, "x": external_id, "e": event, **extra})
    assert not body.get("errors"), body.get("errors")
    return body["data"]["previewJourney"]


def _path(preview):
    return [(s["stepId"], s["outcome"]) for s in preview["steps"]]


async def test_two_users_take_their_own_branches_and_nothing_is_written(admin, db):
    _players(db)
    before = _row_counts(db)
    vip = await _preview(admin, WELCOME, "vip1", _deposit("vip1"))
    regular = await _preview(admin, WELCOME, "reg1", _deposit("reg1"))
    assert _path(vip) == [("hi", "sent"), ("vip", "yes"), ("spins", "bonus_requested")]
    assert (vip["outcome"], vip["currentStepId"], vip["problems"]) == ("COMPLETED", None, [])
    assert _path(regular) == [("hi", "sent"), ("vip", "no")]
    assert (regular["outcome"], regular["currentStepId"]) == ("WAITING", "later")
    assert regular["blockedReason"].startswith("waiting until ")
    assert _row_counts(db) == before


async def test_the_preview_matches_the_real_run_of_the_same_definition(admin, db):
    _players(db)
    jid = make_journey(db, WELCOME, name="Welcome")
    from graphql_schema.ids import encode_id

    gid = encode_id("Journey", jid)
    previews = {x: await _preview(admin, WELCOME, x, _deposit(x), j=gid) for x in ("vip1", "reg1")}
    queue = RecordingQueue()
    ids = track(db, _deposit("vip1"), _deposit("reg1"), queue=queue)
    process_events(services_for(db, queue), event_ids=ids)
    with db.read() as s:
        for external_id, preview in previews.items():
            entry = s.scalar(select(Entry).join(User, User.id == Entry.user_id).where(User.external_id == external_id))
            steps = s.scalars(select(EntryStep).where(EntryStep.entry_id == entry.id).order_by(EntryStep.id)).all()
            assert [(r.step_id, r.outcome) for r in steps] == _path(preview), external_id
            assert entry.status == preview["outcome"]
            at = entry.current_step_id if entry.status == "WAITING" else None
            assert at == preview["currentStepId"]
    # The saved journey's re-entry mode (ONCE) now refuses both.
    again = await _preview(admin, WELCOME, "vip1", _deposit("vip1", event_id="d2"), j=gid)
    assert (again["outcome"], again["steps"]) == ("REFUSED", [])
    assert "ONCE" in again["blockedReason"]
    every = await _preview(admin, WELCOME, "vip1", _deposit("vip1", event_id="d2"), j=gid, m="EVERY_ENTRY")
    assert every["outcome"] == "COMPLETED"
    waiting = await _preview(admin, WELCOME, "reg1", _deposit("reg1", event_id="d3"), j=gid, m="NOT_WHILE_ACTIVE")
    assert waiting["outcome"] == "REFUSED" and "still running" in waiting["blockedReason"]


async def test_the_trigger_refuses_another_event_or_one_its_where_rejects(admin, db):
    _players(db)
    none = await _preview(admin, WELCOME, "vip1")
    other = await _preview(admin, WELCOME, "vip1", {**_deposit("vip1"), "name": "login"})
    small = await _preview(admin, WELCOME, "vip1", _deposit("vip1", amount=10))
    assert [p["outcome"] for p in (none, other, small)] == ["REFUSED"] * 3
    assert "give an event" in none["blockedReason"]
    assert "not 'login'" in other["blockedReason"]
    assert "where" in small["blockedReason"]


async def test_control_group_opt_outs_and_quiet_hours_hold_as_in_a_real_run(admin, db):
    _players(db)
    control = await _preview(admin, WELCOME, "vip1", _deposit("vip1"), c=100.0)
    assert control["inControlGroup"] is True
    assert [(s["stepId"], s["outcome"], s["detail"]) for s in control["steps"]] == [
        ("hi", "suppressed", "control group"),
        ("vip", "yes", None),
        ("spins", "suppressed", "control group"),
    ]
    users(db, {"externalId": "reg1", "optOuts": ["EMAIL"]})
    opted = await _preview(admin, WELCOME, "reg1", _deposit("reg1"))
    assert opted["steps"][0]["outcome"] == "suppressed" and "opted out of EMAIL" in opted["steps"][0]["detail"]
    now = datetime.now(UTC)
    quiet = {"start": (now - timedelta(hours=1)).strftime("%H:%M"), "end": (now + timedelta(hours=1)).strftime("%H:%M")}
    held = await _preview(admin, {**WELCOME, "quietHours": quiet}, "vip1", _deposit("vip1"))
    assert (held["outcome"], held["currentStepId"], held["steps"]) == ("WAITING", "hi", [])
    assert held["blockedReason"].startswith("quiet hours: step 'hi' sends at")


async def test_problems_are_listed_and_an_unconfigured_step_halts_the_path(admin, db):
    _players(db)
    draft = {
        "trigger": {"kind": "API"},
        "start": "hi",
        "steps": [
            {"id": "hi", "kind": "send", "resource": "Welcome email", "next": "b"},
            {"id": "b", "kind": "bonus"},
            {"id": "x", "kind": "send", "resource": "Nope"},
        ],
    }
    found = await _preview(admin, draft, "reg1")
    assert _path(found) == [("hi", "sent"), ("b", "halted")]
    assert (found["outcome"], found["currentStepId"]) == ("HALTED", "b")
    assert {(p["stepId"], p["severity"]) for p in found["problems"]} >= {("b", "WARNING"), ("x", "ERROR")}


async def test_an_unknown_user_or_a_bad_definition_is_a_clear_error(admin, db):
    _players(db)
    unknown = await admin.raw(PREVIEW, {"d": WELCOME, "x": "nobody"})
    assert [e["extensions"]["code"] for e in unknown["errors"]] == ["NOT_FOUND"]
    bad = await _preview(admin, [1, 2], "vip1")
    assert bad["outcome"] == "REFUSED" and bad["problems"][0]["severity"] == "ERROR"
    percent = await admin.raw(PREVIEW, {"d": WELCOME, "x": "vip1", "c": 140.0})
    assert [e["extensions"]["code"] for e in percent["errors"]] == ["INVALID_INPUT"]


async def test_a_draft_is_validated_without_saving_it(admin, db):
    _players(db)
    before = _row_counts(db)
    query = "query($d: JSON!) { validateJourney(definition: $d) { stepId severity message } }"
    found = await admin(query, {"d": {**WELCOME, "steps": [*WELCOME["steps"], {"id": "x", "kind": "bonus"}]}})
    assert [(p["stepId"], p["severity"]) for p in found["validateJourney"]] == [("x", "WARNING")]
    clean = await admin(query, {"d": WELCOME})
    assert clean["validateJourney"] == [] and _row_counts(db) == before


async def test_the_journeys_list_filters_by_trigger_kind(admin, db):
    _players(db)
    make_journey(db, WELCOME, name="On deposit", activate=False)
    make_journey(db, {"trigger": {"kind": "API"}, "start": "x", "steps": [{"id": "x", "kind": "exit"}]}, name="By API")
    query = "query($k: TriggerKind) { journeys(triggerKind: $k) { totalCount edges { node { name triggerKind } } } }"
    event = (await admin(query, {"k": "EVENT"}))["journeys"]
    api = (await admin(query, {"k": "API"}))["journeys"]
    every = (await admin(query, {"k": None}))["journeys"]
    assert [e["node"]["name"] for e in event["edges"]] == ["On deposit"]
    assert [e["node"]["name"] for e in api["edges"]] == ["By API"]
    assert every["totalCount"] == 2


FIRST_DEPOSIT = {
    "trigger": {"kind": "EVENT", "event": "deposit"},
    "start": "big",
    "steps": [
        {
            "id": "big",
            "kind": "condition",
            "where": {
                "all": [
                    {"field": "user.financial.depositTotal", "op": "gte", "value": 100},
                    {"eventCount": {"name": "deposit", "withinSeconds": 86400}, "op": "eq", "value": 1},
                ]
            },
            "yes": "spins",
            "no": "bye",
        },
        {"id": "spins", "kind": "bonus", "template": "10 free spins"},
        {"id": "bye", "kind": "exit"},
    ],
}


async def test_the_previewed_event_counts_as_a_tracked_one_would(admin, db):
    """Tracking stores an event before the engine reads it: the deposit summary and the
    event counts of a real run include it, and so do the preview's."""
    _players(db)
    jid = make_journey(db, FIRST_DEPOSIT, name="First deposit")
    from graphql_schema.ids import encode_id

    preview = await _preview(admin, FIRST_DEPOSIT, "reg1", _deposit("reg1", amount=150), j=encode_id("Journey", jid))
    assert _path(preview) == [("big", "yes"), ("spins", "bonus_requested")]
    queue = RecordingQueue()
    process_events(services_for(db, queue), event_ids=track(db, _deposit("reg1", amount=150), queue=queue))
    with db.read() as s:
        steps = s.scalars(select(EntryStep).order_by(EntryStep.id)).all()
        assert [(r.step_id, r.outcome) for r in steps] == _path(preview)
