"""GET /schema/journey-definition.json: the JSON Schema of the journey document, for
editors and for clients that check a document before they send it. It holds no data,
so it needs no token."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from backend.journeys.document_schema import SCHEMA_ID, journey_definition_schema

MEDIA_TYPE = "application/schema+json"


def schema_routes() -> list[Route]:
    body = journey_definition_schema()

    async def journey_definition(request: Request) -> Response:
        return JSONResponse(
            {**body, "$id": str(request.url.replace(query="", fragment=""))},
            media_type=MEDIA_TYPE,
            headers={"Cache-Control": "no-cache"},
        )

    return [Route(SCHEMA_ID, journey_definition, methods=["GET"])]
