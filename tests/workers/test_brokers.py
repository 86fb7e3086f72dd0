"""Hints across processes through a real Redis and a real RabbitMQ: the API process sends,
a `questline worker` (run_worker_command) in another process handles them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest

from backend.settings import load_settings
from tests.services import RABBITMQ_URL, REDIS_URL, require_service
from tests.workers.fake_handlers import read_records, wait_for
from workers.broker import close_broker, make_broker
from workers.runtime import connect

pytestmark = pytest.mark.broker
ROOT = Path(__file__).resolve().parents[2]

# A `questline worker` whose processors and tick write to files instead of doing the work.
# The processors are replaced at the top of the script, outside the main guard: a worker
# process the command spawns runs this script's top level again (as __mp_main__).
WORKER_COMMAND = textwrap.dedent(
    """
    import logging, sys
    from backend.settings import load_settings
    from tests.workers.fake_handlers import record_processors
    from workers.runtime import run_worker_command

    record_processors(sys.argv[1], sys.argv[2])

    if __name__ == "__main__":
        logging.basicConfig(level="INFO", format="%(levelname)s %(name)s: %(message)s")
        logging.getLogger("pika").setLevel(logging.WARNING)
        sys.exit(run_worker_command(
            settings=load_settings(), processes=int(sys.argv[3]), threads=2, scheduler_interval=0.1
        ))
    """
)


def _purge(kind: str, settings, queue_names: set[str]) -> None:
    """Removes this run's queues (names carry a prefix of their own) from the shared broker."""
    broker = make_broker(settings)
    try:
        if kind == "redis":
            keys = broker.client.keys(f"{settings.queue_prefix}questline*")
            if keys:
                broker.client.delete(*keys)
        else:
            channel = broker.channel
            for name in sorted(queue_names):
                for q in (name, f"{name}.DQ", f"{name}.XQ"):
                    channel.queue_delete(q)
    finally:
        broker.close()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize(
    "kind, processes", [("redis", 1), ("redis", 2), ("rabbitmq", 2)], ids=["redis-1", "redis-2", "rabbitmq-2"]
)
def test_hints_sent_by_one_process_are_handled_by_a_worker_command(kind, processes, tmp_path):
    require_service(kind)
    url = REDIS_URL if kind == "redis" else RABBITMQ_URL
    env_vars = {
        "QUESTLINE_BROKER_URL": url,
        "QUESTLINE_QUEUE_PREFIX": f"t{uuid.uuid4().hex[:10]}_",
        "QUESTLINE_SECRET_KEY": "k",
        "QUESTLINE_DATA_DIR": str(tmp_path),
        "QUESTLINE_DATABASE_URL": f"sqlite:///{tmp_path / 'q.db'}",
    }
    settings = load_settings(env_vars)
    calls, ticks, log_path = str(tmp_path / "calls.jsonl"), str(tmp_path / "ticks.jsonl"), tmp_path / "worker.log"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("QUESTLINE_")},
        **env_vars,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    script = tmp_path / "worker_command.py"
    script.write_text(WORKER_COMMAND)
    broker, queue = connect(settings)
    with open(log_path, "w") as log_file:  # a file, not a pipe: an undrained pipe would block the worker
        proc = subprocess.Popen(
            [sys.executable, str(script), calls, ticks, str(processes)],
            env=env,
            cwd=tmp_path,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        # Sent before the worker is up: the broker keeps them until a consumer comes.
        queue.advance_entries(list(range(2500)))
        queue.process_events([11, 12])
        queue.deliver("SMS", [5])
        queue.grant_bonuses([8])
        queue.call_webhooks([3])
        assert wait_for(lambda: len(read_records(calls)) == 7 or proc.poll() is not None, timeout=30)
        assert len(read_records(calls)) == 7, log_path.read_text()[-3000:]
        records = read_records(calls)
        entries = sorted(i for c in records if c["kind"] == "entries" for i in c["ids"])
        assert entries == list(range(2500))  # every id once, none lost, none twice
        others = sorted((c["kind"], c["channel"], tuple(c["ids"])) for c in records if c["kind"] != "entries")
        assert others == [
            ("bonuses", None, (8,)),
            ("deliver", "SMS", (5,)),
            ("events", None, (11, 12)),
            ("webhooks", None, (3,)),
        ]
        handler_pids = {c["pid"] for c in records}
        assert os.getpid() not in handler_pids
        if processes == 1:
            assert handler_pids == {proc.pid}
        else:
            assert proc.pid not in handler_pids  # handled by the spawned worker processes
        # The scheduler ticks in the command's own process, once per command.
        assert wait_for(lambda: len(read_records(ticks)) >= 3)
        assert {t["pid"] for t in read_records(ticks)} == {proc.pid}

        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0, log_path.read_text()[-3000:]
        assert not any(_alive(pid) for pid in handler_pids)
        log = log_path.read_text()
        assert "scheduler active" in log and "Traceback" not in log
        assert "guest:guest" not in log  # the broker password is masked in logs
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        close_broker(broker)
        _purge(kind, settings, queue.queue_names)
