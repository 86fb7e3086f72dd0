"""POST /api/events: the bulk twin of trackEvents, for senders of many events a second."""

from __future__ import annotations

import json
from typing import Any

from anyio import to_thread
from starlette.requests import Request
from starlette.responses import JSONResponse

from backend.auth.policy import Role
from backend.errors import DomainError
from backend.text_checks import unstorable_at
from backend.users.intake import track_events
from backend.users.profiles import InvalidBatch
from backend.users.validation import MAX_BATCH
from graphql_schema.auth_header import principal_from_header
from graphql_schema.context import Services
from graphql_schema.request_body import read_capped

MAX_BODY_BYTES = 32 * 1024 * 1024


def _error(status: int, code: str, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse(
        {"accepted": 0, "duplicates": 0, "errors": [{"code": code, "message": message, **extra}]}, status_code=status
    )


def parse_body(raw: bytes, content_type: str) -> list[Any]:
    """NDJSON (one object a line) or a JSON array; raises DomainError on anything else.
    A UTF-8 byte order mark at the start is allowed. Lines end at LF (a CR before it is
    dropped) and nowhere else: U+2028, U+0085 and the like are valid inside a JSON
    string, so `str.splitlines()`, which splits at them, would break such a line."""
    text = raw.decode("utf-8-sig")
    if content_type in ("application/x-ndjson", "application/jsonl", "application/ndjson"):
        items = []
        for number, line in enumerate(text.split("\n")):
            if not line.strip():
                continue
            try:
                items.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise DomainError(
                    "INVALID_JSON", f"line {number + 1} is not JSON: {exc.msg}", [str(len(items))]
                ) from exc
        return items
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DomainError("INVALID_JSON", f"the body is not JSON: {exc.msg}") from exc
    if not isinstance(body, list):
        raise DomainError("INVALID_INPUT", "the body must be a JSON array of events (or NDJSON)")
    return body


def make_events_endpoint(services: Services):
    async def post_events(request: Request) -> JSONResponse:
        principal = await principal_from_header(services, request.headers.get("authorization"))
        if principal is None:
            resp = _error(401, "UNAUTHENTICATED", "a valid bearer token is required")
            resp.headers["WWW-Authenticate"] = "Bearer"
            return resp
        if not principal.has_role(Role.MANAGER):
            return _error(403, "FORBIDDEN", f"needs the MANAGER role; you are {principal.role.name}")
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type not in ("application/json", "application/x-ndjson", "application/jsonl", "application/ndjson"):
            return _error(415, "UNSUPPORTED_MEDIA_TYPE", "send application/x-ndjson or application/json")
        raw = await read_capped(request, MAX_BODY_BYTES)
        if raw is None:
            return _error(413, "TOO_LARGE", f"the body is over {MAX_BODY_BYTES // (1024 * 1024)} MiB")
        try:
            items = parse_body(raw, content_type)
            bad = [i for i, item in enumerate(items) if not isinstance(item, dict)]
            if bad:
                raise InvalidBatch(
                    [DomainError("INVALID_INPUT", "each event must be a JSON object", [str(i)]) for i in bad]
                )
            if len(items) > MAX_BATCH:
                raise DomainError("LIMIT_EXCEEDED", f"at most {MAX_BATCH:,} events a request, got {len(items):,}")
            bad_text = unstorable_at(items)
            if bad_text is not None:
                raise InvalidBatch(
                    [
                        DomainError(
                            "INVALID_INPUT",
                            "a NUL character, a lone surrogate, NaN or Infinity cannot be stored",
                            list(bad_text),
                        )
                    ]
                )

            def work():
                with services.db.unit_of_work() as uow:
                    return track_events(uow, events=items, queue=services.queue)

            result = await to_thread.run_sync(work)
        except UnicodeDecodeError:
            return _error(400, "INVALID_ENCODING", "the body must be UTF-8")
        except InvalidBatch as exc:
            errors = [
                {"index": _index(p.field), "code": p.code, "message": p.message, "field": p.field} for p in exc.problems
            ]
            return JSONResponse({"accepted": 0, "duplicates": 0, "errors": errors}, status_code=400)
        except DomainError as exc:
            return _error(400, exc.code, exc.message)
        return JSONResponse({"accepted": result.accepted, "duplicates": result.duplicates, "errors": []})

    return post_events


def _index(field: list[str] | None) -> int | None:
    for part in field or []:
        if part.isdigit():
            return int(part)
    return None
