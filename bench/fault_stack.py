"""What the fault run starts and breaks: a PostgreSQL cluster and a Redis server of
its own (so restarting them disturbs nobody else), `questline serve --no-worker`,
`questline worker`, and the recording peers (bench/fault_peers.py). Everything lives
in one temporary directory, removed at the end."""

from __future__ import annotations

import glob
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[1]
QL = str(Path(sys.executable).with_name("questline"))
STARTED = re.compile(r"(questline-worker-\d+) started \(pid (\d+)\)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until(ready, timeout: float, what: str, poll: float = 0.2) -> float:
    """Seconds until `ready()` is true; raises after `timeout`."""
    t0 = time.monotonic()
    while True:
        try:
            if ready():
                return time.monotonic() - t0
        except OSError:
            pass
        if time.monotonic() - t0 > timeout:
            raise RuntimeError(f"{what} not ready after {timeout:.0f} s")
        time.sleep(poll)


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


class Postgres:
    """A cluster of its own, initdb'd in a directory owned by `postgres` (the server
    refuses to run as root)."""

    def __init__(self, workdir: Path, *, statements: bool = False):
        self.dir = workdir / "pg"
        self.statements = statements
        self.port = free_port()
        self.bin = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/questline"

    def _run(self, *argv: str) -> None:
        cmd = [f"{self.bin}/{argv[0]}", *argv[1:]]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)

    def start(self) -> None:
        self.dir.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
            os.chmod(self.dir.parent, 0o755)
        self._run("initdb", "-D", str(self.dir), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        # fsync off: the operating system never crashes in this run, only the server does,
        # and what it wrote is in the page cache for its recovery.
        opts = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        if self.statements:  # counts every statement the run makes (fault_checks.statements)
            opts += " -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all"
        self._run("pg_ctl", "-D", str(self.dir), "-l", str(self.dir / "server.log"), "-w", "-o", opts, "start")
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "questline")

    def restart(self, mode: str = "immediate") -> None:
        """`pg_ctl restart -m immediate`: the server stops without a checkpoint, as in a
        crash, every connection drops, and it recovers from its WAL at start."""
        self._run(
            "pg_ctl", "-D", str(self.dir), "-l", str(self.dir / "server.log"), "-m", mode, "-w", "-t", "120", "restart"
        )

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.dir), "-m", "immediate", "-w", "stop")
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            print(f"-- pg_ctl stop: {exc}", file=sys.stderr)


class Redis:
    """A Redis of its own that keeps nothing on disk: a restart loses every queued hint."""

    def __init__(self, workdir: Path):
        self.port = free_port()
        self.log = workdir / "redis.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        with open(self.log, "a") as out:
            self.proc = subprocess.Popen(
                ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        wait_until(lambda: port_open(self.port), 30, "redis")

    def stop(self, sig: int = signal.SIGKILL) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(30)

    def restart(self) -> None:
        self.stop()
        self.start()


class Processes:
    """The API and the worker command, their output in log files."""

    def __init__(self, workdir: Path, env: dict[str, str]):
        self.workdir, self.env = workdir, env
        self.api_port = free_port()
        self.base = f"http://127.0.0.1:{self.api_port}"
        self.api: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None
        self._logs: list[IO[bytes]] = []

    def _spawn(self, argv: list[str], log_name: str) -> subprocess.Popen[bytes]:
        out = open(self.workdir / log_name, "ab")  # noqa: SIM115 - a file, not a pipe nobody drains
        self._logs.append(out)
        return subprocess.Popen(argv, env=self.env, cwd=str(self.workdir), stdout=out, stderr=subprocess.STDOUT)

    def questline(self, *args: str) -> None:
        subprocess.run([QL, *args], env=self.env, check=True, capture_output=True, timeout=300)

    def start_api(self) -> float:
        self.api = self._spawn([QL, "serve", "--no-worker", "--port", str(self.api_port)], "api.log")
        return wait_until(self.healthy, 120, "questline serve")

    def healthy(self) -> bool:
        with urllib.request.urlopen(f"{self.base}/healthz", timeout=2) as r:
            return r.status == 200

    def kill_api(self) -> None:
        assert self.api is not None
        self.api.send_signal(signal.SIGKILL)
        self.api.wait(30)

    def start_workers(self, processes: int, threads: int) -> None:
        argv = [QL, "worker", "--processes", str(processes), "--threads", str(threads)]
        self.worker = self._spawn(argv, "worker.log")
        wait_until(lambda: self.worker_log().count("worker process ready") >= processes, 120, "questline worker")

    def worker_log(self) -> str:
        return (self.workdir / "worker.log").read_text(errors="replace")

    def worker_pids(self) -> dict[str, int]:
        """The newest pid of each worker process, by name, from the command's log."""
        return {name: int(pid) for name, pid in STARTED.findall(self.worker_log())}

    def stop(self) -> None:
        for proc in (self.api, self.worker):
            if proc and proc.poll() is None:
                proc.terminate()
        for proc in (self.api, self.worker):
            if proc:
                try:
                    proc.wait(60)
                except subprocess.TimeoutExpired:
                    proc.kill()
        for out in self._logs:
            out.close()


class Peers:
    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.smtp_port, self.wallet_port, self.sms_port = free_port(), free_port(), free_port()
        self.smtp_log, self.wallet_log, self.sms_log = workdir / "smtp.tsv", workdir / "wallet.tsv", workdir / "sms.tsv"
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(self) -> None:
        script = str(ROOT / "bench" / "fault_peers.py")
        for kind, port, log in (
            ("smtp", self.smtp_port, self.smtp_log),
            ("wallet", self.wallet_port, self.wallet_log),
            ("sms", self.sms_port, self.sms_log),
        ):
            log.touch()
            self.procs.append(subprocess.Popen([sys.executable, script, kind, str(port), str(log)]))
            wait_until(lambda port=port: port_open(port), 60, f"the {kind} peer")

    def stop(self) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()


def make_workdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="questline_fault_"))


def environment(workdir: Path, pg: Postgres, redis: Redis, peers: Peers) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("QUESTLINE_")},
        "QUESTLINE_DATABASE_URL": pg.url,
        "QUESTLINE_BROKER_URL": redis.url,
        "QUESTLINE_DATA_DIR": str(workdir),
        "QUESTLINE_SECRET_KEY": "fault-run",
        "QUESTLINE_SMTP_URL": f"smtp://127.0.0.1:{peers.smtp_port}",
        "QUESTLINE_WALLET_URL": f"http://127.0.0.1:{peers.wallet_port}/grants",
        "QUESTLINE_SMS_URL": f"http://127.0.0.1:{peers.sms_port}/sms",
        "QUESTLINE_LOG_LEVEL": "INFO",
        "PYTHONPATH": str(ROOT),
    }
