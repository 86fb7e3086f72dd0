"""previewResource: a resource's text for one user, as delivery would render it, writing nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from backend.models import Communication
from tests.conftest import make_operator

PREVIEW = """query($i: ResourceInput!, $x: String!, $p: JSON) {
  previewResource(input: $i, externalId: $x, payload: $p) { subject body error } }"""
USERS = "mutation($u: [UserInput!]!) { upsertUsers(users: $u) { created errors { message } } }"


async def test_the_text_is_rendered_for_the_user_and_nothing_is_written(admin, db):
    await admin(USERS, {"u": [{"externalId": "p1", "username": "alice", "attributes": {"vip": "gold"}}]})
    make_operator(db, "reader", "ANALYST")
    resource = {
        "name": "Welcome",
        "channel": "EMAIL",
        "subject": "Hi   {{ user.username }}",
        "body": "{{ user.attributes.vip }} bonus: {{ event.properties.spins }} spins",
    }
    analyst = await admin.login("reader", "password-123")
    shown = await admin(PREVIEW, {"i": resource, "x": "p1", "p": {"spins": 20}}, token=analyst)
    assert shown["previewResource"] == {"subject": "Hi alice", "body": "gold bonus: 20 spins", "error": None}
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Communication)) == 0


async def test_a_broken_template_or_an_unknown_user_is_said_in_words(admin):
    await admin(USERS, {"u": [{"externalId": "p1"}]})
    broken = {"name": "B", "channel": "SMS", "body": "{% if %}"}
    shown = (await admin(PREVIEW, {"i": broken, "x": "p1"}))["previewResource"]
    assert shown["body"] is None and shown["error"]
    missing = await admin.raw(PREVIEW, {"i": {"name": "S", "channel": "SMS", "body": "hi"}, "x": "nobody"})
    assert missing["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert "nobody" in missing["errors"][0]["message"]
