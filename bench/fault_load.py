"""The fault run's client: the journey and the players made through the GraphQL API,
then one `deposit` event a player sent with `trackEvents`, paced, each call sent again
with the same eventIds until it is answered."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from typing import Any

from bench.fault_stack import Processes

TRACK = "mutation T($e: [EventInput!]!) { trackEvents(events: $e) { accepted duplicates errors { code message } } }"


def graphql(base: str, query: str, variables: dict[str, Any] | None = None, token: str | None = None) -> dict:
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    req = urllib.request.Request(f"{base}/graphql", data=body, headers=headers)
    with urllib.request.urlopen(req, timeout=120) as resp:
        answer: dict = json.loads(resp.read())
    if answer.get("errors"):
        raise RuntimeError(f"GraphQL errors: {answer['errors']}")
    return answer["data"]


def _payload(data: dict, field: str) -> dict:
    payload: dict = data[field]
    if payload.get("errors"):
        raise RuntimeError(f"{field}: {payload['errors']}")
    return payload


def setup_journey(base: str, players: int, wait_seconds: int) -> str:
    """Logs in, upserts the players, creates the email, the SMS, the bonus template and the
    journey, activates it; returns the token."""
    login = 'mutation { login(username: "admin", password: "fault-run-pw") { token } }'
    token: str = graphql(base, login)["login"]["token"]

    def call(field: str, query: str, variables: dict[str, Any]) -> dict:
        return _payload(graphql(base, query, variables, token), field)

    upsert = "mutation U($u: [UserInput!]!) { upsertUsers(users: $u) { created errors { code message } } }"
    for start in range(0, players, 10_000):
        users = [
            {
                "externalId": f"fr-{i}",
                "username": f"player{i}",
                "email": f"fr{i}@example.com",
                "phone": f"+35191{i:07d}",
            }
            for i in range(start, min(players, start + 10_000))
        ]
        call("upsertUsers", upsert, {"u": users})
    call(
        "createResource",
        "mutation R($i: ResourceInput!) { createResource(input: $i) { resource { id } errors { code message } } }",
        {"i": {"name": "Deposit thanks", "channel": "EMAIL", "subject": "Thanks, {{ user.username }}",
               "body": "Your deposit of {{ event.properties.amount }} arrived."}},
    )  # fmt: skip
    call(
        "createResource",
        "mutation R($i: ResourceInput!) { createResource(input: $i) { resource { id } errors { code message } } }",
        {"i": {"name": "Deposit SMS", "channel": "SMS", "body": "Deposit of {{ event.properties.amount }} arrived."}},
    )
    call(
        "createBonusTemplate",
        "mutation B($i: BonusTemplateInput!) { createBonusTemplate(input: $i) { bonusTemplate { id } "
        "errors { code message } } }",
        {"i": {"name": "10 free spins", "kind": "FREE_SPINS", "amount": 10, "currency": "EUR"}},
    )
    definition = {
        "trigger": {"kind": "EVENT", "event": "deposit"},
        "start": "thanks",
        "steps": [
            {"id": "thanks", "kind": "send", "resource": "Deposit thanks", "next": "text"},
            {"id": "text", "kind": "send", "resource": "Deposit SMS", "next": "later"},
            {"id": "later", "kind": "wait", "seconds": wait_seconds, "next": "spins"},
            {"id": "spins", "kind": "bonus", "template": "10 free spins"},
        ],
    }
    created = call(
        "createJourney",
        "mutation J($i: JourneyInput!) { createJourney(input: $i) { journey { id } errors { code message } } }",
        {"i": {"name": "Fault run", "reentryMode": "ONCE", "definition": definition}},
    )
    call(
        "activateJourney",
        "mutation A($id: ID!) { activateJourney(id: $id) { journey { status } errors { code message } } }",
        {"id": created["journey"]["id"]},
    )
    return token


class Intake:
    """Sends the events in calls of `batch`, call i not before t0 + i * spacing, from
    two threads; a call that fails is sent again, unchanged, a second later."""

    def __init__(self, procs: Processes, token: str, players: int, batch: int, seconds: float):
        self.procs, self.token = procs, token
        self.batches = [list(range(s, min(players, s + batch))) for s in range(0, players, batch)]
        self.spacing = seconds / max(1, len(self.batches))
        self.done = threading.Event()
        self._lock = threading.Lock()
        self._next = 0
        self.calls_in_flight = 0
        self.tries = 0
        self.failures: list[dict[str, Any]] = []
        self.accepted = self.duplicates = 0
        self.t0 = 0.0
        self.ended_at = 0.0

    def start(self, t0: float) -> None:
        self.t0 = t0
        threads = [threading.Thread(target=self._work, daemon=True) for _ in range(2)]
        for t in threads:
            t.start()
        threading.Thread(target=self._finish, args=(threads,), daemon=True).start()

    def wait_in_flight(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.calls_in_flight == 0 and time.monotonic() < deadline:
            time.sleep(0.01)

    def _finish(self, threads: list[threading.Thread]) -> None:
        for t in threads:
            t.join()
        self.ended_at = time.monotonic() - self.t0
        self.done.set()

    def _take(self) -> int | None:
        with self._lock:
            if self._next >= len(self.batches):
                return None
            self._next += 1
            return self._next - 1

    def _work(self) -> None:
        while (i := self._take()) is not None:
            time.sleep(max(0.0, self.t0 + i * self.spacing - time.monotonic()))
            events = [
                {"eventId": f"dep-{p}", "externalId": f"fr-{p}", "name": "deposit", "properties": {"amount": 25}}
                for p in self.batches[i]
            ]
            self._send(i, events)

    def _send(self, i: int, events: list[dict[str, Any]]) -> None:
        while True:
            with self._lock:
                self.tries += 1
                self.calls_in_flight += 1
            try:
                answer = _payload(graphql(self.procs.base, TRACK, {"e": events}, self.token), "trackEvents")
            except Exception as exc:  # any failure, a cut answer included: the same call again
                error = f"HTTP {exc.code}" if isinstance(exc, urllib.error.HTTPError) else type(exc).__name__
                with self._lock:
                    self.failures.append({"call": i, "at_s": round(time.monotonic() - self.t0, 1), "error": error})
                time.sleep(1)
                continue
            finally:
                with self._lock:
                    self.calls_in_flight -= 1
            with self._lock:
                self.accepted += answer["accepted"]
                self.duplicates += answer["duplicates"]
            return

    def summary(self) -> dict[str, Any]:
        return {
            "events": sum(len(b) for b in self.batches),
            "calls": len(self.batches),
            "tries": self.tries,
            "failed_tries": len(self.failures),
            "failed_tries_by_error": dict(Counter(f["error"] for f in self.failures)),
            "calls_sent_again": len({f["call"] for f in self.failures}),
            "failed_between_s": [self.failures[0]["at_s"], self.failures[-1]["at_s"]] if self.failures else [],
            "accepted": self.accepted,
            "duplicates": self.duplicates,
            "ended_s": round(self.ended_at, 1),
        }
