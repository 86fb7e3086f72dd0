"""What the UI tests look at, made through the GraphQL API as an operator would."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field

from tests.live import LiveServer, graphql

PASSWORD = "secret-123"
_event_ids = itertools.count(1)

WELCOME = {
    "trigger": {"kind": "EVENT", "event": "signup"},
    "goal": {"event": "deposit", "withinSeconds": 604800},
    "start": "welcome",
    "steps": [
        {
            "id": "welcome",
            "name": "Welcome email",
            "kind": "send",
            "resource": "Welcome email",
            "next": "await_deposit",
        },
        {
            "id": "await_deposit",
            "name": "Waits for a deposit",
            "kind": "wait_for_event",
            "event": "deposit",
            "timeoutSeconds": 86400,
            "next": "big",
            "timeoutNext": "nudge",
        },
        {
            "id": "big",
            "name": "Deposited 100 or more?",
            "kind": "condition",
            "where": {"field": "user.financial.depositTotal", "op": "gte", "value": 100},
            "yes": "vip_bonus",
            "no": "ab",
        },
        {"id": "vip_bonus", "name": "VIP spins", "kind": "bonus", "template": "10 free spins"},
        {
            "id": "ab",
            "name": "A/B offer",
            "kind": "split",
            "branches": [
                {"name": "A", "percent": 50, "next": "points"},
                {"name": "B", "percent": 50, "next": "loyalty"},
            ],
        },
        {"id": "points", "name": "Loyalty points", "kind": "points", "amount": 50},
        {"id": "loyalty", "name": "Loyalty offer", "kind": "send", "configured": False},
        {"id": "nudge", "name": "Come back SMS", "kind": "send", "resource": "Come back SMS", "next": "again"},
        {"id": "again", "name": "Wait again", "kind": "goto", "to": "await_deposit"},
    ],
}

WEEKEND = {
    "trigger": {"kind": "API"},
    "start": "hold",
    "steps": [
        {"id": "hold", "name": "Until Saturday", "kind": "wait", "seconds": 259200, "next": "offer"},
        {"id": "offer", "name": "Weekend push", "kind": "send", "resource": "Weekend push"},
    ],
}

PLAYERS = [
    ("p-1001", "alice", "alice@example.com", "+33610000001", "Europe/Paris"),
    ("p-1002", "bruno", "bruno@example.com", "+33610000002", "Europe/Berlin"),
    ("p-1003", "chiara", "chiara@example.com", None, "Europe/Rome"),
    ("p-1004", "dmitri", "dmitri@example.com", "+33610000004", "Europe/Riga"),
    ("p-1005", "eva", None, "+33610000005", "Europe/Madrid"),
    ("p-1006", "farid", "farid@example.com", "+33610000006", None),
]


@dataclass
class Seeded:
    server: LiveServer
    tokens: dict[str, str] = field(default_factory=dict)
    journeys: dict[str, str] = field(default_factory=dict)
    users: dict[str, str] = field(default_factory=dict)

    def call(self, query: str, variables: dict | None = None, as_user: str = "admin") -> dict:
        body = graphql(self.server.base, query, self.tokens[as_user], variables)
        assert not body.get("errors"), body["errors"]
        return body["data"]

    def track(self, *events: tuple[str, str, dict]) -> None:
        """Events (externalId, name, properties) sent as the operator's system would."""
        batch = [
            {"eventId": f"ui-{next(_event_ids)}", "externalId": x, "name": name, "properties": props}
            for x, name, props in events
        ]
        result = self.call(
            "mutation($e: [EventInput!]!) { trackEvents(events: $e) { accepted errors { message } } }", {"e": batch}
        )
        assert result["trackEvents"]["errors"] == []

    def live_count(self, journey: str, step: str) -> int:
        data = self.call(
            "query($id: ID!) { journey(id: $id) { liveStats { stepId count } } }", {"id": self.journeys[journey]}
        )
        return next(r["count"] for r in data["journey"]["liveStats"] if r["stepId"] == step)

    def wait_until(self, check, what: str, seconds: float = 20) -> None:
        deadline = time.monotonic() + seconds
        while not check():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            time.sleep(0.2)


def _ok(data: dict) -> dict:
    payload = next(iter(data.values()))
    assert payload.get("errors") in ([], None), payload.get("errors")
    return payload


def seed(server: LiveServer) -> Seeded:
    s = Seeded(server=server, tokens={"admin": server.token})
    for username, role, groups in (("manager", "MANAGER", ["eu"]), ("analyst", "ANALYST", [])):
        _ok(
            s.call(
                "mutation($i: OperatorInput!) { createOperator(input: $i) { operator { id } errors { message } } }",
                {"i": {"username": username, "password": PASSWORD, "role": role, "accessGroups": groups}},
            )
        )
        login = graphql(
            server.base,
            "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }",
            variables={"u": username, "p": PASSWORD},
        )
        s.tokens[username] = login["data"]["login"]["token"]
    create_resource = (
        "mutation($i: ResourceInput!) { createResource(input: $i) { resource { id } errors { message } } }"
    )
    for name, channel, subject, body in (
        ("Welcome email", "EMAIL", "Welcome, {{ user.username }}!", "Hello {{ user.username }}, your bonus waits."),
        ("Come back SMS", "SMS", None, "{{ user.username }}, 20 free spins if you deposit today."),
        ("Weekend push", "PUSH", "Weekend boost", "Double points all weekend."),
    ):
        _ok(s.call(create_resource, {"i": {"name": name, "channel": channel, "subject": subject, "body": body}}))
    _ok(
        s.call(
            "mutation($i: BonusTemplateInput!) { createBonusTemplate(input: $i) { bonusTemplate { id } errors { message } } }",
            {"i": {"name": "10 free spins", "kind": "FREE_SPINS", "amount": 10, "currency": "EUR"}},
        )
    )
    _ok(
        s.call(
            "mutation($l: [LevelInput!]!) { setLevels(levels: $l) { levels { name } errors { message } } }",
            {"l": [{"name": "Bronze", "threshold": 0}, {"name": "Silver", "threshold": 100}]},
        )
    )
    users = [
        {"externalId": x, "username": u, "email": e, "phone": ph, "timezone": tz, "attributes": {"country": "FR"}}
        for x, u, e, ph, tz in PLAYERS
    ]
    _ok(s.call("mutation($u: [UserInput!]!) { upsertUsers(users: $u) { created errors { message } } }", {"u": users}))
    create = "mutation($i: JourneyInput!) { createJourney(input: $i) { journey { id } errors { message } } }"
    for key, name, definition, extra in (
        ("welcome", "Welcome series", WELCOME, {"tags": ["onboarding"], "controlGroupPercent": 0}),
        ("weekend", "EU weekend push", WEEKEND, {"tags": ["weekend"], "accessGroups": ["eu"]}),
        ("vip", "VIP reactivation", WEEKEND, {"tags": ["vip"], "accessGroups": ["vip"]}),
    ):
        journey = _ok(s.call(create, {"i": {"name": name, "definition": definition, **extra}}))["journey"]
        s.journeys[key] = journey["id"]
    for key in ("welcome", "weekend"):
        _ok(s.call("mutation($id: ID!) { activateJourney(id: $id) { errors { message } } }", {"id": s.journeys[key]}))
    _ok(
        s.call(
            'mutation($id: ID!, $x: [String!]!) { enterJourney(journeyId: $id, externalIds: $x, payload: {campaign: "w48"}) { errors { message } } }',
            {"id": s.journeys["weekend"], "x": ["p-1001", "p-1002"]},
        )
    )
    s.track(*[(x, "signup", {"source": "web"}) for x, *_ in PLAYERS[:5]])
    s.wait_until(lambda: s.live_count("welcome", "await_deposit") == 5, "five entries waiting for a deposit")
    s.track(("p-1001", "deposit", {"amount": 150}), ("p-1002", "deposit", {"amount": 20}))
    s.wait_until(lambda: s.live_count("welcome", "await_deposit") == 3, "two entries to move on after a deposit")
    found = s.call("{ users(first: 50) { edges { node { id externalId } } } }")
    s.users = {e["node"]["externalId"]: e["node"]["id"] for e in found["users"]["edges"]}
    return s
