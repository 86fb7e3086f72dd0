"""Log lines as an operator reads them: JSON lines with the request id, the same id on
the work the request caused in the workers, client mistakes at INFO without a
traceback, and never a secret."""

from __future__ import annotations

import io
import json
import logging
import re
import time
from collections.abc import Iterator

import dramatiq
import pytest
from dramatiq import Worker
from dramatiq.message import Message

from backend.logs import REQUEST_ID, JsonFormatter, RequestIdFilter, configure_logging
from graphql_schema.app import create_app, make_services
from tests.conftest import GraphQLClient, make_operator
from workers.broker import InProcessBroker
from workers.queue_adapter import REQUEST_ID_OPTION, BrokerQueue
from workers.request_ids import RequestIds

HEX_ID = re.compile(r"^[0-9a-f]{32}$")


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """Every log line of the test as the JSON formatter writes it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter(secrets=["test-secret-key-not-for-production"]))
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)


def _lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


async def test_the_request_id_is_taken_when_sane_and_echoed(client):
    given = await client.http.get("/healthz", headers={"X-Request-ID": "lb-7f3a:42"})
    assert given.headers["X-Request-ID"] == "lb-7f3a:42"
    for bad in ("has spaces", "x" * 65, "<script>", "\u00e9t\u00e9".encode()):
        answer = await client.http.get("/healthz", headers={"X-Request-ID": bad})
        assert HEX_ID.match(answer.headers["X-Request-ID"]), bad
    first, second = (await client.http.get("/healthz"), await client.http.get("/healthz"))
    assert HEX_ID.match(first.headers["X-Request-ID"])
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]


async def test_a_requests_log_lines_carry_its_id(admin, json_lines):
    await admin.http.post(
        "/graphql",
        json={"query": "{ me { username } }"},
        headers={"authorization": f"Bearer {admin.token}", "X-Request-ID": "req-lines-1"},
    )
    [line] = [x for x in _lines(json_lines) if x["logger"] == "questline.http"]
    assert line["request_id"] == "req-lines-1"
    assert line["route"] == "/graphql" and line["status"] == 200 and line["level"] == "INFO"


async def test_the_work_a_request_causes_carries_its_id_to_the_broker(settings, db):
    broker = InProcessBroker()
    broker.add_middleware(RequestIds())
    services = make_services(settings, BrokerQueue(broker), db=db)
    app = create_app(settings, services=services)
    make_operator(db, "admin", "ADMIN")
    import httpx

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://questline.test") as http:
        client = GraphQLClient(http=http)
        client.token = await client.login("admin", "password-123")
        answer = await http.post(
            "/graphql",
            json={
                "query": "mutation($e: [EventInput!]!) { trackEvents(events: $e) { accepted } }",
                "variables": {"e": [{"eventId": "r1", "externalId": "u1", "name": "login"}]},
            },
            headers={"authorization": f"Bearer {client.token}", "X-Request-ID": "req-hint-1"},
        )
    assert answer.json()["data"]["trackEvents"]["accepted"] == 1
    [encoded] = list(broker.queues["events"].queue)
    assert Message.decode(encoded).options[REQUEST_ID_OPTION] == "req-hint-1"


def test_a_worker_logs_the_work_under_the_id_of_the_request_that_caused_it(json_lines):
    broker = InProcessBroker()
    broker.add_middleware(RequestIds())
    seen: list[str | None] = []

    def work(ids: list[int]) -> None:
        seen.append(REQUEST_ID.get())
        logging.getLogger("questline.test.work").info("working on %s", ids)

    dramatiq.actor(work, broker=broker, actor_name="work", queue_name="events")
    worker = Worker(broker, worker_timeout=50)
    worker.start()
    try:
        for request_id in ("req-worker-1", None):
            options = {REQUEST_ID_OPTION: request_id} if request_id else {}
            broker.enqueue(Message(queue_name="events", actor_name="work", args=([1],), kwargs={}, options=options))
            broker.join("events")
            worker.join()
    finally:
        worker.stop()
    assert seen == ["req-worker-1", None]
    lines = [x for x in _lines(json_lines) if x["logger"] == "questline.test.work"]
    assert [x["request_id"] for x in lines] == ["req-worker-1", "-"]


@pytest.mark.parametrize(
    "query",
    [
        '{ journeys(after: "not-a-cursor") { totalCount } }',
        "{ journeys(first: -1) { totalCount } }",
        "{ journeys { edges { node { nmae } } } }",
        "{ nope }",
    ],
)
async def test_a_client_mistake_is_logged_at_info_without_a_traceback(admin, json_lines, query):
    body = await admin.raw(query)
    assert body["errors"]
    lines = _lines(json_lines)
    refused = [x for x in lines if x["message"].startswith("request refused: ")]
    assert len(refused) == 1 and refused[0]["level"] == "INFO"
    assert all(x["level"] in ("INFO", "DEBUG") for x in lines), lines
    assert not any("exception" in x or "Traceback" in x["message"] for x in lines)


async def test_no_secret_reaches_the_log(admin, json_lines):
    password = "password-123"
    await admin.raw(
        "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }",
        {"u": "admin", "p": password},
    )
    await admin.raw('mutation { login(username: "admin", password: 123) { token } }')  # a variable of the wrong type
    await admin.raw("query($p: Int) { me { username } }", {"p": "hunter2-secret"})
    log = logging.getLogger("questline.test")
    log.info("connecting to postgresql+psycopg://questline:db-pass-9@db:5432/questline")
    log.info("calling the wallet with Authorization: Bearer %s", admin.token)
    log.warning("the secret key is test-secret-key-not-for-production")
    try:
        raise RuntimeError("smtp://mailer:smtp-pass-7@mail.example.com refused")
    except RuntimeError:
        log.exception("sending failed")
    text = json_lines.getvalue()
    for secret in (
        password,
        "hunter2-secret",
        "db-pass-9",
        admin.token,
        "test-secret-key-not-for-production",
        "smtp-pass-7",
    ):
        assert secret not in text
    assert "questline:***@db:5432" in text and "Bearer ***" in text


def test_lines_are_json_off_a_terminal_and_text_on_one():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    try:
        for stream, is_json in ((io.StringIO(), True), (Terminal(), False)):
            configure_logging("INFO", stream=stream, secrets=["s3cr3t-value"])
            token = REQUEST_ID.set("req-format-1")
            logging.getLogger("questline.test").info("hello s3cr3t-value at %s", time.time())
            REQUEST_ID.reset(token)
            line = stream.getvalue().strip()
            assert "s3cr3t-value" not in line
            if is_json:
                parsed = json.loads(line)
                assert parsed["request_id"] == "req-format-1" and parsed["message"].startswith("hello ***")
            else:
                assert "INFO questline.test [req-format-1]: hello ***" in line
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])


def test_httpx_logs_no_line_per_request_at_info_but_keeps_its_warnings():
    """A worker sends thousands of SMS and wallet calls a minute: one JSON line each at
    INFO cost CPU on the cores that send them."""
    root, httpx_log = logging.getLogger(), logging.getLogger("httpx")
    saved = (list(root.handlers), root.level, httpx_log.level)
    try:
        stream = io.StringIO()
        configure_logging("INFO", stream=stream)
        httpx_log.info("HTTP Request: POST http://sms.example/send")
        httpx_log.warning("a warning of httpx")
        logging.getLogger("backend.processing.delivery").info("a line of ours")
        lines = [json.loads(line)["message"] for line in stream.getvalue().splitlines()]
        assert lines == ["a warning of httpx", "a line of ours"]
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
        httpx_log.setLevel(saved[2])
