"""`questline worker --metrics-port`: the workers' own counters (deliveries per channel
and provider answer, the process collectors) for Prometheus to scrape. With several
worker processes, each writes its figures to a shared directory (prometheus_client's
multiprocess mode) and the command's process serves their sum."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from wsgiref.simple_server import WSGIServer

from prometheus_client import CollectorRegistry, ProcessCollector, start_http_server
from prometheus_client.multiprocess import MultiProcessCollector

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


@dataclass
class MetricsServer:
    server: WSGIServer
    shared_dir: str | None = None

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        if self.shared_dir is not None:
            os.environ.pop(MULTIPROC_ENV, None)
            shutil.rmtree(self.shared_dir, ignore_errors=True)


def start_metrics_server(host: str, port: int, *, processes: int) -> MetricsServer:
    """Serves /metrics on host:port (OSError when it cannot bind). With more than one
    process, call it before the worker processes are spawned: they inherit the
    directory they write their figures to."""
    if processes <= 1:
        server, _ = start_http_server(port, addr=host)
        return MetricsServer(server)
    shared = tempfile.mkdtemp(prefix="questline-metrics-")
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=shared)
    ProcessCollector(registry=registry)
    try:
        server, _ = start_http_server(port, addr=host, registry=registry)
    except OSError:
        shutil.rmtree(shared, ignore_errors=True)
        raise
    os.environ[MULTIPROC_ENV] = shared
    return MetricsServer(server, shared)
