"""The endpoints the outside world calls after a send: the open pixel, click links and
providers' delivery receipts."""

from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import Any

from anyio import to_thread
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from backend.delivery import engagement
from backend.delivery.tracking import TrackingLinks
from backend.errors import DomainError
from backend.ids import pk_of, plain_pk
from backend.models import utcnow
from backend.outbound import signature_matches
from backend.text_checks import made_storable
from backend.times import to_utc
from graphql_schema.context import Services
from graphql_schema.request_body import read_capped

PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
NO_STORE = {"Cache-Control": "no-store, max-age=0", "Pragma": "no-cache"}
MAX_RECEIPT_BYTES = 64 * 1024


def _problem(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def _not_found() -> Response:
    return Response("not found", status_code=404, media_type="text/plain")


def tracking_routes(services: Services) -> list[Route]:
    links = TrackingLinks(services.settings.secret_key, services.settings.public_url)
    db = services.db

    async def write(fn: Any) -> Any:
        def run() -> Any:
            with db.unit_of_work() as uow:
                return fn(uow)

        return await to_thread.run_sync(run)

    async def open_pixel(request: Request) -> Response:
        comm_id = links.read_open(request.path_params["token"])
        if comm_id is None:
            return _not_found()
        agent = request.headers.get("user-agent")
        await write(
            lambda uow: engagement.record_open(
                uow, journeys=services.journeys, communication_id=comm_id, user_agent=agent, now=utcnow()
            )
        )
        return Response(PIXEL, media_type="image/gif", headers=NO_STORE)

    async def click(request: Request) -> Response:
        found = links.read_click(request.path_params["token"])
        if found is None:
            return _not_found()
        comm_id, url = found
        agent = request.headers.get("user-agent")
        await write(
            lambda uow: engagement.record_click(
                uow, journeys=services.journeys, communication_id=comm_id, url=url, user_agent=agent, now=utcnow()
            )
        )
        return RedirectResponse(url, status_code=302, headers=NO_STORE)

    async def receipt(request: Request) -> Response:
        secret = services.settings.webhook_secret
        if not secret:
            return _problem(401, "UNAUTHENTICATED", "delivery receipts are refused: no webhook secret is set")
        raw = await read_capped(request, MAX_RECEIPT_BYTES)
        if raw is None:
            return _problem(413, "TOO_LARGE", f"a receipt is at most {MAX_RECEIPT_BYTES} bytes")
        if not signature_matches(secret, raw, request.headers.get("x-questline-signature")):
            return _problem(401, "UNAUTHENTICATED", "X-Questline-Signature is missing or does not match the body")
        try:
            comm_id, status, error, at = parse_receipt(raw)
        except DomainError as exc:
            return _problem(400, exc.code, exc.message)
        try:
            applied = await write(
                lambda uow: engagement.record_receipt(
                    uow, journeys=services.journeys, communication_id=comm_id, status=status, error=error, at=at
                )
            )
        except DomainError as exc:
            return _problem(404 if exc.code == "NOT_FOUND" else 400, exc.code, exc.message)
        return JSONResponse({"applied": applied})

    return [
        Route("/t/o/{token}", open_pixel, methods=["GET"]),
        Route("/t/c/{token}", click, methods=["GET"]),
        Route("/webhooks/delivery", receipt, methods=["POST"]),
    ]


def parse_receipt(raw: bytes) -> tuple[int, str, str | None, datetime]:
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise DomainError("INVALID_JSON", "the body is not JSON") from None
    if not isinstance(body, dict):
        raise DomainError("INVALID_INPUT", "the body must be a JSON object")
    reference = body.get("reference")
    comm_id = pk_of(reference, "Communication")
    if comm_id is None and isinstance(reference, (str, int)) and not isinstance(reference, bool):
        comm_id = plain_pk(str(reference))  # a provider that kept only the number
    if comm_id is None:
        raise DomainError("INVALID_INPUT", "reference must be the communication's id, as sent")
    status = body.get("status")
    if status not in engagement.RECEIPT_STATUSES:
        raise DomainError("INVALID_INPUT", "status must be delivered, failed or bounced")
    error = body.get("error")
    if error is not None and not isinstance(error, str):
        raise DomainError("INVALID_INPUT", "error must be a string")
    return comm_id, status, None if error is None else made_storable(error), _receipt_time(body.get("at"))


def _receipt_time(at: object) -> datetime:
    """When the provider says it happened: now when it does not say, UTC when it gives no zone."""
    if at is None:
        return utcnow()
    try:
        when = datetime.fromisoformat(str(at))
    except ValueError:
        raise DomainError("INVALID_INPUT", "at must be an ISO 8601 time") from None
    return to_utc(when, ["at"])
