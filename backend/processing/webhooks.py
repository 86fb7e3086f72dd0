"""The webhook step's calls: POST once per visit, with an Idempotency-Key and a signature.

Answers follow the outbound protocol (`backend.outbound`): 2xx done, 4xx final,
5xx, a refused connection or a time-out retried under the same key. A call is
claimed with a lease in a short transaction before the HTTP request, so a worker
killed mid-call leaves it to be retried under the same key, never as a new call.
The final outcome is written to the entry's log.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import or_, select

from backend import outbound
from backend.models import EntryStep, WebhookCall
from backend.outbound import Verdict, signature
from backend.persistence.database import Database
from backend.services import Services

__all__ = ["call_webhooks", "signature"]

LEASE = timedelta(seconds=60)


def _claim(db: Database, ids: list[int], now: datetime) -> list[tuple[int, str, str, str, int]]:
    with db.unit_of_work() as uow:
        stmt = select(WebhookCall).where(
            WebhookCall.id.in_(ids),
            WebhookCall.status == "PENDING",
            or_(WebhookCall.next_attempt_at.is_(None), WebhookCall.next_attempt_at <= now),
            or_(WebhookCall.claimed_until.is_(None), WebhookCall.claimed_until < now),
        )
        if db.dialect == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True)
        calls = list(uow.session.scalars(stmt))
        for call in calls:
            call.claimed_until = now + LEASE
        return [(c.id, c.url, c.body, c.idempotency_key, c.attempts) for c in calls]


def _finish(
    db: Database, call_id: int, values: dict[str, Any], outcome: str | None, detail: str | None, now: datetime
) -> None:
    with db.unit_of_work() as uow:
        call = uow.session.get_one(WebhookCall, call_id)
        for key, value in values.items():
            setattr(call, key, value)
        call.claimed_until = None
        if outcome:
            uow.session.add(
                EntryStep(
                    entry_id=call.entry_id,
                    journey_id=call.journey_id,
                    step_id=call.step_id,
                    kind="webhook",
                    visit=int(call.idempotency_key.rsplit(":", 1)[1]),
                    entered_at=call.created_at,
                    left_at=now,
                    outcome=outcome,
                    detail=detail,
                )
            )


def call_webhooks(
    services: Services,
    *,
    call_ids: list[int],
    client: httpx.Client | None = None,
    now: datetime | None = None,
) -> int:
    db = services.db
    now = now or services.clock()
    claimed = _claim(db, call_ids, now)
    if not claimed:
        return 0
    secret = services.settings.webhook_secret
    own = client is None
    client = client or httpx.Client(timeout=outbound.TIMEOUT_SECONDS)
    try:
        for call_id, url, body, key, attempts in claimed:
            payload = body.encode()
            headers = outbound.provider_headers(key, None)
            if secret:
                headers["X-Questline-Signature"] = signature(secret, payload)
            answer = outbound.post(client, url, body=payload, headers=headers)
            done_at = services.clock()
            j = outbound.judge(answer, tries=attempts + 1, now=done_at)
            values: dict[str, Any] = {"attempts": j.tries, "response_status": answer.status}
            if j.verdict is Verdict.DONE:
                _finish(
                    db,
                    call_id,
                    {**values, "status": "SENT", "sent_at": done_at},
                    "webhook_sent",
                    f"HTTP {answer.status}",
                    done_at,
                )
            elif j.verdict is Verdict.FAILED:
                _finish(
                    db,
                    call_id,
                    {**values, "status": "FAILED", "error": j.error},
                    "webhook_failed",
                    (answer.described if j.tries < outbound.MAX_TRIES else j.error or "")[:200],
                    done_at,
                )
            else:
                _finish(db, call_id, {**values, "error": j.error, "next_attempt_at": j.retry_at}, None, None, done_at)
    finally:
        if own:
            client.close()
    return len(claimed)
