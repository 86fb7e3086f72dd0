"""A real `questline serve` process for tests that speak to it over the network."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

QL = str(Path(sys.executable).with_name("questline"))


@dataclass
class LiveServer:
    base: str
    token: str
    env: dict
    pid: int = 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def graphql(base: str, query: str, token: str | None = None, variables: dict | None = None) -> dict:
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    body = {"query": query, "variables": variables or {}}
    req = urllib.request.Request(f"{base}/graphql", data=json.dumps(body).encode(), headers=headers)
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())


@contextmanager
def live_server(tmp_path: Path, *args: str, **env_extra: str) -> Iterator[LiveServer]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUESTLINE_")}
    env.update(
        {"QUESTLINE_DATA_DIR": str(tmp_path), "QUESTLINE_DATABASE_URL": f"sqlite:///{tmp_path / 'q.db'}", **env_extra}
    )
    subprocess.run(
        [QL, "create-operator", "admin", "--password", "secret-123", "--role", "ADMIN"],
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    port = free_port()
    log = open(tmp_path / "serve.log", "wb")  # noqa: SIM115 - closed when the server stops
    proc = subprocess.Popen([QL, "serve", "--port", str(port), *args], env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90  # a loaded machine takes its time to import and migrate
        while True:
            try:
                token = graphql(base, 'mutation { login(username: "admin", password: "secret-123") { token } }')[
                    "data"
                ]["login"]["token"]
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("questline serve did not start") from None
                time.sleep(0.2)
        yield LiveServer(base=base, token=token, env=env, pid=proc.pid)
    finally:
        proc.terminate()
        proc.wait(20)
        log.close()
