"""Subscriptions over graphql-transport-ws on /graphql, with the token in connection_init."""

from __future__ import annotations

import json

from websockets.sync.client import connect

from tests.live import graphql, live_server

DEFINITION = (
    '{trigger: {kind: "API"}, start: "w", steps: [{id: "w", kind: "wait", seconds: 600, name: "Hold"}, '
    '{id: "x", kind: "exit"}]}'
)


def _first_reply(base: str, init_payload: dict, query: str) -> dict:
    with connect(
        base.replace("http://", "ws://") + "/graphql", subprotocols=["graphql-transport-ws"], open_timeout=10
    ) as ws:
        ws.send(json.dumps({"type": "connection_init", "payload": init_payload}))
        assert json.loads(ws.recv(10))["type"] == "connection_ack"
        ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query}}))
        return json.loads(ws.recv(10))


def _codes(msg: dict) -> list[str]:
    payload = msg["payload"]
    errors = payload if isinstance(payload, list) else payload.get("errors", [])
    return [e["extensions"]["code"] for e in errors]


def test_live_stats_need_a_token_and_push_counts_as_they_change(tmp_path):
    with live_server(tmp_path) as server:  # with its workers, which move the entries
        t = server.token
        query = "subscription($id: ID!) { journeyLiveStats(journeyId: $id) { stepId name kind count } }"
        assert _codes(_first_reply(server.base, {}, 'subscription { journeyLiveStats(journeyId: "x") { count } }')) == [
            "UNAUTHENTICATED"
        ]
        assert _codes(
            _first_reply(
                server.base,
                {"Authorization": f"Bearer {t}"},
                'subscription { journeyLiveStats(journeyId: "eA") { count } }',
            )
        ) == ["NOT_FOUND"]
        created = graphql(
            server.base,
            'mutation { createJourney(input: {name: "Live", definition: %s}) { journey { id } } }' % DEFINITION,
            t,
        )
        jid = created["data"]["createJourney"]["journey"]["id"]
        graphql(server.base, 'mutation { activateJourney(id: "%s") { errors { code } } }' % jid, t)
        graphql(server.base, 'mutation { upsertUsers(users: [{externalId: "p1"}, {externalId: "p2"}]) { created } }', t)
        with connect(
            server.base.replace("http://", "ws://") + "/graphql", subprotocols=["graphql-transport-ws"], open_timeout=10
        ) as ws:
            ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {t}"}}))
            assert json.loads(ws.recv(10))["type"] == "connection_ack"
            ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query, "variables": {"id": jid}}}))
            first = json.loads(ws.recv(10))["payload"]["data"]["journeyLiveStats"]
            assert first == [
                {"stepId": "w", "name": "Hold", "kind": "wait", "count": 0},
                {"stepId": "x", "name": None, "kind": "exit", "count": 0},
            ]
            graphql(
                server.base,
                'mutation { enterJourney(journeyId: "%s", externalIds: ["p1", "p2"]) { refused } }' % jid,
                t,
            )
            pushed = json.loads(ws.recv(15))["payload"]["data"]["journeyLiveStats"]
            assert pushed[0] == {"stepId": "w", "name": "Hold", "kind": "wait", "count": 2}
