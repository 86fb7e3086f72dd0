"""/metrics as Prometheus reads it: the exposition parses, counters never go down, and
the figures an operator watches are there (queues, HTTP per route, the process)."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from backend import lifecycle as life
from backend.models import EntryStep, utcnow
from backend.queue import RecordingQueue
from graphql_schema.ids import encode_id
from tests.db.journey_fixtures import ADMIN, make_journey, users

QUEUES = {
    "events",
    "entries",
    "bonuses",
    "webhooks",
    *(f"delivery.{c}" for c in ("email", "sms", "push", "ivr", "popup")),
}


async def _families(client) -> dict:
    resp = await client.http.get("/metrics")
    assert resp.status_code == 200
    return {family.name: family for family in text_string_to_metric_families(resp.text)}


def _value(families: dict, name: str, **labels: str) -> float:
    for sample in families[name].samples:
        if sample.name.endswith(("_created",)):
            continue
        if all(sample.labels.get(k) == v for k, v in labels.items()):
            return sample.value
    raise AssertionError(f"no {name} sample with {labels}")


async def test_the_exposition_parses_and_has_what_an_operator_watches(admin):
    await admin.raw("{ me { username } }")
    families = await _families(admin)
    assert {s.labels["queue"] for s in families["questline_queue_depth"].samples} == QUEUES
    assert {s.labels["queue"] for s in families["questline_queue_age_seconds"].samples} == QUEUES
    assert families["questline_steps_processed"].type == "counter"
    assert _value(families, "questline_http_requests", method="POST", route="/graphql", status="200") >= 1
    assert families["questline_http_request_duration_seconds"].type == "histogram"
    assert families["questline_deliveries"].type == "counter"
    # The process collectors (CPU, memory, open files) of the process that answers.
    assert _value(families, "process_resident_memory_bytes") > 0
    assert "python_gc_objects_collected" in families


async def test_a_queue_shows_its_depth_and_the_age_of_its_oldest_work(admin, db):
    users(db, {"externalId": "q1"})
    await admin(
        "mutation($e: [EventInput!]!) { trackEvents(events: $e) { accepted } }",
        {"e": [{"eventId": f"q{i}", "externalId": "q1", "name": "login"} for i in range(3)]},
    )
    families = await _families(admin)
    assert _value(families, "questline_queue_depth", queue="events") == 3
    assert _value(families, "questline_queue_age_seconds", queue="events") >= 0
    assert _value(families, "questline_queue_depth", queue="delivery.email") == 0


async def test_steps_processed_does_not_go_down_when_a_journey_is_deleted(admin, db):
    users(db, {"externalId": "s1"}, {"externalId": "s2"})
    jid = make_journey(
        db, {"trigger": {"kind": "API"}, "start": "w", "steps": [{"id": "w", "kind": "wait", "seconds": 60}]}
    )
    with db.unit_of_work() as uow:
        entries, _ = life.enter_journey(
            uow, principal=ADMIN, journey_id=jid, external_ids=["s1", "s2"], payload=None, queue=RecordingQueue()
        )
        for entry in entries:
            uow.session.add(
                EntryStep(
                    entry_id=entry.id, journey_id=jid, step_id="w", kind="wait", entered_at=utcnow(), outcome="waited"
                )
            )
    before = _value(await _families(admin), "questline_steps_processed")
    assert before >= 2
    gid = encode_id("Journey", jid)
    stopped = await admin("mutation($id: ID!) { stopJourney(id: $id) { errors { code } } }", {"id": gid})
    assert stopped["stopJourney"]["errors"] == []
    deleted = await admin("mutation($id: ID!) { deleteJourney(id: $id) { count errors { code } } }", {"id": gid})
    assert deleted["deleteJourney"] == {"count": 1, "errors": []}
    with db.read() as session:
        assert session.query(EntryStep).count() == 0
    assert _value(await _families(admin), "questline_steps_processed") == before
