"""Profile of the capture path in one process: events of N users tracked in one call,
then processed in batches of 1,000 (a message's worth) under cProfile, with the time
spent in each SQL statement.

    .venv/bin/python -m bench.capture_profile --users 5000 [--plain] [--worker-gc]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import time
from collections import defaultdict
from typing import Any

from sqlalchemy import event, select

from backend.models import Event
from backend.processing.events import process_events
from backend.queue import NullQueue
from backend.services import build_services
from backend.settings import load_settings
from backend.users.intake import track_events
from bench.scratch import scratch_database
from bench.setup import prepare_capture
from migrations.runner import upgrade
from workers.runtime import settle_heap


def statement_timer(engine: Any) -> dict[str, list[float]]:
    """Total time and count per statement text (its first 90 characters)."""
    spent: dict[str, list[float]] = defaultdict(lambda: [0.0, 0])

    @event.listens_for(engine, "before_cursor_execute")
    def _start(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        conn.info.setdefault("t0", []).append(time.perf_counter())

    @event.listens_for(engine, "after_cursor_execute")
    def _end(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        took = time.perf_counter() - conn.info["t0"].pop()
        row = spent[" ".join(statement.split())[:90]]
        row[0] += took
        row[1] += 1

    return spent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=5_000)
    ap.add_argument("--batch", type=int, default=1_000)
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--intake", action="store_true", help="print the intake's profile too")
    ap.add_argument("--plain", action="store_true", help="no cProfile: the CPU time without its overhead")
    ap.add_argument("--worker-gc", action="store_true", help="the garbage collector set as a worker process sets it")
    args = ap.parse_args()
    with scratch_database() as url:
        upgrade(url)
        settings = load_settings({"QUESTLINE_DATABASE_URL": url, "QUESTLINE_SECRET_KEY": "bench"})
        services = build_services(settings, queue=NullQueue())
        prepare_capture(services.db, args.users)
        events = capture_events(args.users)
        if args.worker_gc:
            settle_heap()
        spent = statement_timer(services.db.engine)
        intake = cProfile.Profile()
        t0, cpu0 = time.perf_counter(), time.process_time()
        if not args.plain:
            intake.enable()
        for i in range(0, len(events), args.batch):
            with services.db.unit_of_work() as uow:
                track_events(uow, queue=NullQueue(), events=events[i : i + args.batch])
        if not args.plain:
            intake.disable()
        took, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        print(f"intake: {len(events):,} events in calls of {args.batch:,}: {took:.2f} s, {len(events) / took:,.0f}/s")
        print(
            f"intake CPU{'' if args.plain else ' (profiled)'}: {cpu:.2f} s, {cpu / len(events) * 1e6:.0f} us an event; "
            f"load average {load()}"
        )
        report(spent, took)
        if args.intake:
            pstats.Stats(intake).sort_stats("tottime").print_stats(args.top)
        spent.clear()
        with services.db.read() as s:
            ids = list(s.scalars(select(Event.id).order_by(Event.id)))
        profile = cProfile.Profile()
        t0, cpu0 = time.perf_counter(), time.process_time()
        if not args.plain:
            profile.enable()
        for i in range(0, len(ids), args.batch):
            process_events(services, event_ids=ids[i : i + args.batch])
        if not args.plain:
            profile.disable()
        took, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        print(f"{len(ids):,} events in {took:.2f} s: {len(ids) / took:,.0f} events/s in one thread")
        label = "worker CPU" if args.plain else "worker CPU (profiled)"
        print(f"{label}: {cpu:.2f} s, {cpu / len(ids) * 1e6:.0f} us an event; load average {load()}")
        report(spent, took)
        if not args.plain:
            stats = pstats.Stats(profile)
            stats.sort_stats("cumulative").print_stats(args.top)
            stats.sort_stats("tottime").print_stats(args.top)
        services.db.dispose()


def report(spent: dict[str, list[float]], took: float) -> None:
    sql = sum(t for t, _ in spent.values())
    print(f"SQL (driver calls): {sql:.2f} s ({sql / took:.0%})")
    for stmt, (t, n) in sorted(spent.items(), key=lambda kv: -kv[1][0])[:12]:
        print(f"  {t:6.2f} s {n:5d}x  {stmt}")


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def capture_events(users: int) -> list[dict[str, Any]]:
    return [
        {"eventId": f"e{n}", "externalId": f"u{n}", "name": "deposit", "properties": {"amount": 50}}
        for n in range(users)
    ]


if __name__ == "__main__":
    main()
