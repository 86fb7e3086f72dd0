"""Scheduled segment journeys and previewSegment through the GraphQL API."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from backend.models import Journey
from backend.processing.scheduler import tick
from tests.api.test_journeys_api import ACTIVATE, CREATE
from tests.db.journey_fixtures import catalog, users
from tests.wiring import services_for

VIP = {"field": "user.attributes.vip", "op": "eq", "value": True}


def scheduled(segment=None, **schedule):
    return {
        "trigger": {
            "kind": "SCHEDULED_SEGMENT",
            "segment": segment or VIP,
            "schedule": {"cron": "* * * * *", "timezone": "Europe/Lisbon", **schedule},
        },
        "start": "hi",
        "steps": [{"id": "hi", "kind": "send", "resource": "Welcome email"}],
    }


RUNS = """query($id: ID!) { journey(id: $id) { status nextRunAt stats { entered inProgress }
  segmentRuns { scheduledFor startedAt finishedAt matched selected entered refused error } } }"""


async def _create(admin, definition, name="Weekly VIPs"):
    created = (await admin(CREATE, {"i": {"name": name, "definition": definition}}))["createJourney"]
    assert created["errors"] == []
    return created["journey"]["id"]


async def test_an_activated_scheduled_journey_runs_and_shows_its_runs(admin, db):
    catalog(db)
    users(db, *[{"externalId": f"p{i}", "email": f"p{i}@x.io", "attributes": {"vip": i < 2}} for i in range(5)])
    jid = await _create(admin, scheduled())
    assert (await admin(ACTIVATE, {"id": jid}))["activateJourney"]["errors"] == []
    before = (await admin(RUNS, {"id": jid}))["journey"]
    assert before["status"] == "ACTIVE" and before["nextRunAt"] is not None and before["segmentRuns"] == []
    due = datetime.fromisoformat(before["nextRunAt"])
    tick(services_for(db), now=due + timedelta(seconds=1))
    after = (await admin(RUNS, {"id": jid}))["journey"]
    [run] = after["segmentRuns"]
    assert datetime.fromisoformat(run["scheduledFor"]) == due and run["finishedAt"] is not None
    assert (run["matched"], run["selected"], run["entered"], run["refused"], run["error"]) == (2, 2, 2, 0, None)
    # On PostgreSQL the run writes the journey's only step (a send) itself: the entries
    # are COMPLETED at once; on SQLite they wait for the workers' pass.
    done = db.dialect == "postgresql"
    assert after["stats"] == {"entered": 2, "inProgress": 0 if done else 2}
    assert datetime.fromisoformat(after["nextRunAt"]) == due + timedelta(minutes=1)


async def test_a_schedule_that_never_fires_before_its_end_is_refused_at_activation(admin, db):
    catalog(db)
    jid = await _create(admin, scheduled(endsAt="2020-01-01T00:00:00Z"))
    refused = (await admin(ACTIVATE, {"id": jid}))["activateJourney"]
    assert refused["journey"] is None
    [error] = refused["errors"]
    assert error["code"] == "INVALID_DEFINITION" and "would never run" in error["message"]
    with db.read() as s:
        assert s.scalar(select(Journey.status)) == "DRAFT"  # nothing written


async def test_a_segment_over_fields_a_capture_cannot_read_is_refused(admin, db):
    catalog(db)
    unknown = await _create(admin, scheduled({"field": "user.wallet", "op": "gt", "value": 1}), name="a")
    entry = await _create(admin, scheduled({"field": "entry.round", "op": "eq", "value": 1}), name="b")
    first = (await admin(ACTIVATE, {"id": unknown}))["activateJourney"]["errors"]
    second = (await admin(ACTIVATE, {"id": entry}))["activateJourney"]["errors"]
    assert [e["code"] for e in first] == [
        "INVALID_DEFINITION"
    ] and "field 'user.wallet' is not a field a predicate can read" in first[0]["message"]
    assert [e["code"] for e in second] == ["INVALID_DEFINITION"] and "entry.round" in second[0]["message"]


PREVIEW = "query($s: JSON!, $n: Int) { previewSegment(segment: $s, sample: $n) { matched sample { externalId } } }"


async def test_preview_segment_counts_the_users_matching_now_and_shows_a_few(admin, db):
    users(db, *[{"externalId": f"p{i}", "attributes": {"vip": i % 3 == 0}} for i in range(10)])
    preview = (await admin(PREVIEW, {"s": VIP, "n": 2}))["previewSegment"]
    assert preview["matched"] == 4
    assert len(preview["sample"]) == 2 and {u["externalId"] for u in preview["sample"]} <= {"p0", "p3", "p6", "p9"}
    none = (await admin(PREVIEW, {"s": {"not": VIP}, "n": 0}))["previewSegment"]
    assert none == {"matched": 6, "sample": []}


async def test_preview_segment_refuses_a_bad_segment_clearly(admin):
    bad = await admin.raw(PREVIEW, {"s": {"field": "event.name", "op": "eq", "value": "x"}})
    assert [e["extensions"]["code"] for e in bad["errors"]] == ["INVALID_INPUT"]
    assert "there is no event here" in bad["errors"][0]["message"]
    big = await admin.raw(PREVIEW, {"s": VIP, "n": 1000})
    assert [e["extensions"]["code"] for e in big["errors"]] == ["INVALID_INPUT"]
