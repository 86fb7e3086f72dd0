"""The benchmark suite: `python -m bench SCENARIO [--small]`.

    .venv/bin/python -m bench capture --small            # events captured with their first send queued
    .venv/bin/python -m bench advance --small            # step advances of send -> wait -> condition -> bonus
    .venv/bin/python -m bench latency --small --brokers redis,rabbitmq   # event to pop-up under steady load
    .venv/bin/python -m bench latency --rates 100,200,350,700 --seconds 60  # the highest rate holding p99 < 100 ms
    .venv/bin/python -m bench reads --small              # backoffice reads, 20 clients at once
    .venv/bin/python -m bench reads --small --while-advancing 20000   # the same while the engine advances entries
    .venv/bin/python -m bench memory --small             # worker peak RSS during `advance`
    .venv/bin/python -m bench all --small

Each scenario starts what it needs (a PostgreSQL database of its own on the local
server, dropped at the end; `questline worker` processes on Redis or RabbitMQ) and
runs the naive design (one Dramatiq message and one ORM transaction per user step,
`bench/naive.py`) as a peer in the same sitting, so every figure is also a ratio.
`--small` runs a tenth of the work. Prints a table, then the JSON (also written to
`--json FILE`) with the machine's cores, load average, database and broker.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from bench.scenarios import SCENARIOS
from bench.suite import BROKERS, default_postgres, machine

ORDER = ["capture", "advance", "latency", "reads"]
RATES = {"captured_per_s", "step_advances_per_s"}


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("scenario", choices=[*SCENARIOS, "all"])
    ap.add_argument("--small", action="store_true", help="a tenth of the work")
    ap.add_argument("--users", type=int, help="capture: users (one event each)")
    ap.add_argument("--entries", type=int, help="advance, reads: entries")
    ap.add_argument("--processes", type=int, default=2, help="worker processes")
    ap.add_argument("--threads", type=int, default=2, help="threads a Questline worker process")
    ap.add_argument("--naive-threads", type=int, default=8, help="threads a naive worker process")
    ap.add_argument("--intake-threads", type=int, default=2, help="capture: trackEvents calls at once")
    ap.add_argument("--designs", default="questline,naive", help="capture, advance: the designs to run, in order")
    ap.add_argument("--broker", choices=sorted(BROKERS), default="redis")
    ap.add_argument("--brokers", default="redis,rabbitmq", help="latency: the brokers to run on")
    ap.add_argument("--rate", type=int, help="latency: events a second (700; --small 70)")
    ap.add_argument("--rates", help="latency: rates to hold in turn, e.g. 100,200,350,700 (--seconds each)")
    ap.add_argument("--seconds", type=int, help="latency: how long (300; --small 30)")
    ap.add_argument("--clients", type=int, default=20, help="reads: clients at once")
    ap.add_argument("--api-processes", type=int, default=2, help="reads: `questline serve --processes`")
    ap.add_argument("--requests", type=int, default=400, help="reads: requests a query, all clients")
    ap.add_argument(
        "--while-advancing",
        type=int,
        default=0,
        metavar="M",
        help="reads: meanwhile the workers advance M entries of send -> wait -> condition -> bonus",
    )
    ap.add_argument("--timeout", type=float, default=1_800)
    ap.add_argument("--postgres", default=default_postgres())
    ap.add_argument("--json", help="also write the JSON here")
    return ap.parse_args(argv)


def table(scenario: str, rows: list[dict[str, Any]]) -> str:
    if not rows:
        return ""
    columns = [c for c in rows[0] if c != "load_average_at_end"] + ["load_average_at_end"]
    base = next((r for r in rows if r.get("design") == "naive"), None)
    lines = [f"## {scenario}", " | ".join(columns + (["x naive"] if base else []))]
    for r in rows:
        cells = [_cell(r.get(c)) for c in columns]
        if base:
            rate = next((c for c in RATES if c in r), None)
            cells.append(f"{r[rate] / base[rate]:.1f}x" if rate and base.get(rate) else "")
        lines.append(" | ".join(cells))
    return "\n".join(lines)


def _cell(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, list):
        return "/".join(str(v) for v in value)
    return str(value)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    report: dict[str, Any] = {"machine": machine(args.postgres, args.broker), "small": args.small, "scenarios": {}}
    for name in ORDER if args.scenario == "all" else [args.scenario]:
        rows = SCENARIOS[name](args)
        report["scenarios"][name] = rows
        print(table(name, rows), flush=True)
    text = json.dumps(report, indent=2)
    print(text)
    if args.json:
        with open(args.json, "w") as f:
            f.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
