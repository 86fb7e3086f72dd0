"""Delivery across processes: the API (`serve --no-worker`) in one process, `questline
worker` in another, PostgreSQL and a real broker between them.

- A pop-up sent by the worker reaches the player's WebSocket held by the API process:
  through Redis pub/sub with a Redis broker, through PostgreSQL LISTEN/NOTIFY with a
  RabbitMQ broker.
- A worker killed in the middle of a send: the next worker sends again under the same
  Idempotency-Key, so an idempotent provider sends the message once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from backend.ids import encode_id
from backend.models import Communication, utcnow
from backend.persistence.database import Database
from tests.conftest import clean
from tests.delivery.peers import HttpProvider
from tests.delivery.popup_client import login_event, next_message, ok, popups, set_up_popup_journey
from tests.e2e.test_engine_e2e import _purge, wait_for
from tests.live import QL, live_server
from tests.services import RABBITMQ_URL, REDIS_URL, require_service

pytestmark = [pytest.mark.e2e, pytest.mark.broker]


def _env(kind: str, postgres_url: str) -> dict:
    return {
        "QUESTLINE_DATABASE_URL": postgres_url,
        "QUESTLINE_BROKER_URL": REDIS_URL if kind == "redis" else RABBITMQ_URL,
        "QUESTLINE_QUEUE_PREFIX": f"e2e{uuid.uuid4().hex[:6]}_",
        "QUESTLINE_SECRET_KEY": "e2e-secret",
    }


def _worker(server, tmp_path, name: str) -> tuple[subprocess.Popen, object]:
    log_file = open(tmp_path / f"{name}.log", "w")  # noqa: SIM115 - open while the worker runs; the caller closes it
    proc = subprocess.Popen(
        [QL, "worker", "--threads", "4"],
        env=server.env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=log_file,
        start_new_session=True,
    )
    return proc, log_file


@pytest.mark.parametrize("kind", ["redis", "rabbitmq"])
def test_a_pop_up_sent_by_another_process_reaches_the_players_websocket(kind, postgres_url, tmp_path):
    require_service(kind)
    db = Database(postgres_url)
    clean(db)
    env = _env(kind, postgres_url)
    with live_server(tmp_path, "--no-worker", **env) as server:
        worker, log_file = _worker(server, tmp_path, "worker")
        try:
            tokens = set_up_popup_journey(server.base, server.token, [{"externalId": "p1", "username": "Ann"}])
            with popups(server.base, tokens["p1"]) as ws:
                time.sleep(0.5)
                started = time.monotonic()
                login_event(server.base, server.token, "login-1", "p1", game="poker")
                popup = next_message(ws, 15)["payload"]["data"]["popups"]
                elapsed = time.monotonic() - started
            assert popup["body"] == "Hi Ann, poker awaits"
            # Pushed, not found by the subscription's occasional read of the database (every 10 s).
            assert elapsed < 5, elapsed
        finally:
            worker.terminate()
            worker.wait(30)
            log_file.close()
            _purge(env)
    db.dispose()


def test_a_worker_killed_mid_send_sends_nothing_twice_to_an_idempotent_provider(postgres_url, tmp_path):
    require_service("redis")
    db = Database(postgres_url)
    clean(db)
    provider = HttpProvider(script=["hang"], hang_seconds=20).start()
    env = {**_env("redis", postgres_url), "QUESTLINE_SMS_URL": provider.url}
    try:
        with live_server(tmp_path, "--no-worker", **env) as server:
            t = server.token
            ok(
                server.base,
                t,
                'mutation { createResource(input: {name: "Deposit SMS", channel: SMS, body: "Thanks {{ user.username }}"}) { errors { code } } }',
            )
            jid = ok(
                server.base,
                t,
                'mutation($d: JSON!) { createJourney(input: {name: "Thanks", definition: $d}) { journey { id } } }',
                {
                    "d": {
                        "trigger": {"kind": "EVENT", "event": "deposit"},
                        "start": "s",
                        "steps": [{"id": "s", "kind": "send", "resource": "Deposit SMS"}],
                    }
                },
            )["createJourney"]["journey"]["id"]
            ok(server.base, t, "mutation($id: ID!) { activateJourney(id: $id) { errors { code } } }", {"id": jid})
            ok(
                server.base,
                t,
                'mutation { upsertUsers(users: [{externalId: "p1", username: "Ann", phone: "+351910000001"}]) { created } }',
            )
            first, first_log = _worker(server, tmp_path, "first")
            ok(
                server.base,
                t,
                'mutation { trackEvents(events: [{eventId: "d1", externalId: "p1", name: "deposit"}]) { accepted } }',
            )
            assert wait_for(lambda: len(provider.requests) == 1, 30), (tmp_path / "first.log").read_text()[-2000:]
            os.killpg(first.pid, signal.SIGKILL)  # in the middle of the send: the provider has not answered
            first.wait(10)
            first_log.close()
            with db.read() as s:
                [comm] = s.scalars(select(Communication))
            assert comm.status == "SENDING"
            # Time passes: the dead worker's send lease runs out.
            with db.unit_of_work() as uow:
                uow.session.execute(update(Communication).values(claimed_until=utcnow() - timedelta(seconds=1)))
            second, second_log = _worker(server, tmp_path, "second")
            try:

                def sent() -> bool:
                    with db.read() as s:
                        return s.get(Communication, comm.id).status == "SENT"

                assert wait_for(sent, 30), (tmp_path / "second.log").read_text()[-2000:]
            finally:
                second.terminate()
                second.wait(30)
                second_log.close()
            key = encode_id("Communication", comm.id)
            assert provider.keys() == {key: 2}  # tried twice, under one key
            assert provider.delivered == {key: {"reference": key, "to": "+351910000001", "text": "Thanks Ann"}}
            with db.read() as s:
                assert s.get(Communication, comm.id).attempts == 2
            _purge(env)
    finally:
        provider.stop()
        db.dispose()
