"""End to end: the API in one process, a `questline worker` in another, a real broker
between them, PostgreSQL under both. Events in; entries captured, timers fired,
conversions recorded."""

from __future__ import annotations

import subprocess
import time
import uuid

import pytest
from sqlalchemy import select

from backend.models import Bonus, Communication, Entry, PointsLedger, User
from backend.persistence.database import Database
from tests.conftest import clean
from tests.live import QL, graphql, live_server
from tests.services import RABBITMQ_URL, REDIS_URL, require_service

DEFINITION = """{
  "trigger": {"kind": "EVENT", "event": "deposit"},
  "goal": {"event": "deposit", "withinSeconds": 3600},
  "start": "hi",
  "steps": [
    {"id": "hi", "kind": "send", "resource": "Welcome email", "next": "w"},
    {"id": "w", "kind": "wait", "seconds": 2, "next": "c"},
    {"id": "c", "kind": "condition", "where": {"field": "user.financial.depositCount", "op": "gte", "value": 2}, "yes": "b", "no": "p"},
    {"id": "b", "kind": "bonus", "template": "10 free spins"},
    {"id": "p", "kind": "points", "amount": 5}
  ]
}"""


def _ok(base, token, query):
    body = graphql(base, query, token)
    assert "errors" not in body, body
    return body["data"]


def wait_for(predicate, timeout=40.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()


@pytest.mark.e2e
@pytest.mark.broker
@pytest.mark.parametrize("kind", ["redis", "rabbitmq"])
def test_events_to_completed_entries_through_a_real_worker(kind, postgres_url, tmp_path):
    require_service(kind)
    db = Database(postgres_url)
    clean(db)
    broker_env = {
        "QUESTLINE_DATABASE_URL": postgres_url,
        "QUESTLINE_BROKER_URL": REDIS_URL if kind == "redis" else RABBITMQ_URL,
        "QUESTLINE_QUEUE_PREFIX": f"e2e{uuid.uuid4().hex[:6]}_",
        "QUESTLINE_SECRET_KEY": "e2e-secret",
        "QUESTLINE_LOG_LEVEL": "INFO",
    }
    with live_server(tmp_path, "--no-worker", **broker_env) as server:
        log_path = tmp_path / "worker.log"
        log_file = open(log_path, "w")  # noqa: SIM115 - a file, not a pipe: an undrained pipe would block the worker
        worker = subprocess.Popen(
            [QL, "worker", "--threads", "4"],
            env=server.env,
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=log_file,
            text=True,
        )
        try:
            t = server.token
            _ok(
                server.base,
                t,
                'mutation { createResource(input: {name: "Welcome email", channel: EMAIL, subject: "Hi", body: "Hello"}) { errors { code } } }',
            )
            _ok(
                server.base,
                t,
                'mutation { createBonusTemplate(input: {name: "10 free spins", kind: "FREE_SPINS", amount: 10}) { errors { code } } }',
            )
            created = _ok(server.base, t, _create_query())
            jid = created["createJourney"]["journey"]["id"]
            assert (
                _ok(server.base, t, 'mutation { activateJourney(id: "%s") { errors { code message } } }' % jid)[
                    "activateJourney"
                ]["errors"]
                == []
            )
            _ok(
                server.base,
                t,
                'mutation { upsertUsers(users: [{externalId: "p1", email: "p1@example.com"}, {externalId: "p2", email: "p2@example.com"}]) { created } }',
            )
            tracked = _ok(
                server.base,
                t,
                """mutation { trackEvents(events: [
                {eventId: "d1", externalId: "p1", name: "deposit", properties: {amount: 50}},
                {eventId: "d2", externalId: "p2", name: "deposit", properties: {amount: 20}}]) { accepted errors { code } } }""",
            )
            assert tracked["trackEvents"]["accepted"] == 2
            # The hint travels through the broker: well before the tick's 5 s grace for lost hints.
            started = time.monotonic()
            assert wait_for(lambda: _statuses(db) == ["WAITING", "WAITING"]), (_statuses(db), worker.poll())
            assert time.monotonic() - started < 4
            _ok(
                server.base,
                t,
                'mutation { trackEvents(events: [{eventId: "d3", externalId: "p1", name: "deposit", properties: {amount: 70}}]) { accepted } }',
            )
            assert wait_for(lambda: _statuses(db) == ["COMPLETED", "COMPLETED"]), (
                _statuses(db),
                log_path.read_text()[-3000:],
            )
            with db.read() as s:
                by_user = {u.external_id: u.id for u in s.scalars(select(User))}
                entries = {e.user_id: e for e in s.scalars(select(Entry))}
                assert entries[by_user["p1"]].converted_at is not None  # the second deposit
                assert entries[by_user["p2"]].converted_at is None
                assert [b.user_id for b in s.scalars(select(Bonus))] == [by_user["p1"]]
                assert [p.user_id for p in s.scalars(select(PointsLedger))] == [by_user["p2"]]
                assert sorted(c.to_address for c in s.scalars(select(Communication))) == [
                    "p1@example.com",
                    "p2@example.com",
                ]
            # The bonus goes through the wallet actor (the sandbox: no wallet set).
            assert wait_for(lambda: _bonus_statuses(db) == ["GRANTED"]), (
                _bonus_statuses(db),
                log_path.read_text()[-3000:],
            )
        finally:
            worker.terminate()
            worker.wait(30)
            log_file.close()
            assert worker.returncode == 0, log_path.read_text()[-2000:]
            _purge(broker_env)
    db.dispose()


def _create_query() -> str:
    import json

    return (
        'mutation { createJourney(input: {name: "Welcome", definition: %s}) { journey { id } errors { code message } } }'
        % _graphql_literal(json.loads(DEFINITION))
    )


def _graphql_literal(value) -> str:
    """A JSON value written as a GraphQL input literal (object keys unquoted)."""
    import json

    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_graphql_literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_graphql_literal(v) for v in value) + "]"
    return json.dumps(value)


def _statuses(db) -> list[str]:
    with db.read() as s:
        return sorted(s.scalars(select(Entry.status)))


def _bonus_statuses(db) -> list[str]:
    with db.read() as s:
        return sorted(s.scalars(select(Bonus.status)))


def _purge(env: dict) -> None:
    url, prefix = env["QUESTLINE_BROKER_URL"], env["QUESTLINE_QUEUE_PREFIX"]
    if url.startswith("redis"):
        import redis

        client = redis.Redis.from_url(url)
        keys = client.keys(f"{prefix}questline*")
        if keys:
            client.delete(*keys)
        client.close()
    else:
        import pika

        conn = pika.BlockingConnection(pika.URLParameters(url))
        channel = conn.channel()
        for name in (
            "events",
            "entries",
            "bonuses",
            "webhooks",
            *(f"delivery.{c}" for c in ("email", "sms", "push", "ivr", "popup")),
        ):
            for suffix in ("", ".DQ", ".XQ"):
                channel.queue_delete(f"{prefix}{name}{suffix}")
        conn.close()
