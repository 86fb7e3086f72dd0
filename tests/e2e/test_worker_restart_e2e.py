"""End to end: a `questline worker` whose worker process is SIGKILLed starts a new one,
says why in its log, and the work still gets done (a real Redis broker, PostgreSQL)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import uuid

import pytest
from sqlalchemy import select

from backend.models import Entry, PointsLedger
from backend.persistence.database import Database
from tests.conftest import clean
from tests.e2e.test_engine_e2e import _ok, _purge, wait_for
from tests.live import QL, live_server
from tests.services import REDIS_URL, require_service

STARTED = re.compile(r"(questline-worker-\d) started \(pid (\d+)\)")
JOURNEY = (
    'mutation { createJourney(input: {name: "Points on deposit", definition: {trigger: {kind: "EVENT", event: "deposit"}, '
    'start: "p", steps: [{id: "p", kind: "points", amount: 5}]}}) { journey { id } errors { code message } } }'
)


def _started(log_path) -> list[tuple[str, int]]:
    return [(name, int(pid)) for name, pid in STARTED.findall(log_path.read_text())]


def _completed(db) -> int:
    with db.read() as s:
        return len([e for e in s.scalars(select(Entry)) if e.status == "COMPLETED"])


@pytest.mark.e2e
@pytest.mark.broker
def test_a_killed_worker_process_is_replaced_and_the_work_still_gets_done(postgres_url, tmp_path):
    require_service("redis")
    db = Database(postgres_url)
    clean(db)
    broker_env = {
        "QUESTLINE_DATABASE_URL": postgres_url,
        "QUESTLINE_BROKER_URL": REDIS_URL,
        "QUESTLINE_QUEUE_PREFIX": f"e2e{uuid.uuid4().hex[:6]}_",
        "QUESTLINE_SECRET_KEY": "e2e-secret",
        "QUESTLINE_LOG_LEVEL": "INFO",
    }
    with live_server(tmp_path, "--no-worker", **broker_env) as server:
        log_path = tmp_path / "worker.log"
        log_file = open(log_path, "w")  # noqa: SIM115 - a file, not a pipe: an undrained pipe would block the worker
        worker = subprocess.Popen(
            [QL, "worker", "--processes", "2", "--threads", "2"],
            env=server.env,
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=log_file,
            text=True,
        )
        try:
            assert wait_for(lambda: log_path.read_text().count("worker process ready") == 2, 60), log_path.read_text()
            first = _started(log_path)
            assert [name for name, _ in first] == ["questline-worker-1", "questline-worker-2"]
            # Both original worker processes die hard, one after the other: only their
            # replacements can do the work below (the command's own process only ticks).
            for name, pid in first:
                os.kill(pid, signal.SIGKILL)
                assert wait_for(
                    lambda name=name: f"{name} (pid" in log_path.read_text() and "SIGKILL" in log_path.read_text(), 30
                )
            assert wait_for(
                lambda: len(_started(log_path)) == 4 and log_path.read_text().count("worker process ready") == 4, 60
            ), log_path.read_text()[-3000:]
            text = log_path.read_text()
            for name, pid in first:
                assert f"{name} (pid {pid}) was killed by SIGKILL" in text and "starting a new one" in text
            assert worker.poll() is None  # the command goes on

            t = server.token
            jid = _ok(server.base, t, JOURNEY)["createJourney"]["journey"]["id"]
            assert (
                _ok(server.base, t, 'mutation { activateJourney(id: "%s") { errors { code } } }' % jid)[
                    "activateJourney"
                ]["errors"]
                == []
            )
            _ok(server.base, t, 'mutation { upsertUsers(users: [{externalId: "p1"}, {externalId: "p2"}]) { created } }')
            tracked = _ok(
                server.base,
                t,
                """mutation { trackEvents(events: [
                {eventId: "d1", externalId: "p1", name: "deposit", properties: {amount: 50}},
                {eventId: "d2", externalId: "p2", name: "deposit", properties: {amount: 20}}]) { accepted } }""",
            )
            assert tracked["trackEvents"]["accepted"] == 2
            assert wait_for(lambda: _completed(db) == 2, 60), log_path.read_text()[-3000:]
            with db.read() as s:
                assert sorted(p.amount for p in s.scalars(select(PointsLedger))) == [5, 5]
        finally:
            worker.terminate()
            worker.wait(30)
            log_file.close()
            _purge(broker_env)
        assert worker.returncode == 0, log_path.read_text()[-2000:]
    db.dispose()
