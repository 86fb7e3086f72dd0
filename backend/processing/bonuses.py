"""grant: PENDING bonuses go to the wallet (integrations.md), or are granted in the sandbox.

Each bonus is claimed with a lease in a short transaction before the HTTP call, so a
worker killed mid-call leaves it to be tried again under the same Idempotency-Key,
never as a new grant. `attempts` counts tries started (counted at the claim), so a
try whose worker died still counts toward the five. The wallet gets the bonus's
global ID (the `Bonus.id` the API shows) as `reference` and as `Idempotency-Key`:
one bonus row per idempotency key of ours, so one wallet key per grant.

The daily cap is checked at the first claim, under a lock on the user's row: a bonus
over it is CANCELLED and never sent. See `backend.processing.bonus_cap`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from backend import outbound
from backend.ids import encode_id
from backend.models import Bonus, BonusTemplate, EntryStep, User, utcnow
from backend.outbound import Verdict
from backend.persistence.database import Database
from backend.processing.bonus_cap import cancel_over_cap
from backend.queue import WorkQueue
from backend.settings import Settings

# The calls of one claimed chunk must end inside its lease: 4 calls of at most 10 s.
CLAIM_CHUNK = 4
LEASE = timedelta(seconds=60)


@dataclass(frozen=True)
class Claimed:
    bonus_id: int
    lease: datetime
    tries: int
    reference: str
    body: bytes


def wallet_client(timeout: float = outbound.TIMEOUT_SECONDS) -> httpx.Client:
    return httpx.Client(timeout=timeout)


def reference(bonus_id: int) -> str:
    return encode_id("Bonus", bonus_id)


def log_outcome(session: Session, bonus: Bonus, outcome: str, detail: str | None, at: datetime) -> None:
    """A journey bonus's final outcome in its entry's log (its key is entry:step:visit)."""
    if bonus.entry_id is None or bonus.journey_id is None:
        return
    _entry, _, rest = bonus.idempotency_key.partition(":")
    step_id, _, visit = rest.rpartition(":")
    session.add(EntryStep(entry_id=bonus.entry_id, journey_id=bonus.journey_id, step_id=step_id, kind="bonus",
                          visit=int(visit), entered_at=bonus.created_at, left_at=at, outcome=outcome,
                          detail=(detail or "")[:500] or None))


def _claim(db: Database, ids: list[int], now: datetime, cap: int) -> list[Claimed]:
    lease = now + LEASE
    with db.unit_of_work() as uow:
        session = uow.session
        stmt = (
            select(Bonus, BonusTemplate, User.external_id)
            .join(BonusTemplate, BonusTemplate.id == Bonus.template_id)
            .join(User, User.id == Bonus.user_id)
            .where(Bonus.id.in_(ids), Bonus.status == "PENDING",
                   or_(Bonus.next_attempt_at.is_(None), Bonus.next_attempt_at <= now),
                   or_(Bonus.claimed_until.is_(None), Bonus.claimed_until < now))
            .order_by(Bonus.id)
        )
        if db.dialect == "postgresql":
            stmt = stmt.with_for_update(of=Bonus, skip_locked=True)
        rows = session.execute(stmt).all()
        live = []
        for bonus, template, external_id in rows:
            if bonus.attempts >= outbound.MAX_TRIES:
                # The last try's worker died before it heard back: that try counts.
                error = f"after {bonus.attempts} tries: no answer"
                bonus.status, bonus.error, bonus.claimed_until = "FAILED", error, None
                log_outcome(session, bonus, "bonus_failed", error, now)
            else:
                live.append((bonus, template, external_id))
        cancelled = cancel_over_cap(session, [b for b, _, _ in live if b.attempts == 0], cap=cap, now=now)
        for bonus in cancelled:
            log_outcome(session, bonus, "bonus_failed", bonus.error, now)
        claimed = []
        for bonus, template, external_id in live:
            if bonus.status != "PENDING":
                continue  # cancelled just now
            bonus.attempts += 1
            bonus.claimed_until = lease
            ref = reference(bonus.id)
            body = json.dumps({"reference": ref, "externalId": external_id, "kind": template.kind,
                               "amount": template.amount, "currency": template.currency}).encode()
            claimed.append(Claimed(bonus.id, lease, bonus.attempts, ref, body))
        return claimed


def _finish(db: Database, claim: Claimed, values: dict, outcome: str | None, detail: str | None, at: datetime) -> None:
    """Writes the try's result, unless the lease was lost to another worker meanwhile
    (then that worker's try decides, and the outcome is logged once)."""
    with db.unit_of_work() as uow:
        session = uow.session
        done = session.execute(
            update(Bonus).where(Bonus.id == claim.bonus_id, Bonus.status == "PENDING", Bonus.claimed_until == claim.lease)
            .values(**values, claimed_until=None)
        )
        if done.rowcount and outcome:
            log_outcome(session, session.get(Bonus, claim.bonus_id), outcome, detail, at)


def _send(db: Database, client: httpx.Client, url: str, token: str | None, claim: Claimed) -> None:
    answer = outbound.post(client, url, body=claim.body, headers=outbound.provider_headers(claim.reference, token))
    done_at = utcnow()
    j = outbound.judge(answer, tries=claim.tries, now=done_at)
    if j.verdict is Verdict.DONE:
        _finish(db, claim, {"status": "GRANTED", "granted_at": done_at, "error": None},
                "bonus_granted", f"HTTP {answer.status}", done_at)
    elif j.verdict is Verdict.FAILED:
        _finish(db, claim, {"status": "FAILED", "error": j.error}, "bonus_failed", j.error, done_at)
    else:
        _finish(db, claim, {"error": j.error, "next_attempt_at": j.retry_at}, None, None, done_at)


def grant(db: Database, *, bonus_ids: list[int], queue: WorkQueue, settings: Settings | None = None,
          client: httpx.Client | None = None, now: datetime | None = None) -> int:
    """Returns how many bonuses were tried (or granted in the sandbox). Safe to run twice:
    a bonus that is not due, or leased to another worker, is left alone."""
    url = settings.wallet_url if settings else None
    token = settings.provider_token if settings else None
    cap = settings.bonus_daily_cap if settings else 0
    own = client is None and url is not None
    if own:
        client = wallet_client()
    ids = sorted(set(bonus_ids))
    handled = 0
    try:
        for i in range(0, len(ids), CLAIM_CHUNK):
            # Each chunk's lease starts when it is claimed, not when the batch began.
            for claim in _claim(db, ids[i : i + CLAIM_CHUNK], now or utcnow(), cap):
                handled += 1
                if url is None:
                    at = utcnow()
                    _finish(db, claim, {"status": "GRANTED", "granted_at": at, "error": None},
                            "bonus_granted", "sandbox", at)
                else:
                    _send(db, client, url, token, claim)
    finally:
        if own and client is not None:
            client.close()
    return handled
