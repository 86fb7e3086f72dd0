"""The webhook step: once per visit, same Idempotency-Key on every retry, signed, final on 4xx."""

from __future__ import annotations

import json
from datetime import timedelta

import httpx
from sqlalchemy import select

from backend import lifecycle as life
from backend.models import EntryStep, WebhookCall, utcnow
from backend.processing.entries import advance_entries
from backend.processing.scheduler import tick
from backend.processing.webhooks import call_webhooks, signature
from backend.queue import RecordingQueue
from backend.settings import load_settings
from tests.db.journey_fixtures import ADMIN, catalog, make_journey, users
from tests.wiring import services_for

DEFINITION = {
    "trigger": {"kind": "API"},
    "start": "h",
    "steps": [
        {
            "id": "h",
            "kind": "webhook",
            "url": "https://crm.example.com/leads",
            "body": '{"player": "{{ user.externalId }}", "note": "{{ user.attributes.note }}", "source": "{{ event.properties.source }}"}',
        }
    ],
}


def _setup(db, control=0):
    catalog(db)
    jid = make_journey(db, DEFINITION, control_group_percent=control)
    users(db, {"externalId": "p1", "attributes": {"note": 'say "hi"'}})
    q = RecordingQueue()
    with db.unit_of_work() as uow:
        [entry], _ = life.enter_journey(
            uow, principal=ADMIN, journey_id=jid, external_ids=["p1"], payload={"source": "crm"}, queue=q
        )
    advance_entries(services_for(db, q), entry_ids=[entry.id])
    with db.read() as s:
        call = s.scalar(select(WebhookCall))
    assert ("call_webhooks", ([call.id],)) in q.calls
    return entry.id, call.id


def _outcomes(db, entry_id):
    with db.read() as s:
        return [
            r.outcome for r in s.scalars(select(EntryStep).where(EntryStep.entry_id == entry_id).order_by(EntryStep.id))
        ]


def test_a_provider_that_fails_twice_gets_one_call_under_one_key(db, tmp_path):
    entry_id, call_id = _setup(db)
    seen = []

    def provider(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(500 if len(seen) < 3 else 200, text="busy" if len(seen) < 3 else "ok")

    settings = load_settings({"QUESTLINE_DATA_DIR": str(tmp_path), "QUESTLINE_WEBHOOK_SECRET": "s3cret"})
    client = httpx.Client(transport=httpx.MockTransport(provider))
    now = utcnow()
    for i in range(3):
        call_webhooks(
            services_for(db, RecordingQueue(), settings),
            call_ids=[call_id],
            client=client,
            now=now + timedelta(seconds=60 * i),
        )
    assert len(seen) == 3
    assert {r.headers["idempotency-key"] for r in seen} == {f"{entry_id}:h:1"}
    body = seen[0].content
    assert json.loads(body) == {"player": "p1", "note": 'say "hi"', "source": "crm"}
    assert seen[0].headers["x-questline-signature"] == signature("s3cret", body)
    with db.read() as s:
        call = s.get(WebhookCall, call_id)
    assert (call.status, call.attempts, call.response_status) == ("SENT", 3, 200)
    assert _outcomes(db, entry_id) == ["webhook_requested", "webhook_sent"]
    # Nothing more to do: a further hint sends nothing.
    call_webhooks(
        services_for(db, RecordingQueue(), settings), call_ids=[call_id], client=client, now=now + timedelta(hours=1)
    )
    assert len(seen) == 3


def test_a_4xx_is_final_with_the_answer_and_a_retry_waits_for_its_time(db, tmp_path):
    entry_id, call_id = _setup(db, control=100)  # control group: sent all the same
    answers = iter([httpx.Response(503), httpx.Response(422, text="unknown lead source")])
    client = httpx.Client(transport=httpx.MockTransport(lambda request: next(answers)))
    now = utcnow()
    call_webhooks(services_for(db, RecordingQueue()), call_ids=[call_id], client=client, now=now)
    # Not yet due again: the back-off holds the retry, and the tick does not hint it.
    assert call_webhooks(services_for(db, RecordingQueue()), call_ids=[call_id], client=client, now=now) == 0
    q = RecordingQueue()
    tick(services_for(db, q), now=now + timedelta(seconds=10))
    assert ("call_webhooks", ([call_id],)) in q.calls
    call_webhooks(
        services_for(db, RecordingQueue()), call_ids=[call_id], client=client, now=now + timedelta(seconds=10)
    )
    with db.read() as s:
        call = s.get(WebhookCall, call_id)
    assert (call.status, call.error) == ("FAILED", "unknown lead source")
    assert _outcomes(db, entry_id) == ["webhook_requested", "webhook_failed"]
