"""The fault run: players go through a journey (an EVENT trigger, an email, an SMS, a
wait of a few seconds, a bonus) while the run breaks what it runs on, then checks that
every player got exactly one entry, one email, one SMS and one bonus, and that nothing
is stuck.

    .venv/bin/python bench/fault_run.py --players 20000 --json fault-run.json

It starts a PostgreSQL cluster and a Redis of its own (bench/fault_stack.py), an SMTP
server, an SMS provider and a wallet that write down every request (bench/fault_peers.py),
`questline serve --no-worker` and `questline worker --processes 2`. The journey and
the players are made through the GraphQL API, and one `deposit` event a player is
sent with `trackEvents`, in calls of `--batch` events paced over `--intake-seconds`.
A call that fails is sent again, with the same eventIds, until it is answered. While
events come in, and after, the run:

1. kills the API with SIGKILL while a call is in flight, and starts it again;
2. kills one worker process with SIGKILL (the worker command starts another);
3. kills Redis, the broker, and starts it again empty (every queued hint is lost);
4. restarts PostgreSQL with `pg_ctl restart -m immediate` while deliveries are under way.

Then it waits until nothing is pending and counts: entries per player, entries not
ended, messages per Message-ID at the SMTP server, keys per communication, grants per
key and per entry at the wallet, and the seconds from the last fault to drained.
Prints them and writes them as JSON, with the machine's cores and load average.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.fault_checks import count_outcomes, pending, statements
from bench.fault_load import Intake, setup_journey
from bench.fault_stack import Peers, Postgres, Processes, Redis, environment, make_workdir


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


class Faults:
    """Each fault with when it began and ended (seconds from the start of intake)."""

    def __init__(self, t0: float):
        self.t0 = t0
        self.log: list[dict[str, Any]] = []

    def run(self, name: str, action) -> None:
        began = time.monotonic() - self.t0
        detail = action() or ""
        ended = time.monotonic() - self.t0
        entry = {"fault": name, "at_s": round(began, 1), "back_after_s": round(ended - began, 1), "detail": detail}
        self.log.append(entry)
        print(f"-- fault at {began:6.1f} s: {name} ({detail}); back after {ended - began:.1f} s", flush=True)

    @property
    def last_ended(self) -> float:
        return max(f["at_s"] + f["back_after_s"] for f in self.log)


def sleep_until(t0: float, at: float) -> None:
    time.sleep(max(0.0, t0 + at - time.monotonic()))


def kill_api(procs: Processes, intake: Intake) -> str:
    intake.wait_in_flight(30)  # while a call is being taken in
    calls = intake.calls_in_flight
    procs.kill_api()
    procs.start_api()
    return f"SIGKILL with {calls} trackEvents call(s) in flight; restarted"


def kill_worker(procs: Processes) -> str:
    before = procs.worker_pids()
    name, pid = sorted(before.items())[0]
    os.kill(pid, signal.SIGKILL)
    while procs.worker_pids().get(name) == pid:
        time.sleep(0.2)
    return f"{name} pid {pid} SIGKILLed; replaced by pid {procs.worker_pids()[name]}"


def restart_redis(redis: Redis) -> str:
    redis.restart()
    return "SIGKILL, started again empty"


def restart_postgres(pg: Postgres, url: str) -> str:
    sending = pending(url).get("communications_sending", 0)
    pg.restart("immediate")
    return f"pg_ctl restart -m immediate with {sending} communication(s) SENDING"


def inject(args: argparse.Namespace, t0: float, faults: Faults, stack: dict[str, Any], intake: Intake) -> None:
    d = args.intake_seconds
    sleep_until(t0, 0.2 * d)
    faults.run("API killed", lambda: kill_api(stack["procs"], intake))
    sleep_until(t0, 0.45 * d)
    faults.run("worker process killed", lambda: kill_worker(stack["procs"]))
    sleep_until(t0, 0.7 * d)
    faults.run("Redis restarted", lambda: restart_redis(stack["redis"]))
    wait_for_deliveries(stack["pg"].url, t0 + d + 60)
    faults.run("PostgreSQL restarted", lambda: restart_postgres(stack["pg"], stack["pg"].url))


def wait_for_deliveries(url: str, latest: float) -> None:
    """Until emails are being sent (rows SENDING), or `latest` passes."""
    while time.monotonic() < latest:
        if pending(url).get("communications_sending", 0) >= 20:
            return
        time.sleep(0.3)


def wait_drained(url: str, intake: Intake, timeout: float) -> tuple[float | None, dict[str, int]]:
    """The monotonic time when nothing was pending any more (None if it never was)."""
    t0 = time.monotonic()
    left: dict[str, int] = {}
    while time.monotonic() - t0 < timeout:
        if intake.done.is_set():
            left = pending(url)
            if not any(left.values()):
                return time.monotonic(), left
        time.sleep(0.5)
    return None, left


def machine() -> dict[str, Any]:
    return {
        "cores": os.cpu_count(),
        "cpu": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "load_average_at_start": load_average(),
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    workdir = make_workdir()
    pg, redis, peers = Postgres(workdir, statements=args.statements), Redis(workdir), Peers(workdir)
    procs = Processes(workdir, {})
    result: dict[str, Any] = {"date": datetime.now(UTC).isoformat(timespec="seconds"), "machine": machine()}
    try:
        pg.start()
        redis.start()
        peers.start()
        procs.env = environment(workdir, pg, redis, peers)
        procs.questline("migrate")
        procs.questline("create-operator", "admin", "--password", "fault-run-pw", "--role", "ADMIN")
        procs.start_api()
        procs.start_workers(args.processes, args.threads)
        token = setup_journey(procs.base, args.players, args.wait_seconds)
        intake = Intake(procs, token, args.players, args.batch, args.intake_seconds)
        faults = Faults(time.monotonic())
        intake.start(faults.t0)
        if not args.no_faults:
            inject(args, faults.t0, faults, {"procs": procs, "redis": redis, "pg": pg}, intake)
        drained_at, left = wait_drained(pg.url, intake, args.drain_timeout)
        result["faults"] = faults.log
        result["intake"] = intake.summary()
        since = drained_at - faults.t0 if drained_at else None
        result["drained_s_after_intake_ended"] = round(since - intake.ended_at, 1) if since else None
        if faults.log:
            result["drained_s_after_last_fault"] = round(since - faults.last_ended, 1) if since else None
        result["pending_at_end"] = left
        time.sleep(2)  # the peers' last lines
        result["outcomes"] = count_outcomes(pg.url, peers, args.players)
        result["worker_log"] = worker_log_notes(procs.worker_log())
        if args.statements:
            result["statements"] = statements(pg.url)
    finally:
        result["machine"]["load_average_at_end"] = load_average()
        procs.stop()
        peers.stop()
        redis.stop()
        pg.stop()
        if args.keep:
            print(f"-- kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return result


def worker_log_notes(text: str) -> dict[str, int]:
    return {
        "worker processes started": text.count("started (pid"),
        "worker processes killed": text.count("was killed by"),
        "error lines": sum(1 for line in text.splitlines() if '"ERROR"' in line or " ERROR " in line),
    }


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--players", type=int, default=20_000)
    ap.add_argument("--batch", type=int, default=1_000, help="events a trackEvents call")
    ap.add_argument("--intake-seconds", type=float, default=60, help="the calls are spread over this long")
    ap.add_argument("--wait-seconds", type=int, default=5, help="the journey's wait step")
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--drain-timeout", type=float, default=900)
    ap.add_argument("--no-faults", action="store_true", help="the same run without faults: the drain's baseline")
    ap.add_argument(
        "--statements",
        action="store_true",
        help="count the statements made (pg_stat_statements); best with --no-faults",
    )
    ap.add_argument("--json", help="write the figures to this file too")
    ap.add_argument("--keep", action="store_true", help="keep the working directory (logs, peers' ledgers)")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    result = run(args)
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n")


if __name__ == "__main__":
    main()
