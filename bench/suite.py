"""What every scenario of `python -m bench` shares: the machine's description, a
database of the scenario's own, worker processes (Questline's or the naive peer's)
and their memory, and waiting for a count to be reached."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

from sqlalchemy import text

from backend.persistence.database import Database, make_engine
from bench.scratch import DEFAULT_POSTGRES, drop_redis_queues, scratch_database
from migrations.runner import upgrade

ROOT = Path(__file__).resolve().parents[1]
BROKERS = {"redis": "redis://127.0.0.1:6379/0", "rabbitmq": "amqp://guest:guest@127.0.0.1:5672/"}
QL = str(Path(sys.executable).with_name("questline"))
DRAMATIQ = str(Path(sys.executable).with_name("dramatiq"))


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def machine(postgres: str, broker: str) -> dict[str, Any]:
    engine = make_engine(postgres)
    with engine.connect() as c:
        version = c.scalar(text("SHOW server_version"))
    engine.dispose()
    return {
        "cores": os.cpu_count(),
        "cpu": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "database": f"PostgreSQL {version} (localhost)",
        "broker": f"{broker} (localhost)",
        "load_average_at_start": load_average(),
    }


@dataclass
class Stack:
    """A scenario's database (migrated), broker settings and the processes it started."""

    url: str
    env: dict[str, str]
    workdir: str
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def db(self) -> Database:
        return Database(self.url)

    def start(self, argv: list[str], log: str = "workers") -> subprocess.Popen[bytes]:
        """Start `argv`; its output goes to `log`.log in the stack's directory (path printed)."""
        path = Path(self.workdir) / f"{log}.log"
        print(f"-- {log} output: {path}", file=sys.stderr, flush=True)
        with open(path, "ab") as out:
            proc = subprocess.Popen(argv, env=self.env, cwd=str(ROOT), stdout=out, stderr=subprocess.STDOUT)
        self.procs.append(proc)
        return proc

    def questline_workers(self, processes: int, threads: int) -> subprocess.Popen[bytes]:
        return self.start([QL, "worker", "--processes", str(processes), "--threads", str(threads)])

    def naive_workers(self, processes: int, threads: int) -> subprocess.Popen[bytes]:
        argv = [DRAMATIQ, "bench.naive", "--processes", str(processes), "--threads", str(threads)]
        return self.start(argv, log="naive-workers")

    def stop(self) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                proc.kill()
        self.procs.clear()


@contextmanager
def stack(postgres: str, broker: str, prefix: str = "questline_bench") -> Iterator[Stack]:
    with scratch_database(postgres, prefix) as url:
        upgrade(url)
        print(f"-- database {url.rsplit('/', 1)[-1]}", file=sys.stderr, flush=True)
        workdir = tempfile.mkdtemp()
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("QUESTLINE_")},
            "QUESTLINE_DATABASE_URL": url,
            "QUESTLINE_BROKER_URL": BROKERS[broker],
            "QUESTLINE_DATA_DIR": workdir,
            "QUESTLINE_SECRET_KEY": "bench",
            "QUESTLINE_QUEUE_PREFIX": f"bench{uuid.uuid4().hex[:6]}_",
            "QUESTLINE_LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
        s = Stack(url, env, workdir)
        try:
            yield s
        finally:
            s.stop()
            if broker == "redis":
                drop_redis_queues(BROKERS["redis"], s.env["QUESTLINE_QUEUE_PREFIX"])
            for log in sorted(Path(workdir).glob("*.log")):
                lines = log.read_text(errors="replace").splitlines()
                if lines:
                    print(f"-- last lines of {log.name}:", *lines[-5:], sep="\n", file=sys.stderr)


def children(pid: int) -> list[int]:
    """The process and all its descendants (from /proc)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        parents.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(parents.get(p, []))
    return out


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_seconds(pid: int) -> float:
    """CPU time (user and system) used so far by the process and its descendants alive now."""
    total = 0
    for p in children(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            continue
    return total / os.sysconf("SC_CLK_TCK")


@dataclass
class Series:
    """Samples over time of one figure: its first, peak and last, and whether it grows."""

    name: str
    values: list[float] = field(default_factory=list)

    def summary(self, floor: float) -> dict[str, Any]:
        """`grows`: the last quarter's median above the first quarter's by more than a
        fifth and by more than `floor` (noise at a small figure is not growth)."""
        if not self.values:
            return {f"{self.name}_first_peak_last": [], f"{self.name}_grows": None}
        quarter = max(1, len(self.values) // 4)
        head, tail = sorted(self.values[:quarter]), sorted(self.values[-quarter:])
        before, after = head[len(head) // 2], tail[len(tail) // 2]
        return {
            f"{self.name}_first_peak_last": [round(v) for v in (self.values[0], max(self.values), self.values[-1])],
            f"{self.name}_grows": after > before * 1.2 and after - before > floor,
        }


class InBackground:
    """Runs `_run` in a daemon thread for the time of a `with` block; `_run` watches
    `_stop`, which the block's end sets."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        raise NotImplementedError


class Sampler(InBackground):
    """Calls each of `figures` every `every` seconds in a thread of its own, into a Series each."""

    def __init__(self, every: float, **figures: Callable[[], float]):
        self.figures = figures
        self.series = {name: Series(name) for name in figures}
        self.every = every
        super().__init__()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            for name, figure in self.figures.items():
                try:
                    self.series[name].values.append(figure())
                except Exception as exc:  # a failed sample is skipped, and said
                    print(f"-- sample {name} failed: {exc}", file=sys.stderr, flush=True)


def largest_rss_mb(pid: int) -> float:
    """RSS of the largest process under `pid`."""
    return max((rss_mb(p) for p in children(pid)), default=0.0)


class MemorySampler(InBackground):
    """Peak RSS of the largest process under `pid`, sampled twice a second."""

    def __init__(self, pid: int):
        self.pid = pid
        self.peak = 0.0
        self.samples: list[float] = []
        super().__init__()

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            largest = max((rss_mb(p) for p in children(self.pid)), default=0.0)
            self.samples.append(largest)
            self.peak = max(self.peak, largest)


def wait_for(count: Callable[[], int], target: int, *, timeout: float, poll: float = 0.25) -> float:
    """Seconds until `count()` reaches `target` (monotonic clock); raises after `timeout`."""
    t0 = time.monotonic()
    while True:
        n = count()
        if n >= target:
            return time.monotonic() - t0
        if time.monotonic() - t0 > timeout:
            raise SystemExit(f"gave up after {timeout:.0f} s at {n:,} of {target:,}")
        time.sleep(poll)


def scalar(db: Database, sql: str) -> int:
    with db.read() as s:
        return int(s.scalar(text(sql)) or 0)


def default_postgres() -> str:
    return os.environ.get("BENCH_POSTGRES", DEFAULT_POSTGRES)
