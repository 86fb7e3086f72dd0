"""The graphql-http audit suite (the spec's own checks) against a running server."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.services import in_ci

AUDIT = Path(__file__).resolve().parents[2].parent / "shared" / "tools" / "graphql_http_audit.mjs"
QL = str(Path(sys.executable).with_name("questline"))


def _unavailable(message: str) -> None:
    if in_ci():
        pytest.fail(f"CI=true: {message}", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def audit_dir(tmp_path_factory):
    if not AUDIT.exists():
        pytest.skip(f"audit script not found at {AUDIT}")
    if not shutil.which("node") or not shutil.which("npm"):
        _unavailable("node and npm are needed for the graphql-http audit")
    where = tmp_path_factory.mktemp("ghttp")
    result = subprocess.run(
        ["npm", "install", "--prefix", str(where), "graphql-http", "graphql"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        _unavailable(f"npm could not install graphql-http: {result.stderr[-300:]}")
    shutil.copy(AUDIT, where / "graphql_http_audit.mjs")
    return where


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_every_must_and_should_of_the_audit_passes(audit_dir, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUESTLINE_")}
    env.update({"QUESTLINE_DATA_DIR": str(tmp_path), "QUESTLINE_DATABASE_URL": f"sqlite:///{tmp_path / 'q.db'}"})
    subprocess.run(
        [QL, "create-operator", "admin", "--password", "secret-123", "--role", "ADMIN"],
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    port = _free_port()
    proc = subprocess.Popen(
        [QL, "serve", "--no-worker", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        url = f"http://127.0.0.1:{port}/graphql"
        body = json.dumps({"query": 'mutation { login(username: "admin", password: "secret-123") { token } }'}).encode()
        deadline = time.monotonic() + 30
        while True:
            try:
                req = urllib.request.Request(url, data=body, headers={"content-type": "application/json"})
                with urllib.request.urlopen(req, timeout=2) as resp:
                    token = json.loads(resp.read())["data"]["login"]["token"]
                    break
            except OSError:
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        result = subprocess.run(
            ["node", str(audit_dir / "graphql_http_audit.mjs"), url, token],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=audit_dir,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "MUST 13/13" in result.stdout and "SHOULD 23/23" in result.stdout
    finally:
        proc.terminate()
        proc.wait(20)
