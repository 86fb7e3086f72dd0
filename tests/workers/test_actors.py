"""Actors on Dramatiq's in-memory broker, consumed by a real Dramatiq Worker."""

from __future__ import annotations

import subprocess
import sys
from collections import defaultdict

import pytest
from dramatiq import Worker
from dramatiq.brokers.redis import RedisBroker

from backend.persistence.database import Database
from backend.processing import bonuses
from backend.services import build_services, close_services
from backend.settings import Settings
from tests.workers.fake_handlers import read_records, record_processors, wait_for
from workers import actors
from workers.actors import declare_actors
from workers.broker import DEAD_LETTERS_KEPT, InProcessBroker, make_broker, mask_url
from workers.queue_adapter import BrokerQueue


@pytest.fixture
def running(tmp_path, monkeypatch):
    """A broker with the actors declared (their processors recording to a file), a
    Worker consuming it, and the queue that sends to it."""
    made = []
    record = str(tmp_path / "calls.jsonl")
    record_processors(record, patch=monkeypatch.setattr)

    def start(prefix: str = ""):
        settings = Settings(queue_prefix=prefix)
        broker = InProcessBroker()
        queue = BrokerQueue(broker, prefix)
        services = build_services(settings, queue=queue, db=Database("sqlite://"))
        declare_actors(broker, services, prefix=prefix)
        worker = Worker(broker, worker_threads=2, worker_timeout=50)
        worker.start()
        made.append((worker, broker, services))
        return broker, queue

    yield start, record
    for worker, broker, services in made:
        worker.stop(timeout=5_000)
        broker.close()
        close_services(services)


def _calls(record: str) -> dict[tuple[str, str | None], list[list[int]]]:
    by_kind: dict[tuple[str, str | None], list[list[int]]] = defaultdict(list)
    for call in read_records(record):
        by_kind[(call["kind"], call["channel"])].append(call["ids"])
    return dict(by_kind)


def test_each_hint_reaches_its_processor_with_the_ids_on_its_own_queue(running):
    start, record = running
    broker, queue = start(prefix="eu_")
    queue.process_events([1, 2, 3])
    queue.advance_entries([4])
    for n, channel in enumerate(["EMAIL", "SMS", "PUSH", "IVR", "POPUP"]):
        queue.deliver(channel, [100 + n])
    queue.grant_bonuses([9, 8])
    queue.call_webhooks([77])
    assert wait_for(lambda: len(read_records(record)) == 9)
    assert _calls(record) == {
        ("events", None): [[1, 2, 3]],
        ("entries", None): [[4]],
        ("deliver", "EMAIL"): [[100]],
        ("deliver", "SMS"): [[101]],
        ("deliver", "PUSH"): [[102]],
        ("deliver", "IVR"): [[103]],
        ("deliver", "POPUP"): [[104]],
        ("bonuses", None): [[9, 8]],
        ("webhooks", None): [[77]],
    }
    assert (
        {a.queue_name for a in broker.actors.values()}
        == queue.queue_names
        == {
            "eu_events",
            "eu_entries",
            "eu_bonuses",
            "eu_delivery.email",
            "eu_delivery.sms",
            "eu_delivery.push",
            "eu_delivery.ivr",
            "eu_delivery.popup",
            "eu_webhooks",
            "eu_bonuses.again",
            *(f"eu_delivery.{c}.again" for c in ("email", "sms", "push", "ivr", "popup")),
        }
    )
    for actor in broker.actors.values():
        assert actor.options["max_retries"] >= 0 and actor.options["time_limit"] > 0


def test_a_hint_on_the_again_lane_is_taken_before_the_backlog_of_fresh_ones(tmp_path, monkeypatch):
    """A dead worker's messages, taken back by the tick, must not wait behind thousands
    of fresh hints: a worker with one thread takes the "again" hint before the backlog
    already fetched ahead of it."""
    record = str(tmp_path / "calls.jsonl")
    record_processors(record, patch=monkeypatch.setattr)
    broker = InProcessBroker()
    queue = BrokerQueue(broker)
    services = build_services(Settings(), queue=queue, db=Database("sqlite://"))
    declare_actors(broker, services)
    for n in range(20):
        queue.deliver("EMAIL", [n])
    queue.deliver("EMAIL", [999], again=True)
    queue.grant_bonuses([5], again=True)
    worker = Worker(broker, worker_threads=1, worker_timeout=50)
    worker.start()
    try:
        assert wait_for(lambda: len(read_records(record)) == 22)
    finally:
        worker.stop(timeout=5_000)
        broker.close()
        close_services(services)
    order = [(c["kind"], c["ids"]) for c in read_records(record)]
    first_fresh = order.index(("deliver", [0]))
    assert order.index(("deliver", [999])) < 3 and order.index(("bonuses", [5])) < 3
    assert first_fresh <= 2 and sorted(order[first_fresh:] + order[:first_fresh]) == sorted(order)


def test_large_batches_are_split_into_messages_of_at_most_1000_ids(running):
    start, record = running
    _broker, queue = start()
    queue.advance_entries(list(range(2500)))
    queue.process_events([])
    assert wait_for(lambda: len(read_records(record)) == 3)
    batches = _calls(record)[("entries", None)]
    assert sorted(len(b) for b in batches) == [500, 1000, 1000]
    assert sorted(i for b in batches for i in b) == list(range(2500))
    assert ("events", None) not in _calls(record)  # an empty list sends nothing


def test_an_unknown_channel_is_refused():
    with pytest.raises(ValueError, match="FAX"):
        BrokerQueue(InProcessBroker()).deliver("FAX", [1])


def test_a_failing_batch_is_retried_then_kept_as_a_dead_letter_and_dead_letters_are_bounded(monkeypatch):
    broker = InProcessBroker()
    queue = BrokerQueue(broker)
    services = build_services(Settings(), queue=queue, db=Database("sqlite://"))
    tries = []

    def failing(services, *, bonus_ids, **_):
        tries.append(bonus_ids)
        raise RuntimeError("the wallet's database is down")

    monkeypatch.setattr(bonuses, "grant", failing)
    monkeypatch.setattr(actors, "MAX_RETRIES", 1)
    monkeypatch.setattr(actors, "MIN_BACKOFF_MS", 1)
    monkeypatch.setattr(actors, "MAX_BACKOFF_MS", 2)
    declare_actors(broker, services)
    worker = Worker(broker, worker_threads=4, worker_timeout=50)
    worker.start()
    try:
        for i in range(DEAD_LETTERS_KEPT + 10):
            queue.grant_bonuses([i])
        broker.join("bonuses", fail_fast=False, timeout=30_000)
    finally:
        worker.stop(timeout=5_000)
        close_services(services)
    assert sorted(tries) == sorted([[i] for i in range(DEAD_LETTERS_KEPT + 10)] * 2)  # each tried twice
    assert len(broker.dead_letters) == DEAD_LETTERS_KEPT


def test_importing_the_package_creates_no_broker_and_building_one_connects_nowhere():
    # Ports where nothing listens: building the brokers and declaring the actors must not try them.
    script = (
        "import workers, workers.actors, workers.broker, workers.queue_adapter, workers.runtime, workers.scheduler\n"
        "import dramatiq.broker as b\n"
        "assert b.global_broker is None, b.global_broker\n"
        "from backend.settings import Settings\n"
        "from backend.services import build_services\n"
        "from backend.persistence.database import Database\n"
        "from workers.actors import declare_actors\n"
        "from workers.runtime import connect\n"
        "for url in ('redis://127.0.0.1:9/0', 'amqp://u:p@127.0.0.1:9/'):\n"
        "    settings = Settings(broker_url=url)\n"
        "    broker, queue = connect(settings)\n"
        "    declare_actors(broker, build_services(settings, queue=queue, db=Database('sqlite://')))\n"
        "    assert len({a.queue_name for a in broker.actors.values()}) == 15\n"
        "assert b.global_broker is None\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr


def test_make_broker_picks_the_broker_from_the_url():
    assert type(make_broker(Settings())).__name__ == "InProcessBroker"
    assert isinstance(make_broker(Settings(broker_url="redis://127.0.0.1:9/0")), RedisBroker)
    assert type(make_broker(Settings(broker_url="amqp://127.0.0.1:9/"))).__name__ == "RabbitmqBroker"
    with pytest.raises(ValueError, match="redis:// or amqp://") as err:
        make_broker(Settings(broker_url="kafka://user:hunter2@host/"))
    assert "hunter2" not in str(err.value)


@pytest.mark.parametrize(
    "url, shown",
    [
        ("amqp://guest:s3cret@host:5672/", "amqp://guest:***@host:5672/"),
        ("redis://:s3cret@host:6379/0", "redis://:***@host:6379/0"),
        (
            "rediss://host:6379/0?password=s3cret&ssl_cert_reqs=none",
            "rediss://host:6379/0?password=***&ssl_cert_reqs=none",
        ),
        ("redis://host:6379/0", "redis://host:6379/0"),
        (None, "in-process"),
    ],
)
def test_broker_urls_are_masked_for_logs(url, shown):
    assert mask_url(url) == shown
