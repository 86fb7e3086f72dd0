"""GET /metrics in the Prometheus text format, read from the database at scrape time."""

from __future__ import annotations

from anyio import to_thread
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from starlette.requests import Request
from starlette.responses import Response

from backend.reports.metrics import MetricsSnapshot, snapshot
from graphql_schema.context import Services

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class _SnapshotCollector:
    def __init__(self, snap: MetricsSnapshot):
        self.snap = snap

    def collect(self):
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
            "questline_steps_processed", "Steps written to entries' logs", value=s.steps_processed
        )
        comms = GaugeMetricFamily(
            "questline_communications", "Communications by channel and status", labels=["channel", "status"]
        )
        for (channel, status), n in sorted(s.communications.items()):
            comms.add_metric([channel, status], n)
        yield comms
        lag = GaugeMetricFamily("questline_queue_lag_seconds", "Age of the oldest pending work", labels=["queue"])
        lag.add_metric(["events"], s.oldest_pending_event_seconds)
        lag.add_metric(["entries"], s.oldest_due_entry_seconds)
        yield lag


def make_metrics_endpoint(services: Services):
    async def metrics(request: Request) -> Response:
        def read() -> MetricsSnapshot:
            with services.db.read() as session:
                return snapshot(session)

        registry = CollectorRegistry()
        registry.register(_SnapshotCollector(await to_thread.run_sync(read)))
        return Response(generate_latest(registry), media_type=CONTENT_TYPE)

    return metrics
