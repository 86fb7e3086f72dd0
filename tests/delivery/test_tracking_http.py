"""Opens, clicks, delivery receipts and pop-up actions over HTTP, as mail clients,
providers and players' clients send them."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import update

from backend.ids import encode_id
from backend.models import Communication, utcnow
from backend.outbound import signature
from backend.processing.delivery import deliver
from backend.queue import RecordingQueue
from backend.settings import load_settings
from tests.conftest import GraphQLClient, make_operator
from tests.delivery.helpers import comms, entry_of, queue_sends, resource
from tests.wiring import services_for

PERSON = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
GMAIL_PROXY = "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)"
HTML = '<html><body><p>Hi {{ user.username }}</p><a href="https://casino.example.com/play?g=7&amp;x=1">Play</a></body></html>'


@pytest.fixture
def settings(tmp_path, db_url, smtp):
    return load_settings(
        {
            "QUESTLINE_DATABASE_URL": db_url,
            "QUESTLINE_SECRET_KEY": "tracking-secret",
            "QUESTLINE_DATA_DIR": str(tmp_path),
            "QUESTLINE_WEBHOOK_SECRET": "receipt-secret",
            "QUESTLINE_SMTP_URL": smtp.url,
            "QUESTLINE_PUBLIC_URL": "http://questline.test",
        }
    )


def _sent_emails(db, settings, smtp, n=2):
    resource(db, "Newsletter", "EMAIL", HTML, subject="News")
    ids, _ = queue_sends(
        db,
        "Newsletter",
        *[{"externalId": f"p{i}", "username": f"U{i}", "email": f"p{i}@example.com"} for i in range(n)],
    )
    deliver(services_for(db, RecordingQueue(), settings), channel="EMAIL", communication_ids=ids)
    links = {}
    for message in smtp.sink.messages:
        html = message.get_body(("html",)).get_content()
        links[message["To"]] = (
            re.search(r'src="([^"]+/t/o/[^"]+)"', html)[1],
            re.search(r'href="([^"]+/t/c/[^"]+)"', html)[1],
        )
    return ids, [links[f"p{i}@example.com"] for i in range(n)]


def _age(db, ids, seconds=60):
    """Time passes: the sends happened a minute ago."""
    with db.unit_of_work() as uow:
        uow.session.execute(
            update(Communication).where(Communication.id.in_(ids)).values(sent_at=utcnow() - timedelta(seconds=seconds))
        )


async def test_opens_by_people_and_by_machines_are_told_apart(client, db, settings, smtp):
    ids, links = _sent_emails(db, settings, smtp)
    _age(db, ids)
    (open0, _), (open1, _) = links
    r = await client.http.get(urlsplit(open0).path, headers={"user-agent": PERSON})
    assert r.status_code == 200 and r.headers["content-type"] == "image/gif" and r.content.startswith(b"GIF89a")
    r = await client.http.get(urlsplit(open1).path, headers={"user-agent": GMAIL_PROXY})
    assert r.status_code == 200
    person, machine = comms(db, ids)
    assert person.first_open_at is not None and person.machine_open_at is None
    assert machine.first_open_at is None and machine.machine_open_at is not None
    assert entry_of(db, ids[0]).progress_name == "Opened"
    assert entry_of(db, ids[1]).progress_name == "Sent"  # a proxy's fetch is not a reader
    make_operator(db, "ana", "ANALYST")
    token = await client.login("ana", "password-123")
    data = await client(
        "query($id: ID!) { node(id: $id) { ... on Communication { machineOpened firstOpenAt } } }",
        {"id": encode_id("Communication", ids[1])},
        token=token,
    )
    assert data["node"] == {"machineOpened": True, "firstOpenAt": None}
    # Then a person opens it too: it counts as opened, and is no longer a machine-only open.
    await client.http.get(urlsplit(open1).path, headers={"user-agent": PERSON})
    data = await client(
        "query($id: ID!) { node(id: $id) { ... on Communication { machineOpened } } }",
        {"id": encode_id("Communication", ids[1])},
        token=token,
    )
    assert data["node"] == {"machineOpened": False}
    assert entry_of(db, ids[1]).progress_name == "Opened"


async def test_an_open_right_after_the_send_is_a_prefetch(client, db, settings, smtp):
    ids, [(open0, _)] = _sent_emails(db, settings, smtp, n=1)
    await client.http.get(urlsplit(open0).path, headers={"user-agent": PERSON})
    [c] = comms(db, ids)
    assert c.machine_open_at is not None and c.first_open_at is None


async def test_a_click_redirects_to_the_original_link_and_a_changed_token_goes_nowhere(client, db, settings, smtp):
    ids, [(_, click0)] = _sent_emails(db, settings, smtp, n=1)
    path = urlsplit(click0).path
    # A security gateway fetches every link as the mail arrives: redirected, not counted.
    r = await client.http.get(path, headers={"user-agent": PERSON})
    assert r.status_code == 302 and comms(db, ids)[0].click_count == 0
    _age(db, ids)
    r = await client.http.get(path, headers={"user-agent": PERSON})
    assert r.status_code == 302 and r.headers["location"] == "https://casino.example.com/play?g=7&x=1"
    [c] = comms(db, ids)
    assert (c.click_count, c.last_action) == (1, "https://casino.example.com/play?g=7&x=1")
    assert c.first_click_at is not None and c.first_open_at is not None  # a click is an open
    assert entry_of(db, ids[0]).progress_name == "Clicked"
    token = path.rsplit("/", 1)[1]
    forged = token[:-3] + ("AAA" if token[-3:] != "AAA" else "BBB")
    for bad in (f"/t/c/{forged}", "/t/c/not-a-token", f"/t/o/{token}"):  # a click token is no open token either
        r = await client.http.get(bad)
        assert r.status_code == 404 and "location" not in r.headers
    assert comms(db, ids)[0].click_count == 1


def _receipt(body: dict, secret: str | None = "receipt-secret") -> tuple[bytes, dict]:
    raw = json.dumps(body).encode()
    headers = {"content-type": "application/json"}
    if secret:
        headers["x-questline-signature"] = signature(secret, raw)
    return raw, headers


async def test_receipts_need_the_signature_and_never_move_a_status_back(client, db, settings, smtp):
    ids, _ = _sent_emails(db, settings, smtp)
    ref0, ref1 = (encode_id("Communication", i) for i in ids)
    delivered = {"reference": ref0, "status": "delivered", "at": "2026-11-24T10:00:00Z"}
    for secret in (None, "wrong-secret"):
        raw, headers = _receipt(delivered, secret)
        r = await client.http.post("/webhooks/delivery", content=raw, headers=headers)
        assert r.status_code == 401
    assert comms(db, ids)[0].status == "SENT"
    raw, headers = _receipt(delivered)
    r = await client.http.post("/webhooks/delivery", content=raw, headers=headers)
    assert (r.status_code, r.json()) == (200, {"applied": True})
    c = comms(db, ids)[0]
    assert c.status == "DELIVERED" and c.delivered_at.isoformat() == "2026-11-24T10:00:00+00:00"
    assert entry_of(db, ids[0]).progress_name == "Delivered"
    # The same receipt again, then a late failure: nothing moves back.
    for body in (delivered, {"reference": ref0, "status": "failed", "error": "late"}):
        raw, headers = _receipt(body)
        r = await client.http.post("/webhooks/delivery", content=raw, headers=headers)
        assert (r.status_code, r.json()) == (200, {"applied": False})
    assert (comms(db, ids)[0].status, comms(db, ids)[0].error) == ("DELIVERED", None)
    # A bounce, then word that it arrived after all.
    for body, status in (
        ({"reference": ref1, "status": "bounced", "error": "mailbox full"}, "BOUNCED"),
        ({"reference": ref1, "status": "delivered"}, "DELIVERED"),
    ):
        raw, headers = _receipt(body)
        await client.http.post("/webhooks/delivery", content=raw, headers=headers)
        assert comms(db, ids)[1].status == status
    assert comms(db, ids)[1].bounced_at is not None


@pytest.mark.parametrize(
    "body, status",
    [
        (b"not json", 400),
        (b'["a list"]', 400),
        (json.dumps({"reference": "x", "status": "delivered"}).encode(), 400),
        (json.dumps({"reference": encode_id("Communication", 999999), "status": "delivered"}).encode(), 404),
        (json.dumps({"reference": encode_id("Communication", 1), "status": "opened"}).encode(), 400),
        (
            json.dumps({"reference": encode_id("Communication", 1), "status": "delivered", "at": "yesterday"}).encode(),
            400,
        ),
        *[
            (json.dumps({"reference": encode_id("Communication", 1), "status": "delivered", "at": at}).encode(), 400)
            for at in ("9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:00")
        ],
    ],
)
async def test_a_bad_receipt_is_a_4xx_with_a_message(client, db, body, status):
    r = await client.http.post(
        "/webhooks/delivery", content=body, headers={"x-questline-signature": signature("receipt-secret", body)}
    )
    assert r.status_code == status and r.json()["error"]["message"]


async def test_a_receipts_error_with_a_nul_or_a_lone_surrogate_is_kept_readable(client, db, settings, smtp):
    ids, _ = _sent_emails(db, settings, smtp)
    refs = [encode_id("Communication", i) for i in ids]
    errors = ["mailbox\x00full", "bad \udc80 byte"]
    for ref, error in zip(refs, errors, strict=True):
        raw = json.dumps({"reference": ref, "status": "bounced", "error": error}).encode()
        headers = {"content-type": "application/json", "x-questline-signature": signature("receipt-secret", raw)}
        r = await client.http.post("/webhooks/delivery", content=raw, headers=headers)
        assert (r.status_code, r.json()) == (200, {"applied": True})
    assert [(c.status, c.error) for c in comms(db, ids)] == [
        ("BOUNCED", "mailbox\ufffdfull"),
        ("BOUNCED", "bad \ufffd byte"),
    ]


POPUP_ACTION = """mutation($id: ID!, $a: PopupAction!, $url: String) {
  recordPopupAction(communicationId: $id, action: $a, url: $url) {
    communication { status lastAction clickCount firstOpenAt deliveredAt } errors { code field }
  }
}"""


async def test_pop_up_actions_come_from_the_players_own_token(admin: GraphQLClient, db, settings):
    resource(db, "Spin offer", "POPUP", "Spin now, {{ user.username }}!", subject="Free spins")
    ids, _ = queue_sends(db, "Spin offer", {"externalId": "p1", "username": "Ann"}, {"externalId": "p2"})
    deliver(services_for(db, RecordingQueue(), settings), channel="POPUP", communication_ids=ids)
    tok = {}
    for ext in ("p1", "p2"):
        data = await admin(
            "mutation($e: String!) { issueUserToken(externalId: $e) { token errors { code } } }", {"e": ext}
        )
        tok[ext] = data["issueUserToken"]["token"]
    pid = encode_id("Communication", ids[0])
    for token in ("", admin.token, "garbage"):
        body = await admin.raw(POPUP_ACTION, {"id": pid, "a": "SHOWN"}, token=token or "-")
        assert body["data"]["recordPopupAction"]["errors"][0]["code"] == "UNAUTHENTICATED"
    body = await admin.raw(POPUP_ACTION, {"id": pid, "a": "SHOWN"}, token=tok["p2"])
    assert body["data"]["recordPopupAction"]["errors"] == [{"code": "NOT_FOUND", "field": ["communicationId"]}]
    body = await admin.raw(POPUP_ACTION, {"id": pid, "a": "CLICKED", "url": "javascript:alert(1)"}, token=tok["p1"])
    assert body["data"]["recordPopupAction"]["errors"] == [{"code": "INVALID_INPUT", "field": ["url"]}]
    assert comms(db, ids)[0].status == "SENT" and comms(db, ids)[0].last_action is None
    shown = (await admin.raw(POPUP_ACTION, {"id": pid, "a": "SHOWN"}, token=tok["p1"]))["data"]["recordPopupAction"]
    assert shown["errors"] == [] and shown["communication"]["status"] == "DELIVERED"
    assert shown["communication"]["lastAction"] == "SHOWN" and shown["communication"]["firstOpenAt"]
    assert entry_of(db, ids[0]).progress_name == "Opened"
    clicked = (
        await admin.raw(
            POPUP_ACTION, {"id": pid, "a": "CLICKED", "url": "https://casino.example.com/spin"}, token=tok["p1"]
        )
    )["data"]["recordPopupAction"]["communication"]
    assert (clicked["lastAction"], clicked["clickCount"]) == ("https://casino.example.com/spin", 1)
    assert entry_of(db, ids[0]).progress_name == "Clicked"
    dismissed = (
        await admin.raw(POPUP_ACTION, {"id": encode_id("Communication", ids[1]), "a": "DISMISSED"}, token=tok["p2"])
    )["data"]["recordPopupAction"]["communication"]
    assert (dismissed["status"], dismissed["lastAction"]) == ("SENT", "DISMISSED")
    assert entry_of(db, ids[1]).progress_name == "Sent"


async def test_a_players_token_opens_its_pop_up_and_nothing_behind_it(admin: GraphQLClient, db, settings):
    resource(db, "Spin offer", "POPUP", "Spin now!", subject="Free spins")
    ids, _ = queue_sends(db, "Spin offer", {"externalId": "p1"}, {"externalId": "p2", "email": "victim@example.com"})
    deliver(services_for(db, RecordingQueue(), settings), channel="POPUP", communication_ids=ids)
    token = (await admin('mutation { issueUserToken(externalId: "p1") { token } }'))["issueUserToken"]["token"]
    prying = """mutation($id: ID!) { recordPopupAction(communicationId: $id, action: SHOWN) { communication {
        status ...More } } }
      fragment More on Communication { journey { entries { edges { node { user { email } } } } } resource { body } }"""
    body = await admin.raw(prying, {"id": encode_id("Communication", ids[0])}, token=token)
    assert "data" not in body and body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert admin.last_response.status_code == 401
    assert "victim" not in str(body)
    assert comms(db, ids)[0].status == "SENT"  # refused whole: nothing was recorded
    # The scalars of the player's own pop-up are fine.
    ok = await admin.raw(
        "mutation($id: ID!) { recordPopupAction(communicationId: $id, action: SHOWN) "
        "{ communication { id status __typename } errors { code } } }",
        {"id": encode_id("Communication", ids[0])},
        token=token,
    )
    assert ok["data"]["recordPopupAction"]["communication"]["status"] == "DELIVERED"


@pytest.mark.parametrize(
    "headers, body",
    [
        ({"x-questline-signature": "sha256=\u00e9".encode("latin-1")}, b'{"reference": "1", "status": "delivered"}'),
        ({}, b"x" * 100_000),
    ],
)
async def test_odd_receipts_are_refused_not_crashed_on(client, db, headers, body):
    r = await client.http.post("/webhooks/delivery", content=body, headers=headers)
    assert r.status_code in (401, 413) and r.json()["error"]["message"]


@pytest.mark.parametrize(
    "reference", ["\u00b2", "99999999999999999999999", encode_id("Communication", 10**20), "-5", True]
)
async def test_references_that_name_no_row_are_a_4xx(client, db, reference):
    raw, headers = _receipt({"reference": reference, "status": "delivered"})
    r = await client.http.post("/webhooks/delivery", content=raw, headers=headers)
    assert r.status_code in (400, 404), r.text


async def test_a_huge_id_from_a_player_is_not_found(admin: GraphQLClient, db, settings):
    token = None
    from tests.db.journey_fixtures import users

    users(db, {"externalId": "p1"})
    token = (await admin('mutation { issueUserToken(externalId: "p1") { token } }'))["issueUserToken"]["token"]
    body = await admin.raw(POPUP_ACTION, {"id": encode_id("Communication", 10**20), "a": "SHOWN"}, token=token)
    assert body["data"]["recordPopupAction"]["errors"] == [{"code": "NOT_FOUND", "field": ["communicationId"]}]
