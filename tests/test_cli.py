"""The questline command as an operator runs it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

QL = str(Path(sys.executable).with_name("questline"))


def _env(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUESTLINE_")}
    env.update(
        {"QUESTLINE_DATA_DIR": str(tmp_path), "QUESTLINE_DATABASE_URL": f"sqlite:///{tmp_path / 'q.db'}", **extra}
    )
    return env


def _run(tmp_path, *args, **extra):
    return subprocess.run(
        [QL, *args], env=_env(tmp_path, **extra), cwd=tmp_path, capture_output=True, text=True, timeout=60
    )


def test_schema_prints_the_sdl(tmp_path):
    out = _run(tmp_path, "schema")
    assert out.returncode == 0 and "type Query" in out.stdout and "trackEvents" in out.stdout


def test_migrate_then_create_operator_and_refuse_a_duplicate(tmp_path):
    assert _run(tmp_path, "migrate").returncode == 0
    ok = _run(tmp_path, "create-operator", "ana", "--password", "hunter2-hunter2", "--role", "MANAGER", "--group", "eu")
    assert ok.returncode == 0 and "ana" in ok.stdout and "eu" in ok.stdout
    assert "hunter2" not in ok.stdout + ok.stderr
    dup = _run(tmp_path, "create-operator", "ana", "--password", "hunter2-hunter2", "--role", "MANAGER")
    assert dup.returncode == 1 and "already exists" in dup.stderr
    assert "hunter2" not in dup.stdout + dup.stderr


def test_worker_without_a_broker_url_says_why(tmp_path):
    out = _run(tmp_path, "worker")
    assert out.returncode == 2
    assert "QUESTLINE_BROKER_URL" in out.stdout + out.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_health_and_login(tmp_path):
    assert _run(tmp_path, "create-operator", "admin", "--password", "secret-123", "--role", "ADMIN").returncode == 0
    port = _free_port()
    proc = subprocess.Popen(
        [QL, "serve", "--no-worker", "--port", str(port)],
        env=_env(tmp_path),
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as resp:
                    assert resp.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        body = json.dumps(
            {"query": 'mutation { login(username: "admin", password: "secret-123") { token errors { code } } }'}
        )
        req = urllib.request.Request(
            f"{base}/graphql", data=body.encode(), headers={"content-type": "application/json"}
        )
        with urllib.request.urlopen(req, timeout=10) as resp:
            data = json.loads(resp.read())
        assert data["data"]["login"]["errors"] == [] and data["data"]["login"]["token"]
    finally:
        proc.terminate()
        proc.wait(20)


import pytest  # noqa: E402

from tests.services import RABBITMQ_URL, REDIS_URL, require_service  # noqa: E402


@pytest.mark.broker
@pytest.mark.parametrize("kind", ["redis", "rabbitmq"])
def test_worker_runs_against_a_real_broker_and_stops_cleanly(kind, tmp_path):
    require_service(kind)
    url = REDIS_URL if kind == "redis" else RABBITMQ_URL
    assert _run(tmp_path, "migrate").returncode == 0
    env = _env(tmp_path, QUESTLINE_BROKER_URL=url, QUESTLINE_QUEUE_PREFIX=f"cli{os.getpid()}_")
    proc = subprocess.Popen(
        [QL, "worker", "--threads", "2"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        seen = ""
        while "scheduler active" not in seen:
            assert proc.poll() is None, proc.stderr.read()
            assert time.monotonic() < deadline, seen
            seen += proc.stderr.readline()
        assert "guest:guest" not in seen  # the broker password is masked in logs
    finally:
        proc.terminate()
        _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err


def test_a_setting_that_cannot_work_stops_serve_with_its_name_and_no_secret(tmp_path):
    out = _run(tmp_path, "serve", "--port", "1", QUESTLINE_SMTP_URL="https://mailer:s3cret-pass@mail.example.com")
    assert out.returncode == 2
    assert "QUESTLINE_SMTP_URL must start with smtp:// or smtps://" in out.stderr
    assert "s3cret" not in out.stdout + out.stderr and "Traceback" not in out.stderr


def _options(parser):
    """Every option of the command and of its subcommands, with where it is."""
    import argparse

    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from ((f"{name} {where}", a) for where, a in _options(sub))
        elif not isinstance(action, (argparse._HelpAction, argparse._VersionAction)):
            yield ("/".join(action.option_strings) or action.dest, action)


def _help(capsys, *command: str) -> str:
    from questline.cli import build_parser

    with pytest.raises(SystemExit):
        build_parser().parse_args([*command, "--help"])
    return " ".join(capsys.readouterr().out.split())


def test_every_option_has_help_and_shows_its_default(capsys):
    from questline.cli import build_parser

    options = list(_options(build_parser()))
    assert len(options) > 12
    for where, action in options:
        assert action.help, f"{where} has no help"
    serve = _help(capsys, "serve")
    assert "TCP port to listen on (default: 8000)" in serve and "(default: 127.0.0.1)" in serve
    worker = _help(capsys, "worker")
    assert "processes to start (default: 1)" in worker and "in each process (default: 4)" in worker
    assert "(default: 2000)" in _help(capsys, "demo")


def test_version_prints_the_installed_version(tmp_path):
    from importlib.metadata import version

    out = _run(tmp_path, "--version")
    assert out.returncode == 0 and out.stdout.strip() == f"questline {version('questline')}"


def test_serve_on_a_port_in_use_says_so_in_one_line_and_starts_nothing(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        out = _run(tmp_path, "serve", "--port", str(port))
    assert out.returncode == 1
    assert out.stderr.strip() == f"questline: port {port} on 127.0.0.1 is already in use; choose another with --port"
    assert not (tmp_path / "q.db").exists()  # no migration ran, no worker started


def _children(pid: int) -> set[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return {int(p) for p in path.read_text().split()} if path.exists() else set()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split(")")[-1].split()[0] != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads the process tree from /proc")
def test_serve_with_two_processes_answers_and_stops_them_all_on_sigterm(tmp_path, postgres_url):
    name = f"admin{os.getpid()}"
    made = _run(
        tmp_path,
        "create-operator",
        name,
        "--password",
        "secret-123",
        "--role",
        "ADMIN",
        QUESTLINE_DATABASE_URL=postgres_url,
    )
    assert made.returncode == 0, made.stderr
    port = _free_port()
    proc = subprocess.Popen(
        [QL, "serve", "--no-worker", "--processes", "2", "--port", str(port)],
        env=_env(tmp_path, QUESTLINE_DATABASE_URL=postgres_url),
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as resp:
                    assert json.loads(resp.read()) == {"status": "ok", "database": "up"}
                    break
            except OSError:
                assert proc.poll() is None, proc.stderr.read()
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        tokens = []
        for _ in range(6):  # requests land on either process; each answers
            body = json.dumps(
                {"query": f'mutation {{ login(username: "{name}", password: "secret-123") {{ token }} }}'}
            )
            req = urllib.request.Request(
                f"{base}/graphql", data=body.encode(), headers={"content-type": "application/json"}
            )
            with urllib.request.urlopen(req, timeout=10) as resp:
                tokens.append(json.loads(resp.read())["data"]["login"]["token"])
        assert len(tokens) == 6 and all(tokens)
        servers = _children(proc.pid)
        assert len(servers) >= 2
        proc.terminate()
        _out, err = proc.communicate(timeout=30)
        assert proc.returncode == 0, err
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in servers):
            assert time.monotonic() < deadline, [Path(f"/proc/{p}/cmdline").read_text() for p in servers if _alive(p)]
            time.sleep(0.2)
    finally:
        if proc.poll() is None:  # an assertion failed: stop the servers all the same
            proc.kill()
            proc.communicate(timeout=30)


def test_serve_refuses_several_processes_that_would_each_run_the_workers(tmp_path):
    out = _run(tmp_path, "serve", "--processes", "2", "--port", str(_free_port()))
    assert out.returncode == 2
    assert "--no-worker" in out.stderr
    assert not (tmp_path / "q.db").exists()  # refused before migrating
