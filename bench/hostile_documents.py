"""How long /healthz takes while hostile GraphQL requests arrive: huge anonymous
documents, thousands of aliases with an operator's token, a 100 MB body.

    .venv/bin/python bench/hostile_documents.py

Starts `questline serve --no-worker` on a scratch SQLite file, sends each request three
times while another thread polls /healthz every 10 ms, and prints what each request
was answered and the slowest /healthz seen meanwhile.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.live import live_server


def attacks(token: str) -> list[tuple[str, bytes, str | None]]:
    def doc(query: str) -> bytes:
        return json.dumps({"query": query}).encode()

    return [
        ("anonymous { __typename x300,000 }", doc("{ " + "__typename " * 300_000 + "}"), None),
        ("anonymous { me { username x300,000 } }", doc("{ me { " + "username " * 300_000 + "} }"), None),
        (
            "analyst, 10,000 aliases of me",
            doc("{ " + " ".join(f"a{i}: me {{ username }}" for i in range(10_000)) + " }"),
            token,
        ),
        (
            "analyst, 2,500 aliases of me",
            doc("{ " + " ".join(f"a{i}: me {{ username }}" for i in range(2_500)) + " }"),
            token,
        ),
        ("analyst, 100 MB body", b'{"query": "{ me { username } }", "pad": "' + b"x" * 100_000_000 + b'"}', token),
    ]


def post(base: str, body: bytes, token: str | None) -> str:
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    try:
        return str(httpx.post(f"{base}/graphql", content=body, headers=headers, timeout=60).status_code)
    except httpx.HTTPError as exc:  # a refused upload may close the connection mid-body
        return type(exc).__name__


def worst_health_while(base: str, action) -> tuple[list[str], float]:
    worst, stop = 0.0, threading.Event()

    def probe() -> None:
        nonlocal worst
        with httpx.Client() as http:
            while not stop.is_set():
                started = time.perf_counter()
                http.get(f"{base}/healthz", timeout=60)
                worst = max(worst, time.perf_counter() - started)
                time.sleep(0.01)

    thread = threading.Thread(target=probe)
    thread.start()
    try:
        answers = [action() for _ in range(3)]
    finally:
        stop.set()
        thread.join()
    return answers, worst * 1000


def main() -> None:
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as tmp, live_server(Path(tmp), "--no-worker") as server:
        for name, body, token in attacks(server.token):
            answers, worst = worst_health_while(server.base, lambda b=body, t=token: post(server.base, b, t))
            print(f"{name:42s} answered {', '.join(answers):20s} slowest /healthz meanwhile {worst:6.0f} ms")


if __name__ == "__main__":
    main()
