"""The webhook step's calls: POST once per visit, with an Idempotency-Key and a signature.

Answers as for providers: 2xx done, 4xx final (FAILED with the answer), 5xx, a
refused connection or a time-out retried with growing back-off under the same key,
up to 5 tries. A call is claimed with a lease in a short transaction before the HTTP
request, so a worker killed mid-call leaves it to be retried under the same key,
never as a new call. The final outcome is written to the entry's log.
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import or_, select

from backend.models import EntryStep, WebhookCall, utcnow
from backend.persistence.database import Database
from backend.queue import WorkQueue
from backend.settings import Settings

MAX_TRIES = 5
TIMEOUT_SECONDS = 10.0
LEASE = timedelta(seconds=60)


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=2 ** attempts)


def _claim(db: Database, ids: list[int], now: datetime) -> list[tuple[int, str, str, str, int]]:
    with db.unit_of_work() as uow:
        stmt = select(WebhookCall).where(
            WebhookCall.id.in_(ids), WebhookCall.status == "PENDING",
            or_(WebhookCall.next_attempt_at.is_(None), WebhookCall.next_attempt_at <= now),
            or_(WebhookCall.claimed_until.is_(None), WebhookCall.claimed_until < now),
        )
        if db.dialect == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True)
        calls = list(uow.session.scalars(stmt))
        for call in calls:
            call.claimed_until = now + LEASE
        return [(c.id, c.url, c.body, c.idempotency_key, c.attempts) for c in calls]


def _finish(db: Database, call_id: int, values: dict[str, Any], outcome: str | None, detail: str | None, now: datetime) -> None:
    with db.unit_of_work() as uow:
        call = uow.session.get(WebhookCall, call_id)
        for key, value in values.items():
            setattr(call, key, value)
        call.claimed_until = None
        if outcome:
            uow.session.add(EntryStep(entry_id=call.entry_id, journey_id=call.journey_id, step_id=call.step_id,
                                      kind="webhook", visit=int(call.idempotency_key.rsplit(":", 1)[1]),
                                      entered_at=call.created_at, left_at=now, outcome=outcome, detail=detail))


def call_webhooks(db: Database, *, call_ids: list[int], queue: WorkQueue, settings: Settings | None = None,
                  client: httpx.Client | None = None, now: datetime | None = None) -> int:
    now = now or utcnow()
    claimed = _claim(db, call_ids, now)
    if not claimed:
        return 0
    secret = settings.webhook_secret if settings else None
    own = client is None
    client = client or httpx.Client(timeout=TIMEOUT_SECONDS)
    try:
        for call_id, url, body, key, attempts in claimed:
            payload = body.encode()
            headers = {"Content-Type": "application/json", "Idempotency-Key": key}
            if secret:
                headers["X-Questline-Signature"] = signature(secret, payload)
            tries = attempts + 1
            try:
                response = client.post(url, content=payload, headers=headers)
                status, text = response.status_code, response.text[:1000]
            except httpx.HTTPError as exc:
                status, text = None, f"{type(exc).__name__}: no answer"
            if status is not None and 200 <= status < 300:
                _finish(db, call_id, {"status": "SENT", "attempts": tries, "response_status": status, "sent_at": utcnow()},
                        "webhook_sent", f"HTTP {status}", utcnow())
            elif status is not None and 400 <= status < 500:
                _finish(db, call_id, {"status": "FAILED", "attempts": tries, "response_status": status, "error": text},
                        "webhook_failed", f"HTTP {status}: {text[:200]}", utcnow())
            elif tries >= MAX_TRIES:
                error = f"HTTP {status}: {text}" if status else text
                _finish(db, call_id, {"status": "FAILED", "attempts": tries, "response_status": status, "error": error},
                        "webhook_failed", f"after {tries} tries: {error[:200]}", utcnow())
            else:
                _finish(db, call_id, {"attempts": tries, "response_status": status,
                                      "error": f"HTTP {status}: {text}" if status else text,
                                      "next_attempt_at": utcnow() + backoff(tries)}, None, None, utcnow())
    finally:
        if own:
            client.close()
    return len(claimed)

