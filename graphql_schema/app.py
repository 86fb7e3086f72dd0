"""The app factory: builds the services once and wires them into a Starlette app.

This is the one module of `graphql_schema` that may import `workers` (the broker,
the queue adapter and the in-process worker runtime).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path

from anyio import to_thread
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute

from backend.auth.tokens import TokenSigner
from backend.delivery.notify import PopupHub
from backend.persistence.database import Database
from backend.queue import NullQueue, WorkQueue
from backend.services import build_services, close_services
from backend.settings import Settings
from graphql_schema.context import Services
from graphql_schema.events_http import make_events_endpoint
from graphql_schema.http import QuestlineGraphQL
from graphql_schema.metrics_http import make_metrics_endpoint
from graphql_schema.observability import RequestObservation
from graphql_schema.schema_http import schema_routes
from graphql_schema.spa import GraphiQLPage, spa_routes
from graphql_schema.tracking_http import tracking_routes
from graphql_schema.unavailable import EXCEPTION_HANDLERS
from workers.broker import close_broker, mask_url
from workers.queue_adapter import BrokerQueue
from workers.runtime import Runtime, connect, start_embedded

log = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).resolve().parent.parent / "frontend_static"


def make_services(settings: Settings, queue: WorkQueue | None = None, db: Database | None = None) -> Services:
    core = build_services(settings, queue=queue or NullQueue(), db=db)
    return Services(
        core=core,
        signer=TokenSigner(settings.secret_key, operator_ttl_seconds=settings.token_ttl_seconds),
        popups=PopupHub(core.notifier),
    )


def create_app(settings: Settings, *, run_workers: bool = False, services: Services | None = None) -> Starlette:
    """With `run_workers` the workers and the scheduler run in this process; otherwise,
    with a broker set, hints go to it for workers elsewhere; with neither (or given
    `services`), hints go where the services' queue sends them."""
    hints: BrokerQueue | None = None
    if services is None:
        if run_workers or settings.broker_url:
            _, hints = connect(settings)
            services = make_services(settings, hints)
        else:
            services = make_services(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        runtime: Runtime | None = None
        if hints is not None and run_workers:
            runtime = start_embedded(services.core, hints.broker)
        elif hints is not None:
            log.info("sending hints to broker %s; workers run elsewhere", mask_url(settings.broker_url))
        try:
            yield
        finally:
            await services.popups.close()
            if runtime is not None:
                runtime.stop()
            elif hints is not None:
                close_broker(hints.broker)
            close_services(services.core)

    async def healthz(request: Request) -> Response:
        def ping() -> None:
            with services.db.read() as session:
                session.execute(text("SELECT 1"))

        try:
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
        *schema_routes(),
    ]
    if STATIC_DIR.is_dir():
        routes.extend(spa_routes(STATIC_DIR))
    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers=EXCEPTION_HANDLERS)
    app.add_middleware(RequestObservation, router=app.router)
    app.state.services = services
    return app
