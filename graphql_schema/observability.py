"""Every HTTP request: a request id (the client's `X-Request-ID` when it is sane, else a
new one) set for the request's log lines and the work it sends to the workers, echoed
in the answer's `X-Request-ID`; one log line when it ends; and the request counted and
timed per route for /metrics."""

from __future__ import annotations

import logging
import time
from typing import Any

from prometheus_client import Counter, Histogram
from starlette.datastructures import Headers, MutableHeaders
from starlette.routing import Match, Router
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.logs import REQUEST_ID, sane_request_id

log = logging.getLogger("questline.http")
HEADER = "X-Request-ID"

HTTP_REQUESTS = Counter(
    "questline_http_requests", "HTTP requests answered, by method, route and status", ["method", "route", "status"]
)
HTTP_SECONDS = Histogram(
    "questline_http_request_duration_seconds",
    "Time from a request's arrival to the end of its answer, by method and route",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)


def route_of(router: Router, scope: Scope) -> str:
    """The route's path template (`/t/c/{token}`), never the path itself: a label must
    not take a new value for every link or id."""
    for route in router.routes:
        match, _ = route.matches(scope)
        if match is Match.FULL:
            path = getattr(route, "path", None)
            return str(path) if path else "other"
    return "unmatched"


class RequestObservation:
    def __init__(self, app: ASGIApp, router: Router):
        self.app = app
        self.router = router

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        request_id = sane_request_id(Headers(scope=scope).get(HEADER))
        token = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        status: dict[str, int] = {}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                MutableHeaders(scope=message)[HEADER] = request_id
            elif message["type"] == "websocket.accept":
                status["code"] = 101
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self._finish(scope, status.get("code", 500), time.perf_counter() - started)
            REQUEST_ID.reset(token)

    def _finish(self, scope: Scope, status: int, seconds: float) -> None:
        route = route_of(self.router, scope)
        method = scope.get("method", "WS")
        if scope["type"] == "http":
            HTTP_REQUESTS.labels(method, route, str(status)).inc()
            HTTP_SECONDS.labels(method, route).observe(seconds)
        extra: dict[str, Any] = {"method": method, "route": route, "status": status, "ms": round(seconds * 1000, 1)}
        # The route, not the path: a path may carry a signed token (tracking links), and
        # the query string anything.
        log.info("%s %s %s %.1f ms", method, route, status, seconds * 1000, extra=extra)
