"""The authorization matrix of the Subscription root fields, generated from the served
schema like the Query and Mutation one (test_authorization_matrix.py): each field,
opened over graphql-transport-ws by each role of group "a", a manager of group "c", a
player's user token and no token, answers as the equivalent query would:

- no operator token (nothing in connection_init, or a player's token there): the
  operator fields are UNAUTHENTICATED before anything runs;
- an operator: an answer about their group's objects; another group's are NOT_FOUND,
  with the text of an id nothing has;
- `popups`, the one player field, opens only with a player's token in its argument:
  an operator's token there is UNAUTHENTICATED, as it is without one.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import uvicorn
from sqlalchemy import select
from websockets.sync.client import connect

from backend.models import Communication, Journey, User, utcnow
from graphql_schema.ids import encode_id
from graphql_schema.permissions import PUBLIC, rule_for
from tests.api.group_data import seed_two_groups
from tests.api.schema_walk import served_schema
from tests.conftest import make_operator
from tests.live import graphql

CALLERS = ("ADMIN", "MANAGER", "ANALYST", "OTHER_GROUP", "USER_TOKEN", "NO_TOKEN")
GROUPS = {"ADMIN": [], "MANAGER": ["a"], "ANALYST": ["a"], "OTHER_GROUP": ["c"]}
# Each Subscription root field, as a document with $id standing for the object asked about.
DOCUMENTS = {
    "popups": "subscription($id: String!) { popups(userToken: $id) { communicationId title } }",
    "journeyLiveStats": "subscription($id: ID!) { journeyLiveStats(journeyId: $id) { stepId count } }",
}


@contextmanager
def _served(app) -> Iterator[str]:
    """The app on a free local port, in this process, so the test's database is its."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        thread.join(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def _first_message(base: str, token: str | None, field: str, target: str) -> dict:
    with connect(base.replace("http", "ws", 1) + "/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        ws.send(
            json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"} if token else {}})
        )
        assert json.loads(ws.recv(10))["type"] == "connection_ack"
        payload = {"query": DOCUMENTS[field], "variables": {"id": target}}
        ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        return json.loads(ws.recv(10))


def _codes(message: dict) -> list[str]:
    payload = message["payload"]
    errors = payload if message["type"] == "error" else payload.get("errors") or []
    return [e["extensions"]["code"] for e in errors]


def _messages(message: dict) -> list[str]:
    payload = message["payload"]
    return [e["message"] for e in (payload if message["type"] == "error" else payload.get("errors") or [])]


def _seed(db) -> tuple[dict, dict]:
    seen, hidden = seed_two_groups(db)
    with db.unit_of_work() as uow:
        s = uow.session
        user = s.scalar(select(User))
        journey = s.scalar(select(Journey).where(Journey.name == "Group A journey"))
        resource = s.scalar(select(Communication.resource_id))
        s.add(
            Communication(
                idempotency_key="popup",
                user_id=user.id,
                resource_id=resource,
                journey_id=journey.id,
                channel="POPUP",
                status="SENT",
                subject="A pop-up",
                body="for u5",
                queued_at=utcnow(),
                sent_at=utcnow(),
            )
        )
    return seen, hidden


def _token(base: str, db, caller: str) -> str | None:
    if caller == "NO_TOKEN":
        return None
    role = "MANAGER" if caller in ("OTHER_GROUP", "USER_TOKEN") else caller
    make_operator(db, "caller", role, GROUPS.get(caller, []))
    login = graphql(base, 'mutation { login(username: "caller", password: "password-123") { token } }')
    token = login["data"]["login"]["token"]
    if caller == "USER_TOKEN":
        issued = graphql(base, 'mutation { issueUserToken(externalId: "u5") { token } }', token)
        return issued["data"]["issueUserToken"]["token"]
    return token


def test_every_subscription_field_has_a_document():
    assert set(served_schema().subscription_type.fields) == set(DOCUMENTS)


@pytest.mark.parametrize("caller", CALLERS)
def test_every_subscription_answers_each_caller_as_the_query_would(app, db, caller):
    seen, hidden = _seed(db)
    with _served(app) as base:
        token = _token(base, db, caller)
        operator = caller in GROUPS
        # Each field's target: the caller's own token for popups, a journey for the live stats.
        targets = {"popups": token or "", "journeyLiveStats": (hidden if caller == "OTHER_GROUP" else seen)["Journey"]}
        for field in DOCUMENTS:
            message = _first_message(base, token, field, targets[field])
            cell = (caller, field, message)
            if field == "popups":
                if caller == "USER_TOKEN":
                    assert message["type"] == "next" and _codes(message) == [], cell
                    assert message["payload"]["data"]["popups"]["title"] == "A pop-up", cell
                else:
                    assert _codes(message) == ["UNAUTHENTICATED"], cell
                continue
            assert rule_for("Subscription", field) is not PUBLIC
            if not operator:
                assert _codes(message) == ["UNAUTHENTICATED"], cell
            elif caller == "OTHER_GROUP":
                # The same answer as for a journey that does not exist.
                unknown = _first_message(base, token, field, encode_id("Journey", 999_999))
                assert _codes(message) == ["NOT_FOUND"] and _messages(message) == _messages(unknown), cell
                query = graphql(base, "query($id: ID!) { journey(id: $id) { id } }", token, {"id": targets[field]})
                assert query["data"]["journey"] is None
            else:
                assert message["type"] == "next" and _codes(message) == [], cell
                assert message["payload"]["data"][field] == [{"stepId": "s", "count": 1}], cell
