"""GraphQL over HTTP, as the spec asks, on top of strawberry's ASGI view.

What is added to strawberry (the WebSocket transport and the GraphiQL page are
strawberry's own):
- Content negotiation: `application/graphql-response+json` when the client accepts
  it, `application/json` otherwise (also for `*/*` and for no Accept header), 406
  when the client accepts neither. Every JSON answer names `charset=utf-8`.
- Request errors (a document that does not parse or validate, variables that do not
  coerce, an unknown or missing operation name, a subscription sent over HTTP) are
  answered with `errors` only, no `data` entry. With `application/graphql-response+json`
  the status is 400; with `application/json` it is 200, as the spec's compatibility
  rule asks for every well-formed request.
- Requests that are not well-formed get a 4xx with a JSON body `{"errors": [...]}`:
  415 for a POST body that is not `application/json` (or has no Content-Type), 400
  for a body that is not a JSON object or has a parameter of the wrong type, 405 (with
  `Allow`) for a method other than GET and POST, and for a mutation over GET, which
  never runs.
- Authentication before execution: an operation that selects anything but the public
  root fields and what lies below them for a player (`WITHOUT_OPERATOR` in
  permissions.py), sent without a valid operator token, gets only
  `{"errors": [{..., "extensions": {"code": "UNAUTHENTICATED"}}]}` and nothing runs.
  The refusal depends on what the document selects (login needs no token), so it is
  a GraphQL request error: 401 with `application/graphql-response+json`, 200 with
  `application/json` (the spec's rule for legacy clients, which may not read the
  body of a non-2xx answer). Both carry `WWW-Authenticate: Bearer`.
- A database that cannot be reached (down, restarting, its pool exhausted) is a 503
  with `Retry-After` and the code SERVICE_UNAVAILABLE, whatever the media type
  (graphql_schema/unavailable.py), not an internal error.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from anyio import to_thread
from cross_web import HTTPException
from graphql import DocumentNode, GraphQLError, OperationDefinitionNode, validate
from graphql.execution.values import get_variable_values
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.http.parse_content_type import parse_content_type
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult

from graphql_schema.auth_header import principal_from_header
from graphql_schema.context import AppContext, Services
from graphql_schema.document_limits import FOR_OPERATORS, WITHOUT_TOKEN, parse_bounded, selection_problems
from graphql_schema.error_codes import log_client_errors
from graphql_schema.limits import limit_problems
from graphql_schema.permissions import fields_needing_an_operator, unauthenticated_error
from graphql_schema.request_body import read_capped
from graphql_schema.schema import build_schema
from graphql_schema.unavailable import answers_unavailable, retry_after

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
ALLOWED_METHODS = "GET, POST"
# A caller without an operator token may only log in or act on a pop-up: small bodies.
ANONYMOUS_BODY_BYTES = 64 * 1024


class MutationOverGet(HTTPException):
    """405 for a mutation sent with GET; only POST may carry it."""

    allow = "POST"

    def __init__(self) -> None:
        super().__init__(405, "GET runs queries only; send mutations with POST")


def negotiate(accept: str | None) -> str | None:
    """The media type to answer with, or None when the client accepts neither."""
    if not accept or not accept.strip():
        return JSON
    ranked: list[tuple[float, int, str]] = []
    for order, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            ranked.append((-q, order, media.lower()))
    for _, _, media in sorted(ranked):
        if media == GRAPHQL_RESPONSE:
            return GRAPHQL_RESPONSE
        if media in (JSON, "application/*", "*/*"):
            return JSON
    return None


def _selected_operation(document: Any, operation_name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name:
        return next((o for o in operations if o.name and o.name.value == operation_name), None)
    return operations[0] if len(operations) == 1 else None


def needs_operator(schema: Any, document: Any, operation_name: str | None) -> bool:
    """Whether the chosen operation selects anything beyond what a caller without an
    operator token may (the public root fields and, below them, the permissions'
    WITHOUT_OPERATOR fields)."""
    if _selected_operation(document, operation_name) is None:
        return True
    return bool(fields_needing_an_operator(schema, document, operation_name))


def _error_response(exc: HTTPException, media: str) -> Response:
    headers = {"Allow": getattr(exc, "allow", ALLOWED_METHODS)} if exc.status_code == 405 else {}
    body = json.dumps({"errors": [{"message": exc.reason}]})
    return Response(body, status_code=exc.status_code, headers=headers, media_type=f"{media}; charset=utf-8")


@dataclass
class Precheck:
    """What checking a document before execution found."""

    document: DocumentNode | None = None
    errors: list[GraphQLError] = field(default_factory=list)
    unauthenticated: bool = False
    mutation_over_get: bool = False


class QuestlineGraphQL(GraphQL[AppContext, None]):
    def __init__(self, services: Services, **kwargs: Any):
        schema = build_schema()
        super().__init__(schema, subscription_protocols=[GRAPHQL_TRANSPORT_WS_PROTOCOL], **kwargs)
        self.services = services
        self.graphql_core_schema = schema._schema

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope=scope, receive=receive)
        try:
            await self._authenticate_and_read(request)
            response = await self.run(request)
        except HTTPException as exc:
            media = negotiate(request.headers.get("accept")) or JSON
            response = _error_response(exc, media)
        await response(scope, receive, send)

    async def _authenticate_and_read(self, request: Request) -> None:
        """Who is asking comes first, so a body past the caller's cap (small without an
        operator token, QUESTLINE_MAX_BODY_BYTES with one) is refused with 413 before
        the rest of it is read."""
        principal = await principal_from_header(self.services, request.headers.get("authorization"))
        request.state.principal = principal
        if request.method != "POST":
            return
        cap = self.services.settings.max_body_bytes if principal is not None else ANONYMOUS_BODY_BYTES
        body = await read_capped(request, cap)
        if body is None:
            raise HTTPException(413, f"the request body is over {cap:,} bytes")
        request._body = body  # starlette's cache: strawberry reads the body from here

    async def get_context(self, request: Any, response: Any = None) -> AppContext:
        state = getattr(request, "state", None)
        if state is not None and hasattr(state, "principal"):
            principal = state.principal
        else:
            principal = await principal_from_header(self.services, request.headers.get("authorization"))
        return AppContext(services=self.services, principal=principal, request=request, response=response)

    async def on_ws_connect(self, context: AppContext) -> Any:
        """WebSocket clients send the operator token in connection_init:
        `{"Authorization": "Bearer <token>"}` (or `authorization`). Player
        subscriptions carry their own token in the arguments instead."""
        params = context.connection_params if isinstance(context.connection_params, dict) else {}
        header = params.get("Authorization") or params.get("authorization")
        if isinstance(header, str) and context.principal is None:
            context.principal = await principal_from_header(self.services, header)
        return None

    async def get_sub_response(self, request: Request) -> Response:  # type: ignore[override]
        sub_response = await super().get_sub_response(request)
        media: str | None
        if request.method == "GET" and "text/html" in request.headers.get("accept", ""):
            media = JSON  # the GraphiQL page; strawberry renders it
        else:
            media = negotiate(request.headers.get("accept"))
        if media is None:
            raise HTTPException(406, f"Accept {GRAPHQL_RESPONSE} or {JSON}")
        request.state.media_type = media
        sub_response.questline_media_type = media  # type: ignore[attr-defined]
        request.state.request_error = False
        return sub_response

    async def parse_http_body(self, request: Any) -> Any:
        if request.method == "POST":
            content_type, _ = parse_content_type(request.content_type or "")
            if "application/json" not in content_type:
                raise HTTPException(415, f"Send the request body as {JSON}")
            body = self.parse_json(await request.get_body())
            if not isinstance(body, (dict, list)):
                raise HTTPException(400, "The request body must be a JSON object")
        return await super().parse_http_body(request)

    def decode_json(self, data: str | bytes) -> object:
        """JSON that cannot be read (not UTF-8, nested too deeply) is the client's 400."""
        try:
            return json.loads(data)
        except UnicodeDecodeError as exc:
            raise HTTPException(400, "The request body is not UTF-8") from exc
        except RecursionError as exc:
            raise HTTPException(400, "The request body's JSON is nested too deeply") from exc

    async def execute_single(
        self,
        request: Request,
        request_adapter: Any,
        sub_response: Response,
        context: AppContext,
        root_value: Any,
        request_data: Any,
    ) -> ExecutionResult:
        strict = request.state.media_type == GRAPHQL_RESPONSE
        if request_data.operation_name is not None and not isinstance(request_data.operation_name, str):
            raise HTTPException(400, "operationName must be a string")
        if request_data.variables is not None and not isinstance(request_data.variables, dict):
            raise HTTPException(400, "variables must be a JSON object")
        if request_data.query:
            # Parsing and validation are CPU work: a worker thread, so the event loop
            # keeps serving other requests meanwhile.
            checked = await to_thread.run_sync(
                self._precheck,
                request_data.query,
                request_data.operation_name,
                request_data.variables,
                context.principal is not None,
                request.method,
            )
            if checked.mutation_over_get:
                raise MutationOverGet()  # the spec: 405, and nothing runs
            if checked.errors:
                log_client_errors(checked.errors)
                if checked.unauthenticated:
                    sub_response.headers["WWW-Authenticate"] = "Bearer"
                status = (401 if checked.unauthenticated else 400) if strict else 200
                return self._request_error(request, sub_response, checked.errors, status)
            context.prechecked = (request_data.query, checked.document)
        return await super().execute_single(request, request_adapter, sub_response, context, root_value, request_data)

    def _precheck(
        self, query: str, operation_name: str | None, variables: Any, has_operator: bool, method: str
    ) -> Precheck:
        """The document bounded, parsed, authorised, validated and costed, in that order:
        a caller without an operator token never gets past the small bounds and the
        check of what they select."""
        schema = self.graphql_core_schema
        try:
            document = parse_bounded(query, FOR_OPERATORS if has_operator else WITHOUT_TOKEN)
        except GraphQLError as exc:
            return Precheck(errors=[exc])
        selected = _selected_operation(document, operation_name)
        if method == "GET" and selected is not None and selected.operation.value == "mutation":
            return Precheck(mutation_over_get=True)
        if not has_operator and needs_operator(schema, document, operation_name):
            return Precheck(errors=[unauthenticated_error()], unauthenticated=True)
        errors = selection_problems(document, FOR_OPERATORS if has_operator else WITHOUT_TOKEN)
        errors = errors or validate(schema, document)
        errors = errors or self._operation_errors(document, operation_name, variables)
        if not errors and selected is not None:
            errors = limit_problems(schema, document, selected, variables)
        return Precheck(document=document, errors=list(errors))

    def _operation_errors(self, document: Any, operation_name: str | None, variables: Any) -> list[GraphQLError]:
        operation = _selected_operation(document, operation_name)
        if operation is None:
            what = (
                f"Unknown operation named '{operation_name}'."
                if operation_name
                else "Must provide operation name if query contains several operations."
            )
            return [GraphQLError(what)]
        if operation.operation.value == "subscription":
            return [
                GraphQLError(
                    "Subscriptions are served over WebSocket (graphql-transport-ws) on this path, not over HTTP."
                )
            ]
        coerced = get_variable_values(self.graphql_core_schema, operation.variable_definitions or (), variables or {})
        return list(coerced) if isinstance(coerced, list) else []

    def _request_error(
        self, request: Request, sub_response: Response, errors: list[GraphQLError], status: int
    ) -> ExecutionResult:
        request.state.request_error = True
        sub_response.status_code = status
        return ExecutionResult(data=None, errors=errors)

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        processed = GraphQLHTTPResponse(**await super().process_result(request, result))
        if getattr(request.state, "request_error", False):
            processed.pop("data", None)
        return processed

    def create_response(self, response_data: Any, sub_response: Response) -> Response:
        if answers_unavailable(response_data):
            sub_response.status_code = 503
            sub_response.headers.update(retry_after())
        response = super().create_response(response_data, sub_response)
        media = getattr(sub_response, "questline_media_type", None)
        if media:
            response.headers["content-type"] = f"{media}; charset=utf-8"
        return response
