"""docs/grafana-dashboard.json asks only for metrics the processes expose."""

from __future__ import annotations

import json
import re
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

DASHBOARD = Path(__file__).resolve().parents[2] / "docs" / "grafana-dashboard.json"
# A metric name in a PromQL expression: a name followed by a selector, a range or the end of a call.
METRIC = re.compile(r"\b((?:questline|process|python)_[a-z_]+)\b")


def _exposed_names(text: str) -> set[str]:
    names = set()
    for family in text_string_to_metric_families(text):
        names.add(family.name)
        names.update(sample.name for sample in family.samples)
    return names


def _expressions() -> list[str]:
    dashboard = json.loads(DASHBOARD.read_text())
    return [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]


async def test_every_metric_the_dashboard_reads_is_exposed(admin):
    await admin.raw("{ me { username } }")  # so the HTTP families have samples
    exposed = _exposed_names((await admin.http.get("/metrics")).text)
    from prometheus_client import REGISTRY, generate_latest

    exposed |= _exposed_names(generate_latest(REGISTRY).decode())  # what a worker process serves
    used = {name for expr in _expressions() for name in METRIC.findall(expr)}
    assert used, "the dashboard reads no metric"
    missing = {name for name in used if name not in exposed and name.removesuffix("_total") not in exposed}
    assert missing == set()
    for queue in ("questline_queue_depth", "questline_queue_age_seconds", "questline_deliveries_total"):
        assert queue in used


def test_the_dashboard_is_one_grafana_document_with_a_datasource_choice():
    dashboard = json.loads(DASHBOARD.read_text())
    assert dashboard["uid"] and dashboard["panels"]
    assert [v["type"] for v in dashboard["templating"]["list"]] == ["datasource"]
    assert len({p["id"] for p in dashboard["panels"]}) == len(dashboard["panels"])
