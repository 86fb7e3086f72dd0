"""Actors on Dramatiq's in-memory broker, consumed by a real Dramatiq Worker."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections import defaultdict

import pytest
from dramatiq import Worker

from backend.settings import Settings
from tests.workers.fake_handlers import wait_for
from workers.actors import Handlers, declare_actors
from workers.broker import DEAD_LETTERS_KEPT, InProcessBroker, make_broker, mask_url
from workers.queue_adapter import BrokerQueue


class Calls:
    def __init__(self, fail_with: BaseException | None = None):
        self.lock = threading.Lock()
        self.by_kind: dict[tuple[str, str | None], list[list[int]]] = defaultdict(list)
        self.fail_with = fail_with

    def record(self, kind: str, ids: list[int], channel: str | None = None) -> None:
        with self.lock:
            self.by_kind[(kind, channel)].append(ids)
        if self.fail_with is not None:
            raise self.fail_with

    def handlers(self) -> Handlers:
        return Handlers(
            process_events=lambda ids: self.record("events", ids),
            advance_entries=lambda ids: self.record("entries", ids),
            deliver=lambda channel, ids: self.record("deliver", ids, channel),
            grant_bonuses=lambda ids: self.record("bonuses", ids),
            call_webhooks=lambda ids: self.record("webhooks", ids),
        )

    def count(self) -> int:
        with self.lock:
            return sum(len(v) for v in self.by_kind.values())


@pytest.fixture
def running():
    """A broker with the actors declared, a Worker consuming it, and the calls the handlers got."""
    made = []

    def start(prefix: str = "", fail_with: BaseException | None = None):
        broker = InProcessBroker()
        calls = Calls(fail_with)
        actors = declare_actors(broker, calls.handlers(), prefix=prefix)
        worker = Worker(broker, worker_threads=2, worker_timeout=50)
        worker.start()
        made.append((worker, broker))
        return broker, actors, calls

    yield start
    for worker, broker in made:
        worker.stop(timeout=5_000)
        broker.close()


def test_each_hint_reaches_its_handler_with_the_ids_on_its_own_queue(running):
    broker, actors, calls = running(prefix="eu_")
    queue = BrokerQueue(actors)
    queue.process_events([1, 2, 3])
    queue.advance_entries([4])
    for n, channel in enumerate(["EMAIL", "SMS", "PUSH", "IVR", "POPUP"]):
        queue.deliver(channel, [100 + n])
    queue.grant_bonuses([9, 8])
    queue.call_webhooks([77])
    assert wait_for(lambda: calls.count() == 9)
    assert dict(calls.by_kind) == {
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
    assert actors.queue_names == {
        "eu_events",
        "eu_entries",
        "eu_bonuses",
        "eu_delivery.email",
        "eu_delivery.sms",
        "eu_delivery.push",
        "eu_delivery.ivr",
        "eu_delivery.popup",
        "eu_webhooks",
    }
    for actor in actors.all:
        assert actor.options["max_retries"] >= 0 and actor.options["time_limit"] > 0


def test_large_batches_are_split_into_messages_of_at_most_1000_ids(running):
    broker, actors, calls = running()
    queue = BrokerQueue(actors)
    queue.advance_entries(list(range(2500)))
    queue.process_events([])
    assert wait_for(lambda: calls.count() == 3)
    batches = calls.by_kind[("entries", None)]
    assert sorted(len(b) for b in batches) == [500, 1000, 1000]
    assert sorted(i for b in batches for i in b) == list(range(2500))
    assert ("events", None) not in calls.by_kind  # an empty list sends nothing


def test_an_unknown_channel_is_refused():
    actors = declare_actors(InProcessBroker(), Calls().handlers())
    with pytest.raises(ValueError, match="FAX"):
        BrokerQueue(actors).deliver("FAX", [1])


def test_a_processor_not_built_yet_is_not_retried_and_failed_messages_are_bounded(running):
    broker, actors, calls = running(fail_with=NotImplementedError("not built yet"))
    queue = BrokerQueue(actors)
    for i in range(DEAD_LETTERS_KEPT + 10):
        queue.grant_bonuses([i])
    broker.join(actors.grant_bonuses.queue_name, fail_fast=False, timeout=10_000)
    assert len(calls.by_kind[("bonuses", None)]) == DEAD_LETTERS_KEPT + 10  # each tried once, none retried
    assert len(broker.dead_letters) == DEAD_LETTERS_KEPT


def test_importing_the_package_creates_no_broker_and_building_one_connects_nowhere():
    # Ports where nothing listens: building the brokers and declaring the actors must not try them.
    script = (
        "import workers, workers.actors, workers.broker, workers.queue_adapter, workers.runtime, workers.scheduler\n"
        "import dramatiq.broker as b\n"
        "assert b.global_broker is None, b.global_broker\n"
        "from backend.settings import Settings\n"
        "from workers.runtime import build\n"
        "from backend.persistence.database import Database\n"
        "for url in ('redis://127.0.0.1:9/0', 'amqp://u:p@127.0.0.1:9/'):\n"
        "    broker, actors, queue = build(Settings(broker_url=url), Database('sqlite://'), lambda d, s, q: None)\n"
        "    assert len(actors.queue_names) == 9\n"
        "assert b.global_broker is None\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr


def test_make_broker_picks_the_broker_from_the_url():
    assert type(make_broker(Settings())).__name__ == "InProcessBroker"
    assert type(make_broker(Settings(broker_url="redis://127.0.0.1:9/0"))).__name__ == "RedisBroker"
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
