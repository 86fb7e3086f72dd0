"""What is not built yet is refused clearly, never accepted silently."""

from __future__ import annotations

from sqlalchemy import select

from backend.models import Journey
from tests.api.test_journeys_api import ACTIVATE, CREATE

SCHEDULED = {
    "trigger": {
        "kind": "SCHEDULED_SEGMENT",
        "segment": {"field": "user.attributes.vip", "op": "eq", "value": True},
        "schedule": {"cron": "0 9 * * *", "timezone": "Europe/Lisbon"},
    },
    "start": "x",
    "steps": [{"id": "x", "kind": "exit"}],
}


async def test_a_scheduled_segment_journey_is_not_activated_while_its_runs_are_not_built(admin, db):
    created = (await admin(CREATE, {"i": {"name": "Weekly VIPs", "definition": SCHEDULED}}))["createJourney"]
    assert created["errors"] == []
    jid = created["journey"]["id"]
    refused = (await admin(ACTIVATE, {"id": jid}))["activateJourney"]
    assert refused["journey"] is None and [e["code"] for e in refused["errors"]] == ["NOT_IMPLEMENTED"]
    with db.read() as s:
        assert [j.status for j in s.scalars(select(Journey))] == ["DRAFT"]  # nothing written
    runs = await admin("query($id: ID!) { journey(id: $id) { nextRunAt segmentRuns { matched } } }", {"id": jid})
    assert runs["journey"] == {"nextRunAt": None, "segmentRuns": []}


async def test_the_segment_preview_answers_not_implemented(admin):
    segment = await admin.raw(
        'query { previewSegment(segment: {field: "user.points", op: "gt", value: 1}) { matched } }'
    )
    assert [e["extensions"]["code"] for e in segment["errors"]] == ["NOT_IMPLEMENTED"]
