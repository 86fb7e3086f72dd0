"""GET /metrics in the Prometheus text format: the database's figures, read at scrape
time (the same on every API process), then this process's own: HTTP requests per
route, deliveries when the workers run here, and the process collectors (CPU, memory,
open files, garbage collection)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator

from anyio import to_thread
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from starlette.requests import Request
from starlette.responses import Response

from backend.reports.metrics import MetricsSnapshot, snapshot
from graphql_schema.context import Services

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class _SnapshotCollector:
    def __init__(self, snap: MetricsSnapshot):
        self.snap = snap

    def collect(self) -> Iterator[Metric]:
        s = self.snap
        yield CounterMetricFamily("questline_events_tracked", "Events stored since the start", value=s.events_tracked)
        yield GaugeMetricFamily(
            "questline_events_pending", "Events not yet processed by the engine", value=s.events_pending
        )
        entries = GaugeMetricFamily("questline_entries", "Journey entries by status", labels=["status"])
        for status, n in sorted(s.entries_by_status.items()):
            entries.add_metric([status], n)
        yield entries
        yield CounterMetricFamily(
            "questline_steps_processed",
            "Steps written to entries' logs since the start (those of deleted journeys included)",
            value=s.steps_processed,
        )
        comms = GaugeMetricFamily(
            "questline_communications", "Communications by channel and status", labels=["channel", "status"]
        )
        for (channel, status), n in sorted(s.communications.items()):
            comms.add_metric([channel, status], n)
        yield comms
        yield from self._queues()

    def _queues(self) -> Iterator[Metric]:
        backlogs = sorted(self.snap.backlogs.items())
        depth = GaugeMetricFamily("questline_queue_depth", "Work due and not yet done, per queue", labels=["queue"])
        age = GaugeMetricFamily(
            "questline_queue_age_seconds", "How long the oldest work due in each queue has waited", labels=["queue"]
        )
        for queue, backlog in backlogs:
            depth.add_metric([queue], backlog.depth)
            age.add_metric([queue], backlog.oldest_seconds)
        yield depth
        yield age
        lag = GaugeMetricFamily(
            "questline_queue_lag_seconds",
            "Age of the oldest pending work (the same as questline_queue_age_seconds; kept for existing dashboards)",
            labels=["queue"],
        )
        lag.add_metric(["events"], self.snap.oldest_pending_event_seconds)
        lag.add_metric(["entries"], self.snap.oldest_due_entry_seconds)
        yield lag


def exposition(snap: MetricsSnapshot) -> bytes:
    """The database's figures, then this process's own collectors."""
    registry = CollectorRegistry()
    registry.register(_SnapshotCollector(snap))
    return generate_latest(registry) + generate_latest(REGISTRY)


def make_metrics_endpoint(services: Services) -> Callable[[Request], Awaitable[Response]]:
    async def metrics(request: Request) -> Response:
        def read() -> MetricsSnapshot:
            with services.db.read() as session:
                return snapshot(session)

        return Response(exposition(await to_thread.run_sync(read)), media_type=CONTENT_TYPE)

    return metrics
