"""The communication log shows what each user was sent: the rendered subject and text."""

from __future__ import annotations

from backend.ids import encode_id
from backend.processing.delivery import deliver
from backend.queue import RecordingQueue
from tests.delivery.helpers import queue_sends, resource, settings_for
from tests.wiring import services_for

TEXT = "query($id: ID!) { node(id: $id) { ... on Communication { status subject body } } }"


async def test_the_rendered_subject_and_text_part_are_served_once_sent(admin, db, tmp_path):
    resource(
        db,
        "Welcome",
        "EMAIL",
        "<p>Hello <b>{{ user.username }}</b>, see <a href='https://example.com/offer'>your offer</a></p>",
        subject="Welcome, {{ user.username }}",
    )
    ids, _ = queue_sends(db, "Welcome", {"externalId": "p1", "username": "Ann", "email": "ann@example.com"})
    gid = encode_id("Communication", ids[0])
    before = (await admin(TEXT, {"id": gid}))["node"]
    assert before == {"status": "QUEUED", "subject": None, "body": None}  # not rendered yet
    deliver(services_for(db, RecordingQueue(), settings_for(tmp_path)), channel="EMAIL", communication_ids=ids)
    sent = (await admin(TEXT, {"id": gid}))["node"]
    assert sent["status"] == "SENT" and sent["subject"] == "Welcome, Ann"
    assert "Hello Ann" in sent["body"] and "<b>" not in sent["body"]  # the text part, not the HTML
    assert "https://example.com/offer" in sent["body"]  # as written, before tracking


async def test_an_sms_shows_its_text_as_sent(admin, db, tmp_path):
    resource(db, "Nudge", "SMS", "Hi {{ user.username }}, {{ event.properties.offer }} waits")
    ids, _ = queue_sends(
        db, "Nudge", {"externalId": "p1", "username": "Bo", "phone": "+351910000001"}, payload={"offer": "a free bet"}
    )
    deliver(services_for(db, RecordingQueue(), settings_for(tmp_path)), channel="SMS", communication_ids=ids)
    log = await admin("{ communications { edges { node { channel subject body } } } }")
    assert log["communications"]["edges"] == [
        {"node": {"channel": "SMS", "subject": None, "body": "Hi Bo, a free bet waits"}}
    ]
