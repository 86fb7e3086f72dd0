"""Pop-ups reach the player's open subscription, and only that player's; a player who
was away gets them on connecting, until the client says they were shown."""

from __future__ import annotations

import json
import time

import pytest

from tests.delivery.popup_client import login_event, next_message, ok, popups, set_up_popup_journey
from tests.live import graphql, live_server


def test_pop_ups_go_to_their_player_at_once_or_wait_for_the_next_connection(tmp_path):
    with live_server(tmp_path) as server:  # the embedded default: workers in the server process
        base, t = server.base, server.token
        tokens = set_up_popup_journey(
            base, t, [{"externalId": "p1", "username": "Ann"}, {"externalId": "p2", "username": "Bob"}]
        )
        with popups(base, "not-a-token") as ws:
            payload = next_message(ws, 10)["payload"]
            errors = payload if isinstance(payload, list) else payload["errors"]
            assert [e["extensions"]["code"] for e in errors] == ["UNAUTHENTICATED"]
        with popups(base, tokens["p1"]) as ann:
            time.sleep(0.3)  # the subscription is open
            started = time.monotonic()
            login_event(base, t, "login-1", "p1")
            message = next_message(ann, 10)
            elapsed = time.monotonic() - started
            popup = message["payload"]["data"]["popups"]
            assert (popup["title"], popup["body"]) == ("Welcome!", "Hi Ann, roulette awaits")
            assert elapsed < 5, elapsed
            # Bob is away: his pop-up is kept, and Ann's subscription does not see it.
            login_event(base, t, "login-2", "p2", game="blackjack")
            with pytest.raises(TimeoutError):
                next_message(ann, 1.5)
        with popups(base, tokens["p2"]) as bob:
            popup = next_message(bob, 10)["payload"]["data"]["popups"]
            assert popup["body"] == "Hi Bob, blackjack awaits"
        # His client never said SHOWN: the next connection offers it again; after SHOWN, no more.
        with popups(base, tokens["p2"]) as bob:
            again = next_message(bob, 10)["payload"]["data"]["popups"]
            assert again["communicationId"] == popup["communicationId"]
            shown = graphql(
                base,
                "mutation($id: ID!) { recordPopupAction(communicationId: $id, action: SHOWN) "
                "{ communication { status } errors { code } } }",
                tokens["p2"],
                {"id": popup["communicationId"]},
            )
            assert shown["data"]["recordPopupAction"] == {"communication": {"status": "DELIVERED"}, "errors": []}
        with popups(base, tokens["p2"]) as bob, pytest.raises(TimeoutError):
            next_message(bob, 1.5)
        # Over the WebSocket too, a player's token opens nothing behind a pop-up.
        with popups(base, tokens["p2"]) as ws:
            ws.send(
                json.dumps(
                    {
                        "id": "2",
                        "type": "subscribe",
                        "payload": {
                            "query": "mutation($id: ID!) { recordPopupAction(communicationId: $id, action: DISMISSED) "
                            "{ communication { user { email } } } }",
                            "variables": {"id": popup["communicationId"]},
                        },
                    }
                )
            )
            reply = next_message(ws, 10)
            errors = reply["payload"] if isinstance(reply["payload"], list) else reply["payload"]["errors"]
            assert [e["extensions"]["code"] for e in errors] == ["UNAUTHENTICATED"]
        data = ok(
            base, t, "{ communications(channel: POPUP) { totalCount edges { node { status user { externalId } } } } }"
        )
        assert sorted(
            (e["node"]["user"]["externalId"], e["node"]["status"]) for e in data["communications"]["edges"]
        ) == [("p1", "SENT"), ("p2", "DELIVERED")]
