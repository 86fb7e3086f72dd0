"""A player's client: the `popups` subscription over graphql-transport-ws, and the
backoffice calls that set up a pop-up journey."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from websockets.sync.client import connect

from tests.live import graphql

POPUP_JOURNEY = {
    "trigger": {"kind": "EVENT", "event": "login"},
    "start": "hi",
    "steps": [{"id": "hi", "kind": "send", "resource": "Welcome pop-up"}],
}


def ok(base: str, token: str, query: str, variables: dict | None = None) -> dict:
    body = graphql(base, query, token, variables)
    assert "errors" not in body, body
    return body["data"]


def set_up_popup_journey(base: str, token: str, players: list[dict], reentry: str = "ONCE") -> dict[str, str]:
    """The pop-up resource and journey, the players, and each player's user token."""
    ok(
        base,
        token,
        'mutation { createResource(input: {name: "Welcome pop-up", channel: POPUP, subject: "Welcome!", '
        'body: "Hi {{ user.username }}, {{ event.properties.game }} awaits"}) { errors { code } } }',
    )
    jid = ok(
        base,
        token,
        'mutation($d: JSON!, $r: ReentryMode) { createJourney(input: {name: "Login pop-up", '
        "definition: $d, reentryMode: $r}) { journey { id } errors { code } } }",
        {"d": POPUP_JOURNEY, "r": reentry},
    )["createJourney"]["journey"]["id"]
    assert (
        ok(base, token, "mutation($id: ID!) { activateJourney(id: $id) { errors { code } } }", {"id": jid})[
            "activateJourney"
        ]["errors"]
        == []
    )
    ok(base, token, "mutation($u: [UserInput!]!) { upsertUsers(users: $u) { created } }", {"u": players})
    return {
        p["externalId"]: ok(
            base, token, "mutation($e: String!) { issueUserToken(externalId: $e) { token } }", {"e": p["externalId"]}
        )["issueUserToken"]["token"]
        for p in players
    }


def login_event(base: str, token: str, event_id: str, external_id: str, game: str = "roulette") -> None:
    ok(
        base,
        token,
        "mutation($e: [EventInput!]!) { trackEvents(events: $e) { accepted } }",
        {"e": [{"eventId": event_id, "externalId": external_id, "name": "login", "properties": {"game": game}}]},
    )


@contextmanager
def popups(base: str, user_token: str) -> Iterator[Any]:
    """An open `popups` subscription; `next(ws, timeout)` gives the next pop-up or message."""
    with connect(
        base.replace("http://", "ws://") + "/graphql", subprotocols=["graphql-transport-ws"], open_timeout=10
    ) as ws:
        ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(ws.recv(10))["type"] == "connection_ack"
        ws.send(
            json.dumps(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {
                        "query": "subscription($t: String!) { popups(userToken: $t) { communicationId title body sentAt } }",
                        "variables": {"t": user_token},
                    },
                }
            )
        )
        yield ws


def next_message(ws: Any, timeout: float) -> dict:
    return json.loads(ws.recv(timeout))


def popup_with(ws: Any, marker: str, timeout: float) -> dict | None:
    """The next pop-up whose body holds `marker`, or None once `timeout` seconds have
    passed; pop-ups without it (late ones of earlier events) are passed over."""
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        try:
            message = next_message(ws, left)
        except TimeoutError:
            return None
        popup = (message.get("payload") or {}).get("data", {}).get("popups")
        if popup and marker in popup["body"]:
            return popup
    return None
