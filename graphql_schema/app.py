"""The app factory: builds the services once and wires them into a Starlette app.

This is the one module of `graphql_schema` that may import `workers` (the queue
adapter and the in-process worker runtime).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute

from backend.auth.tokens import TokenSigner
from backend.delivery.notify import PopupHub, notifier_for
from backend.persistence.database import Database
from backend.queue import NullQueue, WorkQueue
from backend.settings import Settings
from graphql_schema.context import Services
from graphql_schema.events_http import make_events_endpoint
from graphql_schema.http import QuestlineGraphQL
from graphql_schema.metrics_http import make_metrics_endpoint
from graphql_schema.spa import GraphiQLPage, spa_routes
from graphql_schema.tracking_http import tracking_routes

log = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).resolve().parent.parent / "frontend_static"


def make_services(settings: Settings, queue: WorkQueue | None = None, db: Database | None = None) -> Services:
    db = db or Database(settings.database_url)
    return Services(
        settings=settings,
        db=db,
        signer=TokenSigner(settings.secret_key, operator_ttl_seconds=settings.token_ttl_seconds),
        queue=queue or NullQueue(),
        popups=PopupHub(notifier_for(settings, db)),
    )


def create_app(settings: Settings, *, run_workers: bool = False, services: Services | None = None) -> Starlette:
    services = services or make_services(settings)
    runtime: Any = None

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        nonlocal runtime
        if run_workers:
            from workers.runtime import start_embedded

            runtime = start_embedded(settings=settings, db=services.db)
            services.queue = runtime.queue
        elif settings.broker_url and isinstance(services.queue, NullQueue):
            from workers.runtime import start_producer

            runtime = start_producer(settings=settings, db=services.db)
            services.queue = runtime.queue
        try:
            yield
        finally:
            await services.popups.close()
            if runtime is not None:
                runtime.stop()
            services.popups.notifier.close()
            services.db.dispose()

    async def healthz(request: Request) -> Response:
        def ping() -> None:
            with services.db.read() as session:
                session.execute(text("SELECT 1"))

        try:
            from anyio import to_thread

            await to_thread.run_sync(ping)
        except Exception as exc:  # the database is down: say so, with no details leaked
            log.warning("health check failed: %s", type(exc).__name__)
            return JSONResponse({"status": "unavailable", "database": "down"}, status_code=503)
        return JSONResponse({"status": "ok", "database": "up"})

    graphql_app = QuestlineGraphQL(services)
    routes = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/api/events", make_events_endpoint(services), methods=["POST"]),
        Route("/metrics", make_metrics_endpoint(services), methods=["GET"]),
        # any method: the view answers 405 with Allow itself; a browser's GET gets GraphiQL
        Route("/graphql", GraphiQLPage(graphql_app, STATIC_DIR / "graphiql.html")),
        WebSocketRoute("/graphql", graphql_app),
        *tracking_routes(services),
    ]
    if STATIC_DIR.is_dir():
        routes.extend(spa_routes(STATIC_DIR))
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.services = services
    return app
