"""`questline worker --metrics-port`: the workers' counters served for Prometheus."""

from __future__ import annotations

import os
import socket
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

from backend.settings import load_settings
from workers.metrics_server import MULTIPROC_ENV, start_metrics_server
from workers.runtime import run_worker_command


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _families(port: int) -> set[str]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as resp:
        return {f.name for f in text_string_to_metric_families(resp.read().decode())}


def test_one_process_serves_its_own_registry():
    port = _free_port()
    server = start_metrics_server("127.0.0.1", port, processes=1)
    try:
        names = _families(port)
        assert "questline_deliveries" in names and "process_resident_memory_bytes" in names
    finally:
        server.stop()


def test_several_processes_share_a_directory_the_command_serves_from():
    port = _free_port()
    server = start_metrics_server("127.0.0.1", port, processes=2)
    try:
        shared = os.environ[MULTIPROC_ENV]
        assert server.shared_dir == shared and os.path.isdir(shared)
        assert "process_resident_memory_bytes" in _families(port)
    finally:
        server.stop()
    assert MULTIPROC_ENV not in os.environ and not os.path.exists(shared)


def test_a_metrics_port_in_use_stops_the_command_before_any_worker(tmp_path, capsys):
    settings = load_settings(
        {
            "QUESTLINE_DATA_DIR": str(tmp_path),
            "QUESTLINE_DATABASE_URL": f"sqlite:///{tmp_path / 'q.db'}",
            "QUESTLINE_BROKER_URL": "redis://127.0.0.1:1/0",
        }
    )
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        code = run_worker_command(
            settings=settings, processes=1, threads=1, metrics_port=port, metrics_host="127.0.0.1"
        )
    assert code == 1
    assert capsys.readouterr().err.strip().startswith(f"questline: the metrics port {port} cannot be opened")
