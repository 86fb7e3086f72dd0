"""The embedded runtime of `questline serve`, and what `questline worker` refuses."""

from __future__ import annotations

import threading
import time

import pytest
from dramatiq.worker import ConsumerThread, WorkerThread

from backend.processing import events, scheduler
from backend.services import build_services, close_services
from backend.settings import Settings, load_settings
from tests.workers.fake_handlers import read_records, record_processors, wait_for
from workers import runtime
from workers.runtime import connect, run_worker_command, start_embedded


def _settings(tmp_path, **env) -> Settings:
    return load_settings(
        {
            "QUESTLINE_SECRET_KEY": "k",
            "QUESTLINE_DATA_DIR": str(tmp_path),
            "QUESTLINE_DATABASE_URL": f"sqlite:///{tmp_path / 'q.db'}",
            **env,
        }
    )


def _dramatiq_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if isinstance(t, (WorkerThread, ConsumerThread)) and t.is_alive()]


def _start(tmp_path, **options):
    settings = _settings(tmp_path)
    broker, queue = connect(settings)
    services = build_services(settings, queue=queue)
    return start_embedded(services, broker, **options)


@pytest.fixture
def stopped():
    """Runtimes a test started, stopped (and their services closed) at the end."""
    runtimes = []
    yield runtimes
    for rt in runtimes:
        rt.stop()
        close_services(rt.services)


def test_embedded_runtime_carries_hints_to_the_processors_ticks_and_stops_cleanly(tmp_path, monkeypatch, stopped):
    record = str(tmp_path / "calls.jsonl")
    record_processors(record, str(tmp_path / "ticks.jsonl"), patch=monkeypatch.setattr)
    before = set(_dramatiq_threads())
    rt = _start(tmp_path, threads=3, scheduler_interval=0.05)
    stopped.append(rt)
    try:
        assert len(set(_dramatiq_threads()) - before) >= 3
        queue = rt.services.queue
        queue.process_events([1, 2])
        queue.advance_entries(list(range(1500)))
        queue.deliver("EMAIL", [7])
        queue.grant_bonuses([9])
        assert wait_for(lambda: len(read_records(record)) == 5)
        calls = read_records(record)
        assert sorted((c["kind"], c["channel"], len(c["ids"])) for c in calls) == [
            ("bonuses", None, 1),
            ("deliver", "EMAIL", 1),
            ("entries", None, 500),
            ("entries", None, 1000),
            ("events", None, 2),
        ]
        assert wait_for(lambda: rt.scheduler.ticks >= 3)
        assert rt.scheduler.active.is_set()
    finally:
        started = time.monotonic()
        rt.stop()
    assert time.monotonic() - started < 5
    assert set(_dramatiq_threads()) <= before  # every worker and consumer thread has ended
    assert not rt.scheduler.running and not rt.scheduler.active.is_set()
    count = rt.scheduler.ticks
    time.sleep(0.15)
    assert rt.scheduler.ticks == count
    rt.stop()  # a second stop is harmless


def test_the_scheduler_sends_hints_through_the_runtime_queue(tmp_path, monkeypatch, stopped):
    record = str(tmp_path / "calls.jsonl")
    record_processors(record, patch=monkeypatch.setattr)
    sent = []

    def tick(services, **_):
        if not sent:  # one due entry, hinted once
            sent.append(1)
            services.queue.advance_entries([42])

    monkeypatch.setattr(scheduler, "tick", tick)
    stopped.append(_start(tmp_path, scheduler_interval=0.02))
    assert wait_for(lambda: [(c["kind"], c["ids"]) for c in read_records(record)] == [("entries", [42])])


def test_a_batch_past_its_time_limit_is_cut_off_and_the_worker_goes_on(tmp_path, monkeypatch, stopped):
    outcomes = []

    def slow(services, *, event_ids, **_):
        if event_ids == [1]:
            try:
                end = time.monotonic() + 10
                while time.monotonic() < end:
                    time.sleep(0.02)
                outcomes.append("ran to the end")
            except BaseException as exc:
                outcomes.append(type(exc).__name__)
                raise
        else:
            outcomes.append(f"handled {event_ids}")

    monkeypatch.setattr(events, "process_events", slow)
    monkeypatch.setattr(scheduler, "tick", lambda services, **_: None)
    rt = _start(tmp_path, threads=1, time_limit_ms=200)
    stopped.append(rt)
    rt.services.queue.process_events([1])
    rt.services.queue.process_events([2])
    assert wait_for(lambda: outcomes[:2] == ["TimeLimitExceeded", "handled [2]"], timeout=5), outcomes


def test_worker_command_refuses_without_a_broker(tmp_path, capsys):
    assert run_worker_command(settings=_settings(tmp_path), processes=1, threads=2) == 2
    err = capsys.readouterr().err
    assert "QUESTLINE_BROKER_URL" in err and "questline serve" in err


@pytest.mark.parametrize(
    "env, processes, threads, says",
    [
        ({"QUESTLINE_BROKER_URL": "kafka://u:hunter2@host/"}, 1, 1, "redis:// or amqp://"),
        ({"QUESTLINE_BROKER_URL": "redis://127.0.0.1:9/0"}, 0, 1, "at least 1"),
        ({"QUESTLINE_BROKER_URL": "redis://127.0.0.1:9/0"}, 1, 0, "at least 1"),
    ],
)
def test_worker_command_refuses_bad_options(tmp_path, capsys, env, processes, threads, says):
    assert run_worker_command(settings=_settings(tmp_path, **env), processes=processes, threads=threads) == 2
    err = capsys.readouterr().err
    assert says in err and "hunter2" not in err


class _DeadProcess:
    """A worker process that has already died, as `multiprocessing` reports one."""

    def __init__(self, name: str, exitcode: int) -> None:
        self.name, self.pid, self.exitcode = name, 4242, exitcode

    def is_alive(self) -> bool:
        return False


def test_the_worker_command_replaces_dead_processes_and_gives_up_when_they_keep_dying_at_once(
    monkeypatch, tmp_path, caplog
):
    started: list[int] = []

    def start(self, slot):
        started.append(slot)
        return _DeadProcess(f"questline-worker-{slot + 1}", -9), time.monotonic()

    monkeypatch.setattr(runtime._Children, "_start", start)
    children = runtime._Children(_settings(tmp_path), processes=1, threads=1)
    with caplog.at_level("ERROR", logger=runtime.log.name):
        answers = [children.replace_dead() for _ in range(runtime.QUICK_DEATHS_ALLOWED)]
    assert answers == [True] * (runtime.QUICK_DEATHS_ALLOWED - 1) + [False]
    assert started == [0] * runtime.QUICK_DEATHS_ALLOWED  # the first, then a new one per death but the last
    assert "was killed by SIGKILL" in caplog.text and "starting a new one" in caplog.text
    assert "giving up" in caplog.records[-1].getMessage()


def test_a_worker_process_that_ran_a_while_is_replaced_without_counting_towards_giving_up(monkeypatch, tmp_path):
    def start(self, slot):
        # Started long ago by the clock the supervisor reads: it did not die at once.
        return _DeadProcess(f"questline-worker-{slot + 1}", 1), time.monotonic() - runtime.QUICK_DEATH_SECONDS - 1

    monkeypatch.setattr(runtime._Children, "_start", start)
    children = runtime._Children(_settings(tmp_path), processes=2, threads=1)
    assert all(children.replace_dead() for _ in range(3 * runtime.QUICK_DEATHS_ALLOWED))
    assert children.quick_deaths == 0
