"""The scenarios of `python -m bench`: each returns one result row per design it ran
(Questline, and the naive peer where there is one), in the same sitting."""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text

from backend.users.intake import track_events
from bench.read_latency import generate, percentile, read_cases, start_reader
from bench.setup import prepare_capture, send_wait_bonus
from bench.suite import (
    InBackground,
    MemorySampler,
    Sampler,
    Stack,
    cpu_seconds,
    largest_rss_mb,
    load_average,
    rss_mb,
    scalar,
    stack,
    wait_for,
)
from tests.live import free_port

CALL = 1_000  # events a trackEvents call
JOURNEY_STEPS = 4  # send, wait, condition, bonus
LONG_WAIT = 3_600  # capture: the entry waits after its first send
NAIVE_PREFIX = f"benchnaive{uuid.uuid4().hex[:6]}_"


def _row(design: str, args: argparse.Namespace, threads: int, **figures: Any) -> dict[str, Any]:
    return {
        "design": design,
        "workers": f"{args.processes} x {threads}",
        **figures,
        "load_average_at_end": load_average(),
    }


# -- capture --------------------------------------------------------------------------------


def capture(args: argparse.Namespace) -> list[dict[str, Any]]:
    """Events of N users tracked in calls of 1,000 into an EVENT journey whose first step
    sends: until every event's entry exists with its first message queued."""
    users = args.users or (10_000 if args.small else 100_000)
    return [_capture_one(design, args, users) for design in args.designs.split(",")]


def _capture_one(design: str, args: argparse.Namespace, users: int) -> dict[str, Any]:
    with stack(args.postgres, args.broker) as st:
        db = st.db
        prepare_capture(db, users, definition=send_wait_bonus(LONG_WAIT))
        queue, close, workers, threads = _design(st, design, args)
        try:
            with MemorySampler(workers.pid) as memory:
                warm = _warm_up(db, queue, args.processes * threads, args.timeout)
                t0, cpu0 = time.monotonic(), cpu_seconds(workers.pid)
                _intake(db, queue, users, args.intake_threads)
                intake = time.monotonic() - t0
                sent = "SELECT count(*) FROM communications"
                wait_for(lambda: scalar(db, sent), users + warm, timeout=args.timeout)
                took, cpu = time.monotonic() - t0, cpu_seconds(workers.pid) - cpu0
        finally:
            close()
            db.dispose()
    return _row(
        design,
        args,
        threads,
        events=users,
        intake_events_per_s=round(users / intake),
        captured_per_s=round(users / took),
        seconds=round(took, 1),
        worker_cpu_us_per_event=round(cpu / users * 1e6),
        worker_peak_rss_mb=round(memory.peak),
    )


def _design(st: Stack, design: str, args: argparse.Namespace) -> tuple[Any, Any, Any, int]:
    """The queue the intake hands event ids to, how to close it, the worker process, its threads."""
    if design == "questline":
        from backend.settings import load_settings
        from workers.broker import close_broker
        from workers.runtime import connect

        broker, queue = connect(load_settings(st.env))
        return queue, lambda: close_broker(broker), st.questline_workers(args.processes, args.threads), args.threads
    # One queue prefix for the naive peer's whole run: its module (and broker) is imported once.
    st.env["QUESTLINE_QUEUE_PREFIX"] = NAIVE_PREFIX
    os.environ.update({k: v for k, v in st.env.items() if k.startswith("QUESTLINE_")})
    from bench import naive

    naive.use_database(st.url)
    return naive.NaiveQueue(), lambda: None, st.naive_workers(args.processes, args.naive_threads), args.naive_threads


def _warm_up(db: Any, queue: Any, calls: int, timeout: float) -> int:
    """One event a call, `calls` calls (a message each), processed before the clock
    starts: the worker processes have started, imported and connected. Returns how many."""
    for i in range(calls):
        with db.unit_of_work() as uow:
            track_events(
                uow, queue=queue, events=[{"eventId": f"warm{i}", "externalId": f"warm{i}", "name": "deposit"}]
            )
    wait_for(lambda: scalar(db, "SELECT count(*) FROM events WHERE processed_at IS NOT NULL"), calls, timeout=timeout)
    return calls


def _intake(db: Any, queue: Any, users: int, threads: int) -> None:
    def call(start: int) -> None:
        events = [
            {"eventId": f"e{n}", "externalId": f"u{n}", "name": "deposit", "properties": {"amount": 50}}
            for n in range(start, min(start + CALL, users))
        ]
        with db.unit_of_work() as uow:
            track_events(uow, queue=queue, events=events)

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(call, range(0, users, CALL)))


# -- advance --------------------------------------------------------------------------------


def advance(args: argparse.Namespace) -> list[dict[str, Any]]:
    """N entries, ACTIVE at the first step of send -> wait 1 s -> condition -> bonus,
    until every one is COMPLETED; also the workers' peak memory."""
    entries = args.entries or (100_000 if args.small else 1_000_000)
    return [_advance_one(design, args, entries) for design in args.designs.split(",")]


def _advance_one(design: str, args: argparse.Namespace, entries: int) -> dict[str, Any]:
    with stack(args.postgres, args.broker) as st:
        db = st.db
        jid = prepare_capture(db, 0, definition=send_wait_bonus(1))
        _generate_entries(st.url, jid, entries)
        queue, close, workers, threads = _design(st, design, args)
        try:
            with MemorySampler(workers.pid) as memory:
                _warm_up(db, queue, args.processes * threads, args.timeout)
                t0 = time.monotonic()
                with db.unit_of_work() as uow:  # the scheduler's next tick hints them
                    uow.session.execute(text("UPDATE entries SET claimed_until = NULL WHERE id <= :n"), {"n": entries})
                if design == "naive":
                    from bench import naive

                    naive.start_entries(list(range(1, entries + 1)))
                done = f"SELECT count(*) FROM entries WHERE status = 'COMPLETED' AND id <= {entries}"
                wait_for(lambda: scalar(db, done), entries, timeout=args.timeout, poll=0.5)
                took = time.monotonic() - t0
        finally:
            close()
            db.dispose()
    return _row(
        design,
        args,
        threads,
        entries=entries,
        step_advances_per_s=round(entries * JOURNEY_STEPS / took),
        seconds=round(took, 1),
        worker_peak_rss_mb=round(memory.peak),
    )


def _generate_entries(url: str, journey_id: int, entries: int, first: int = 1) -> None:
    """Users and one ACTIVE entry each at the journey's first step, ids (and `u<id>`)
    `first`..`first + entries - 1`, in SQL, under a hint lease that keeps the scheduler
    off them until the benchmark's clock starts."""
    from backend.persistence.database import make_engine

    last = first + entries - 1
    engine = make_engine(url)
    with engine.begin() as c:
        version = c.scalar(text("SELECT version FROM journeys WHERE id = :j"), {"j": journey_id})
        c.execute(
            text(f"""INSERT INTO users (id, external_id, external_id_lc, email, email_lc, attributes, opt_outs, points,
            deposit_count, deposit_total, withdrawal_total, created_at, updated_at)
            SELECT i, 'u' || i, 'u' || i, 'u' || i || '@example.com', 'u' || i || '@example.com', '{{}}', '[]', 0, 1, 50, 0,
                   now(), now() FROM generate_series({first}, {last}) AS i""")
        )
        c.execute(text("SELECT setval(pg_get_serial_sequence('users', 'id'), :n)"), {"n": last})
        c.execute(
            text(f"""INSERT INTO entries (id, journey_id, user_id, round, version, status, in_control_group, current_step_id,
            entered_at, step_entered_at, progress_name, progress_step, progress_at, visits, updated_at, claimed_until)
            SELECT i, :j, i, 1, :v, 'ACTIVE', false, 'hi', now(), now(), 'Entered', 0, now(), '{{}}', now(),
                   now() + interval '1 day'
            FROM generate_series({first}, {last}) AS i"""),
            {"j": journey_id, "v": version},
        )
        c.execute(text("SELECT setval(pg_get_serial_sequence('entries', 'id'), :n)"), {"n": last})
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.execute(text("VACUUM ANALYZE users, entries"))
    engine.dispose()


# -- latency --------------------------------------------------------------------------------

PROBE_WAIT_S = 10.0  # a probe's pop-up not here by then is a miss, counted at this wait
AIM_P99_MS = 100.0
DRAIN_S = 120.0  # between two rates, at most this long for the backlog to clear
UNPROCESSED = "SELECT count(*) FROM events WHERE processed_at IS NULL"
PROCESSED = "SELECT count(*) FROM events WHERE processed_at IS NOT NULL"


def latency(args: argparse.Namespace) -> list[dict[str, Any]]:
    """`rate` login events a second held steady into an EVENT journey whose first step is
    a pop-up; a probe player's pop-up timed from `trackEvents` returning to its arrival
    on a subscribed WebSocket; on each broker asked for. With `--rates`, each rate in
    turn (ascending, `seconds` each, the backlog drained between), stopping after the
    first that misses p99 < 100 ms."""
    seconds = args.seconds or (30 if args.small else 300)
    rates = sorted(int(r) for r in args.rates.split(",")) if args.rates else [args.rate or (70 if args.small else 700)]
    rows = [row for broker in args.brokers.split(",") for row in _latency_on(broker, args, rates, seconds)]
    for broker in args.brokers.split(","):
        met = [r["events_per_s"] for r in rows if r["broker"] == broker and r["p99_under_100_ms"]]
        print(f"-- {broker}: highest rate with p99 < {AIM_P99_MS:.0f} ms and no miss: {max(met, default=None)}")
    return rows


def _latency_on(broker: str, args: argparse.Namespace, rates: list[int], seconds: int) -> list[dict[str, Any]]:
    from tests.delivery.popup_client import login_event, next_message, popups, set_up_popup_journey
    from tests.live import QL, live_server

    threads = 4
    rows: list[dict[str, Any]] = []
    with stack(args.postgres, broker) as st:
        env = {k: v for k, v in st.env.items() if k.startswith("QUESTLINE_") and k != "QUESTLINE_DATA_DIR"}
        server_dir = Path(tempfile.mkdtemp(prefix="bench-latency-"))
        print(f"-- server output: {server_dir / 'serve.log'}", file=sys.stderr, flush=True)
        with live_server(server_dir, "--no-worker", **env) as server:
            workers = st.start([QL, "worker", "--processes", str(args.processes), "--threads", str(threads)])
            players = [{"externalId": "probe", "username": "Probe"}] + [
                {"externalId": f"l{i}", "username": f"L{i}"} for i in range(1_000)
            ]
            tokens = set_up_popup_journey(server.base, server.token, players[:1], reentry="EVERY_ENTRY")
            _upsert(server.base, server.token, players[1:])
            db = st.db
            with popups(server.base, tokens["probe"]) as ws:
                # A first pop-up, however long it takes: the workers are up and connected.
                login_event(server.base, server.token, "probe-warm-up", "probe")
                next_message(ws, 300)
                for n, rate in enumerate(rates):
                    if n:
                        _drain(db)
                    print(f"-- {broker}: holding {rate}/s for {seconds} s", file=sys.stderr, flush=True)
                    run = _Hold(server, ws, db, workers.pid, rate, seconds)
                    warned = _warnings(Path(st.workdir) / "workers.log")
                    row = run.hold()
                    row["worker_warnings"] = _warnings(Path(st.workdir) / "workers.log") - warned
                    rows.append({"broker": broker, "workers": f"{args.processes} x {threads}", **row})
                    print(f"-- {broker} {rate}/s: {row}", file=sys.stderr, flush=True)
                    if len(rates) > 1 and not row["p99_under_100_ms"]:
                        print(f"-- {broker}: stopping after {rate}/s, the aim missed", file=sys.stderr, flush=True)
                        break
            db.dispose()
    return rows


def _warnings(log: Path) -> int:
    """Lines of the workers' log at WARNING or above (a batch split, an event put by)."""
    try:
        text = log.read_text(errors="replace")
    except OSError:
        return 0
    return sum(1 for line in text.splitlines() if '"level": "WARNING"' in line or '"level": "ERROR"' in line)


def _drain(db: Any) -> None:
    t0 = time.monotonic()
    while scalar(db, UNPROCESSED) and time.monotonic() - t0 < DRAIN_S:
        time.sleep(1)
    print(f"-- backlog {scalar(db, UNPROCESSED)} after {time.monotonic() - t0:.0f} s of draining", file=sys.stderr)


class _Hold:
    """One rate held for `seconds`: the load in a thread, probes in this one, the backlog
    and the processes' memory sampled each second."""

    def __init__(self, server: Any, ws: Any, db: Any, workers_pid: int, rate: int, seconds: int):
        self.server, self.ws, self.db, self.workers_pid = server, ws, db, workers_pid
        self.rate, self.seconds = rate, seconds
        self.samples: list[float] = []
        self.misses = 0
        self.probe_errors = 0
        self.processed = 0

    def hold(self) -> dict[str, Any]:
        load = _Load(self.server.base, self.server.token, self.rate)
        figures = {
            "unprocessed": lambda: scalar(self.db, UNPROCESSED),
            "worker_rss_mb": lambda: largest_rss_mb(self.workers_pid),
            "server_rss_mb": lambda: rss_mb(self.server.pid),
        }
        processed = scalar(self.db, PROCESSED)
        with Sampler(1.0, **figures) as sampler, load:
            t_end = time.monotonic() + self.seconds
            while time.monotonic() < t_end:
                self._probe()
                time.sleep(0.2)
        self.processed = scalar(self.db, PROCESSED) - processed
        return self._row(load, sampler)

    def _probe(self) -> None:
        from tests.delivery.popup_client import login_event, popup_with

        marker = uuid.uuid4().hex
        try:
            login_event(self.server.base, self.server.token, f"probe-{marker}", "probe", game=marker)
        except Exception as exc:  # a probe the API refused is a miss, and said
            print(f"-- probe refused: {exc!r}", file=sys.stderr, flush=True)
            self.probe_errors += 1
            self.misses += 1
            self.samples.append(PROBE_WAIT_S * 1000)
            time.sleep(1)
            return
        started = time.perf_counter()
        popup = popup_with(self.ws, marker, PROBE_WAIT_S)
        if popup is None:
            self.misses += 1
            self.samples.append(PROBE_WAIT_S * 1000)
        else:
            self.samples.append((time.perf_counter() - started) * 1000)

    def _row(self, load: _Load, sampler: Sampler) -> dict[str, Any]:
        p99 = percentile(self.samples, 99) if self.samples else PROBE_WAIT_S * 1000
        return {
            "design": "questline",
            "events_per_s": self.rate,
            "sent_per_s": round(load.sent / self.seconds),
            "processed_per_s": round(self.processed / self.seconds),
            "load_call_errors": load.errors,
            "seconds": self.seconds,
            "probes": len(self.samples),
            "misses": self.misses,
            "probe_errors": self.probe_errors,
            "p50_ms": round(statistics.median(self.samples), 1) if self.samples else None,
            "p99_ms": round(p99, 1),
            "max_ms": round(max(self.samples), 1) if self.samples else None,
            "p99_under_100_ms": p99 < AIM_P99_MS and self.misses == 0,
            **sampler.series["unprocessed"].summary(floor=self.rate / 2),
            **sampler.series["worker_rss_mb"].summary(floor=10),
            **sampler.series["server_rss_mb"].summary(floor=10),
            "load_average_at_end": load_average(),
        }


def _upsert(base: str, token: str, players: list[dict[str, str]]) -> None:
    from tests.delivery.popup_client import ok

    ok(base, token, "mutation($u: [UserInput!]!) { upsertUsers(users: $u) { created } }", {"u": players})


class _Load(InBackground):
    """`rate` logins a second of the loader players, in ten calls a second, in a thread;
    a call that fails is counted and the load goes on."""

    def __init__(self, base: str, token: str, rate: int):
        self.base, self.token, self.rate = base, token, rate
        self.sent = 0
        self.errors = 0
        super().__init__()

    def _run(self) -> None:
        client = httpx.Client(base_url=self.base, timeout=30, headers={"authorization": f"Bearer {self.token}"})
        query = "mutation($e: [EventInput!]!) { trackEvents(events: $e) { accepted } }"
        per_call, rnd, tick = max(1, self.rate // 10), random.Random(3), time.monotonic()
        while not self._stop.is_set():
            events = [
                {
                    "eventId": uuid.uuid4().hex,
                    "externalId": f"l{rnd.randrange(1_000)}",
                    "name": "login",
                    "properties": {},
                }
                for _ in range(per_call)
            ]
            self._call(client, query, events)
            tick += 0.1
            self._stop.wait(max(0.0, tick - time.monotonic()))
        client.close()

    def _call(self, client: httpx.Client, query: str, events: list[dict[str, Any]]) -> None:
        try:
            body = client.post("/graphql", json={"query": query, "variables": {"e": events}}).json()
        except (httpx.HTTPError, ValueError) as exc:
            self._error(exc)
            return
        if "errors" in body:
            self._error(body["errors"])
        else:
            self.sent += len(events)

    def _error(self, what: object) -> None:
        self.errors += 1
        if self.errors <= 5:
            print(f"-- load call failed: {what!r}"[:300], file=sys.stderr, flush=True)


# -- reads ----------------------------------------------------------------------------------


def reads(args: argparse.Namespace) -> list[dict[str, Any]]:
    """The backoffice's heavier reads at N entries (10 step-log rows each), `clients` at once;
    with `--while-advancing M`, while the workers advance M more entries of send -> wait ->
    condition -> bonus, and the step advances a second each query's reads saw beside them."""
    entries = args.entries or (100_000 if args.small else 1_000_000)
    users = max(1_000, entries // 5)
    with stack(args.postgres, args.broker, prefix="questline_reads") as st:
        generate(st.url, entries, 10, users)
        advancing = Advancing.prepare(st, args, first=entries + 1) if args.while_advancing else None
        proc, headers = start_reader(st.url, free_port_for(st), args.api_processes)
        try:
            if advancing is not None:
                advancing.release()
            base = f"http://127.0.0.1:{st.env['BENCH_PORT']}"
            rows = []
            for label, make in read_cases(random.Random(7), users, entries).items():
                steps_before, t0 = advancing.steps() if advancing else 0, time.monotonic()
                times = _concurrent(base, headers, make, args.clients, args.requests)
                row = {
                    "design": "questline",
                    "query": label,
                    "entries": entries,
                    "clients": args.clients,
                    "api_processes": args.api_processes,
                    "requests": len(times),
                    "p50_ms": round(percentile(times, 50), 1),
                    "p95_ms": round(percentile(times, 95), 1),
                }
                if advancing is not None:
                    row |= advancing.figures(steps_before, time.monotonic() - t0)
                rows.append(row | {"load_average_at_end": load_average()})
        finally:
            proc.terminate()
            proc.wait(30)
            if advancing is not None:
                advancing.close()
    return rows


# The step an entry of send -> wait -> condition -> bonus is at, as step advances done.
STEPS_DONE = "CASE WHEN status = 'COMPLETED' THEN 4 WHEN current_step_id = 'w' THEN 1 " + (
    "WHEN current_step_id = 'c' THEN 2 WHEN current_step_id = 'b' THEN 3 ELSE 0 END"
)


class Advancing:
    """M entries of send -> wait 1 s -> condition -> bonus, beside the reads' data (ids
    from `first`), and Questline workers that advance them once released. The reads'
    own ACTIVE entries (of a journey without those steps) are kept off the scheduler
    under a hint lease, so the workers advance only these."""

    def __init__(self, st: Stack, close: Any, entries: int, first: int):
        self.db, self.close_queue, self.entries, self.first = st.db, close, entries, first
        self.last = first + entries - 1

    @classmethod
    def prepare(cls, st: Stack, args: argparse.Namespace, first: int) -> Advancing:
        db = st.db
        with db.unit_of_work() as uow:
            uow.session.execute(
                text("UPDATE entries SET claimed_until = now() + interval '1 day' WHERE id < :f AND status = 'ACTIVE'"),
                {"f": first},
            )
        jid = prepare_capture(db, 0, definition=send_wait_bonus(1))
        _generate_entries(st.url, jid, args.while_advancing, first=first)
        queue, close, _workers, threads = _design(st, "questline", args)
        _warm_up(db, queue, args.processes * threads, args.timeout)
        return cls(st, close, args.while_advancing, first)

    def release(self) -> None:
        with self.db.unit_of_work() as uow:  # the scheduler's next tick hints them
            uow.session.execute(
                text("UPDATE entries SET claimed_until = NULL WHERE id BETWEEN :a AND :b"),
                {"a": self.first, "b": self.last},
            )

    def steps(self) -> int:
        return scalar(self.db, f"SELECT sum({STEPS_DONE}) FROM entries WHERE id BETWEEN {self.first} AND {self.last}")

    def figures(self, steps_before: int, seconds: float) -> dict[str, Any]:
        """The step advances a second while one query's reads ran, and how many of the M
        entries were still to complete at its end (0: the engine ran out of work)."""
        done = f"SELECT count(*) FROM entries WHERE status = 'COMPLETED' AND id BETWEEN {self.first} AND {self.last}"
        return {
            "advancing": self.entries,
            "step_advances_per_s": round((self.steps() - steps_before) / seconds),
            "advancing_left": self.entries - scalar(self.db, done),
        }

    def close(self) -> None:
        self.close_queue()
        self.db.dispose()


def free_port_for(st: Stack) -> int:
    port = free_port()
    st.env["BENCH_PORT"] = str(port)
    return port


def _concurrent(base: str, headers: dict[str, str], make: Any, clients: int, requests: int) -> list[float]:
    def one_client(_: int) -> list[float]:
        out = []
        with httpx.Client(base_url=base, timeout=60, headers=headers) as client:
            for i in range(requests // clients + 3):
                q, v = make()
                started = time.perf_counter()
                body = client.post("/graphql", json={"query": q, "variables": v}).json()
                assert "errors" not in body, body
                if i >= 3:  # warm-up
                    out.append((time.perf_counter() - started) * 1000)
        return out

    with ThreadPoolExecutor(clients) as pool:
        return [t for part in pool.map(one_client, range(clients)) for t in part]


SCENARIOS = {"capture": capture, "advance": advance, "latency": latency, "reads": reads, "memory": advance}
