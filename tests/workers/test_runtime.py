"""The worker runtime: hints reach handlers in-process, across processes through real
brokers, and exactly one scheduler ticks at a time."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
import uuid

import pytest

from backend.persistence.database import Database
from backend.settings import load_settings
from tests.services import RABBITMQ_URL, REDIS_URL, require_service
from tests.workers.fake_handlers import read_records, recording_handlers
from workers.broker import make_broker, mask_url
from workers.runtime import build, start_embedded
from workers.scheduler import SchedulerLoop


def wait_for(predicate, timeout: float = 15.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def _settings(tmp_path, **env):
    return load_settings({"QUESTLINE_SECRET_KEY": "k", "QUESTLINE_DATA_DIR": str(tmp_path),
                          "QUESTLINE_DATABASE_URL": f"sqlite:///{tmp_path / 'q.db'}", **env})


def test_broker_urls_are_masked_in_logs():
    assert mask_url("amqp://guest:s3cret@host:5672/") == "amqp://guest:***@host:5672/"
    assert mask_url(None) == "in-process"


def test_unknown_broker_scheme_is_refused(tmp_path):
    with pytest.raises(ValueError, match="redis:// or amqp://"):
        make_broker(_settings(tmp_path, QUESTLINE_BROKER_URL="kafka://x"))


def test_embedded_runtime_carries_hints_to_handlers_and_stops(tmp_path):
    settings = _settings(tmp_path)
    db = Database(settings.database_url)
    record = str(tmp_path / "calls.jsonl")
    ticks = []
    rt = start_embedded(settings=settings, db=db, handlers_factory=recording_handlers(record),
                        tick_factory=lambda db, q: (lambda: ticks.append(1)), scheduler_interval=0.05)
    try:
        rt.queue.process_events([1, 2])
        rt.queue.advance_entries(list(range(2500)))
        rt.queue.deliver("EMAIL", [7])
        rt.queue.grant_bonuses([9])
        assert wait_for(lambda: len(read_records(record)) == 6)
        calls = read_records(record)
        assert sorted(len(c["ids"]) for c in calls if c["kind"] == "entries") == [500, 1000, 1000]
        assert {(c["kind"], c["channel"]) for c in calls} >= {("events", None), ("deliver", "EMAIL"), ("bonuses", None)}
        assert wait_for(lambda: len(ticks) >= 3)
    finally:
        rt.stop()
    assert rt.scheduler.active.is_set() is False
    db.dispose()


def test_a_failing_tick_does_not_stop_the_scheduler(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'q.db'}")
    calls = []

    def tick():
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database hiccup")

    loop = SchedulerLoop(db, tick, interval=0.02).start()
    try:
        assert wait_for(lambda: len(calls) >= 3)
    finally:
        loop.stop()
    db.dispose()


def test_only_one_scheduler_is_active_on_postgresql_and_another_takes_over(postgres_url):
    db1, db2 = Database(postgres_url), Database(postgres_url)
    a_ticks, b_ticks = [], []
    a = SchedulerLoop(db1, lambda: a_ticks.append(1), interval=0.02, standby_retry=0.05).start()
    assert wait_for(lambda: a.active.is_set())
    b = SchedulerLoop(db2, lambda: b_ticks.append(1), interval=0.02, standby_retry=0.05).start()
    try:
        time.sleep(0.4)
        assert a_ticks and not b_ticks and not b.active.is_set()
        a.stop()
        assert wait_for(lambda: b.active.is_set())
        assert wait_for(lambda: len(b_ticks) >= 2)
    finally:
        a.stop()
        b.stop()
        db1.dispose()
        db2.dispose()


WORKER_SCRIPT = textwrap.dedent(
    """
    import signal, sys, threading, time
    from backend.persistence.database import Database
    from backend.settings import load_settings
    from tests.workers.fake_handlers import recording_handlers
    from workers.runtime import start_embedded
    settings = load_settings()
    db = Database(settings.database_url)
    rt = start_embedded(settings=settings, db=db, handlers_factory=recording_handlers(sys.argv[1]),
                        tick_factory=lambda db, q: (lambda: None))
    print("ready", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait(60)
    rt.stop()
    """
)


@pytest.mark.broker
@pytest.mark.parametrize("kind", ["redis", "rabbitmq"])
def test_hints_cross_processes_through_a_real_broker(kind, tmp_path):
    require_service(kind)
    url = REDIS_URL if kind == "redis" else RABBITMQ_URL
    prefix = f"t{uuid.uuid4().hex[:8]}_"
    env = {**os.environ, "QUESTLINE_BROKER_URL": url, "QUESTLINE_QUEUE_PREFIX": prefix, "QUESTLINE_SECRET_KEY": "k",
           "QUESTLINE_DATA_DIR": str(tmp_path), "QUESTLINE_DATABASE_URL": f"sqlite:///{tmp_path / 'q.db'}"}
    record = str(tmp_path / "calls.jsonl")
    proc = subprocess.Popen([sys.executable, "-c", WORKER_SCRIPT, record], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=os.getcwd())
    settings = _settings(tmp_path, QUESTLINE_BROKER_URL=url, QUESTLINE_QUEUE_PREFIX=prefix)
    db = Database(settings.database_url)
    broker, actors, queue = build(settings, db, recording_handlers(str(tmp_path / "unused.jsonl")))
    try:
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
        queue.process_events([11, 12])
        queue.deliver("SMS", [5])
        assert wait_for(lambda: len(read_records(record)) == 2, timeout=30), proc.stderr
        calls = read_records(record)
        assert {c["pid"] for c in calls} == {proc.pid}
        assert sorted((c["kind"], tuple(c["ids"])) for c in calls) == [("deliver", (5,)), ("events", (11, 12))]
    finally:
        proc.terminate()
        proc.communicate(timeout=20)
        if kind == "rabbitmq":
            for name in actors.queue_names:
                for q in (name, f"{name}.DQ", f"{name}.XQ"):
                    try:
                        broker.channel.queue_delete(q)
                    except Exception:
                        pass
        else:
            keys = broker.client.keys(f"{prefix}questline*")
            if keys:
                broker.client.delete(*keys)
        broker.close()
        db.dispose()
