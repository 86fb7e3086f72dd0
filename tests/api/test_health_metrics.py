"""/healthz and /metrics as a load balancer and Prometheus see them."""

from __future__ import annotations

from backend.queue import RecordingQueue
from backend.users.intake import track_events


async def test_healthz_answers_when_the_database_does(client):
    resp = await client.http.get("/healthz")
    assert resp.status_code == 200 and resp.json()["database"] == "up"


async def test_metrics_count_what_the_database_holds(client, db):
    with db.unit_of_work() as uow:
        track_events(
            uow,
            queue=RecordingQueue(),
            events=[{"eventId": f"e{i}", "externalId": "p1", "name": "login"} for i in range(3)],
        )
    resp = await client.http.get("/metrics")
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/plain")
    lines = resp.text.splitlines()
    assert "questline_events_tracked_total 3.0" in lines
    assert "questline_events_pending 3.0" in lines
    assert any(line.startswith('questline_queue_lag_seconds{queue="events"}') for line in lines)
