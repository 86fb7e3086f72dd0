"""grant: PENDING bonuses go to the wallet (integrations.md), or are granted in the sandbox.

Each bonus is claimed with a lease in a short transaction before the HTTP call, so a
worker killed mid-call leaves it to be tried again under the same Idempotency-Key,
never as a new grant. `attempts` counts tries started (counted at the claim), so a
try whose worker died still counts toward the five. The wallet gets the bonus's
global ID (the `Bonus.id` the API shows) as `reference` and as `Idempotency-Key`:
one bonus row per idempotency key of ours, so one wallet key per grant.

The bonuses are claimed a chunk at a time and the chunk's calls go out together, each
in a thread of its own, over the worker process's pooled client; their results
are recorded in one transaction. The claim and the record are each the same few
statements whatever the chunk's size (rows read and locked in one, written in one, the
journeys' log lines inserted in one). A call gets `deadline` seconds in all (httpx's
time-out bounds each phase of a call apart, so a wallet that trickles its answer
would outlast it): at the deadline the worker stops waiting and records the try as
unanswered, to be tried again under the same key. So a chunk ends inside its lease. The lease is the ownership of the try: a result is recorded as the
try's outcome only while the row still holds the lease it was claimed with. A worker
that comes back after that (its lease ran out and another worker tried again, or the
call it stopped waiting for answered after all) only records a success: GRANTED wins
over a row still PENDING and over a FAILED, which can only have come from a later try
(or from the claim that gave this try up for dead), because the wallet did grant it.
Any other late answer writes nothing: the try that holds the row now decides.

The daily cap is checked at the first claim, under a per-user advisory lock: a bonus
over it is CANCELLED and never sent. See `backend.processing.bonus_cap`.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import bindparam, insert, or_, select, update
from sqlalchemy.orm import Session

from backend import outbound
from backend.ids import encode_id
from backend.models import Bonus, BonusTemplate, EntryStep, User, UTCDateTime, utcnow
from backend.outbound import Answer, Verdict
from backend.persistence import retrying
from backend.persistence.database import Database
from backend.processing.bonus_cap import cancel_over_cap, cap_reason
from backend.processing.wallet_calls import CONCURRENCY, Call, ClientUse, shared_wallet_client
from backend.services import Services

log = logging.getLogger(__name__)

# A chunk's calls go out together, one thread each, over one pooled client; each is
# given up at the deadline (10 s), so the chunk ends well inside its lease, with the
# claim and record transactions around it.
CLAIM_CHUNK = CONCURRENCY
# Without a wallet no call bounds a chunk: the sandbox grants a message's bonuses in
# chunks as big as a claim's few statements take.
SANDBOX_CHUNK = 500
LEASE = timedelta(seconds=60)
# How long the outcome of calls already made is tried again while the database cannot
# be reached (a restart): inside the lease, past the calls' deadline.
RECORD_WITHIN_SECONDS = 30.0


@dataclass(frozen=True)
class Claimed:
    bonus_id: int
    lease: datetime
    tries: int
    reference: str
    body: bytes


@dataclass(frozen=True)
class Result:
    """What one try says: GRANTED or FAILED (final), or PENDING (tried again at `retry_at`)."""

    claim: Claimed
    status: str
    error: str | None = None
    retry_at: datetime | None = None
    detail: str | None = None  # a final outcome's line in a journey's log


def reference(bonus_id: int) -> str:
    return encode_id("Bonus", bonus_id)


# The columns a final outcome's line in the entry's log is made of.
_LOGGED = (Bonus.entry_id, Bonus.journey_id, Bonus.idempotency_key, Bonus.created_at)


@dataclass(frozen=True)
class _Held:
    """What a row holds that a try's result may change."""

    status: str
    error: str | None
    claimed_until: datetime | None
    next_attempt_at: datetime | None
    granted_at: datetime | None


def step_line(bonus: Any, outcome: str, detail: str | None, at: datetime) -> dict[str, Any] | None:
    """A journey bonus's final outcome as a line of its entry's log (its key is
    entry:step:visit); None for a bonus of no journey. `bonus` has the columns of `_LOGGED`."""
    if bonus.entry_id is None or bonus.journey_id is None:
        return None
    _entry, _, rest = bonus.idempotency_key.partition(":")
    step_id, _, visit = rest.rpartition(":")
    return {
        "entry_id": bonus.entry_id,
        "journey_id": bonus.journey_id,
        "step_id": step_id,
        "kind": "bonus",
        "visit": int(visit),
        "entered_at": bonus.created_at,
        "left_at": at,
        "outcome": outcome,
        "detail": (detail or "")[:500] or None,
    }


def log_outcomes(session: Session, lines: list[dict[str, Any] | None]) -> None:
    """The lines, in their order, in one statement."""
    rows = [line for line in lines if line is not None]
    if rows:
        session.execute(insert(EntryStep.__table__), rows)


def _row_update(**values: Any) -> Any:
    b = Bonus.__table__
    return update(b).where(b.c.id == bindparam("_id")).values(**values)


def _due_rows(ids: list[int], now: datetime, dialect: str) -> Any:
    stmt = (
        select(
            Bonus.id,
            Bonus.user_id,
            Bonus.attempts,
            *_LOGGED,
            BonusTemplate.kind,
            BonusTemplate.amount,
            BonusTemplate.currency,
            User.external_id,
        )
        .join(BonusTemplate, BonusTemplate.id == Bonus.template_id)
        .join(User, User.id == Bonus.user_id)
        # Not `claimed_until`: besides a claim's lease it holds the tick's hint lease,
        # which must not hold the claim of the hint it sent. A claimed bonus is not
        # due until its lease ends (below).
        .where(
            Bonus.id.in_(ids),
            Bonus.status == "PENDING",
            or_(Bonus.next_attempt_at.is_(None), Bonus.next_attempt_at <= now),
        )
        .order_by(Bonus.id)
    )
    return stmt.with_for_update(of=Bonus, skip_locked=True) if dialect == "postgresql" else stmt


def _fail_abandoned(session: Session, rows: list[Any], now: datetime) -> list[dict[str, Any] | None]:
    """The last try's worker died before it heard back: that try counts, and was the last."""
    if not rows:
        return []
    errors = {r.id: f"after {r.attempts} tries: no answer" for r in rows}
    session.execute(
        _row_update(status="FAILED", error=bindparam("_error"), claimed_until=None),
        [{"_id": pk, "_error": error} for pk, error in errors.items()],
    )
    return [step_line(r, "bonus_failed", errors[r.id], now) for r in rows]


def _claimed(row: Any, lease: datetime) -> Claimed:
    ref = reference(row.id)
    body = json.dumps(
        {
            "reference": ref,
            "externalId": row.external_id,
            "kind": row.kind,
            "amount": row.amount,
            "currency": row.currency,
        }
    ).encode()
    return Claimed(row.id, lease, row.attempts + 1, ref, body)


def _claim(db: Database, ids: list[int], now: datetime, cap: int) -> list[Claimed]:
    """The chunk's due bonuses, leased to this worker with their try counted, in the same
    few statements whatever the chunk's size."""
    lease = now + LEASE
    with db.unit_of_work() as uow:
        session = uow.session
        rows = session.execute(_due_rows(ids, now, db.dialect)).all()
        live = [r for r in rows if r.attempts < outbound.MAX_TRIES]
        lines = _fail_abandoned(session, [r for r in rows if r.attempts >= outbound.MAX_TRIES], now)
        fresh = [(r.id, r.user_id) for r in live if r.attempts == 0]
        cancelled = set(cancel_over_cap(session, fresh, cap=cap, now=now))
        # Never sent, so nothing failed: the step was held back, as a control group's is.
        lines += [step_line(r, "suppressed", cap_reason(cap), now) for r in live if r.id in cancelled]
        claimed = [r for r in live if r.id not in cancelled]
        if claimed:
            session.execute(
                update(Bonus)
                .where(Bonus.id.in_([r.id for r in claimed]))
                .values(attempts=Bonus.attempts + 1, claimed_until=lease, next_attempt_at=lease)
                .execution_options(synchronize_session=False)
            )
        log_outcomes(session, lines)
        return [_claimed(r, lease) for r in claimed]


def _outcome(held: _Held, r: Result, at: datetime, late_detail: str) -> tuple[_Held, str, str | None] | None:
    """What the result makes of the row (and the outcome and detail of its log line, if
    final), or None if it writes nothing."""
    if held.status == "PENDING" and held.claimed_until == r.claim.lease:
        now_held = replace(
            held,
            status=r.status,
            error=r.error,
            claimed_until=None,
            next_attempt_at=r.retry_at if r.status == "PENDING" else held.next_attempt_at,
            granted_at=at if r.status == "GRANTED" else held.granted_at,
        )
        outcome = {"GRANTED": "bonus_granted", "FAILED": "bonus_failed"}.get(r.status, "")
        return now_held, outcome, r.detail
    if r.status == "GRANTED" and held.status in ("PENDING", "FAILED"):
        now_held = replace(held, status="GRANTED", error=None, claimed_until=None, granted_at=at)
        return now_held, "bonus_granted", f"{r.detail} ({late_detail})"
    return None


_RECORD = _row_update(
    status=bindparam("_status"),
    error=bindparam("_error"),
    claimed_until=None,
    next_attempt_at=bindparam("_next", type_=UTCDateTime()),
    granted_at=bindparam("_granted", type_=UTCDateTime()),
)


def _record_params(pk: int, h: _Held) -> dict[str, Any]:
    return {"_id": pk, "_status": h.status, "_error": h.error, "_next": h.next_attempt_at, "_granted": h.granted_at}


def record(db: Database, results: list[Result], at: datetime, *, late_detail: str = "after its lease ran out") -> None:
    """Writes each try's result as its outcome if the row still holds the try's lease;
    otherwise only a success, over a row not yet GRANTED (see the module's docstring).
    The rows are read and locked in one statement, written in one, and their journeys'
    lines logged in one."""
    if not results:
        return
    with db.unit_of_work() as uow:
        session = uow.session
        b = Bonus
        stmt = (
            select(b.id, b.status, b.error, b.claimed_until, b.next_attempt_at, b.granted_at, *_LOGGED)
            .where(b.id.in_(sorted({r.claim.bonus_id for r in results})))
            .order_by(b.id)
        )
        if db.dialect == "postgresql":
            stmt = stmt.with_for_update()
        rows = {row.id: row for row in session.execute(stmt)}
        held = {
            pk: _Held(r.status, r.error, r.claimed_until, r.next_attempt_at, r.granted_at) for pk, r in rows.items()
        }
        written: dict[int, _Held] = {}
        lines = []
        for r in results:
            pk = r.claim.bonus_id
            change = _outcome(held[pk], r, at, late_detail) if pk in held else None
            if change is None:
                continue
            held[pk] = written[pk] = change[0]
            if change[1]:
                lines.append(step_line(rows[pk], change[1], change[2], at))
        if written:
            session.execute(_RECORD, [_record_params(pk, h) for pk, h in written.items()])
        log_outcomes(session, lines)


def record_retrying(db: Database, results: list[Result], at: datetime) -> None:
    """`record`, tried again while the database cannot be reached: the wallet has
    answered, and given up, the bonuses would wait out their lease and be sent again."""
    retrying.while_unavailable(
        lambda: record(db, results, at), within=RECORD_WITHIN_SECONDS, what=f"the outcome of {len(results)} bonuses"
    )


def result_of(claim: Claimed, answer: Answer | None, *, deadline: float, at: datetime) -> Result:
    """One try's answer (None: none came before the deadline) judged by the protocol."""
    if answer is None:
        answer = Answer(None, f"no answer within {deadline:g} s")
    j = outbound.judge(answer, tries=claim.tries, now=at)
    if j.verdict is Verdict.DONE:
        return Result(claim, "GRANTED", detail=f"HTTP {answer.status}")
    if j.verdict is Verdict.FAILED:
        return Result(claim, "FAILED", error=j.error, detail=j.error)
    return Result(claim, "PENDING", error=j.error, retry_at=j.retry_at)


def _late_answer(db: Database, claim: Claimed, deadline: float, use: ClientUse) -> Callable[[Answer], None]:
    """What to do with the answer of a call the worker stopped waiting for: only a
    success is recorded (forward only); any other answer leaves the retry as it is."""

    def callback(answer: Answer) -> None:
        try:
            if outbound.classify(answer) is Verdict.DONE:
                at = utcnow()
                record(
                    db,
                    [result_of(claim, answer, deadline=deadline, at=at)],
                    at,
                    late_detail="after the worker stopped waiting",
                )
        except Exception as exc:  # the retry under the same key learns the outcome from the wallet
            log.error("could not record the late answer for bonus %s (%s)", claim.bonus_id, type(exc).__name__)
        finally:
            use.release()

    return callback


def _send_chunk(
    db: Database, use: ClientUse, url: str, token: str | None, claims: list[Claimed], deadline: float
) -> None:
    """The chunk's calls at once; the answers that came by the deadline are recorded in
    one transaction, the others as unanswered (and their success, if it comes, later)."""

    def post(c: Claimed) -> Callable[[], outbound.Answer]:
        return lambda: outbound.post(
            use.client, url, body=c.body, headers=outbound.provider_headers(c.reference, token)
        )

    calls = [Call(post(c)) for c in claims]
    until = time.monotonic() + deadline
    answers = [call.wait(until) for call in calls]
    at = utcnow()
    results = [result_of(c, a, deadline=deadline, at=at) for c, a in zip(claims, answers, strict=True)]
    record_retrying(db, results, at)
    for claim, call, answer in zip(claims, calls, answers, strict=True):
        if answer is None:
            use.hold()
            call.when_late(_late_answer(db, claim, deadline, use))


def grant(
    services: Services,
    *,
    bonus_ids: list[int],
    client: httpx.Client | None = None,
    now: datetime | None = None,
    deadline: float = outbound.TIMEOUT_SECONDS,
) -> int:
    """Returns how many bonuses were tried (or granted in the sandbox). Safe to run twice:
    a bonus that is not due, or leased to another worker, is left alone. `deadline` is
    the seconds a call gets in all, the contract's time-out."""
    db, settings, clock = services.db, services.settings, services.clock
    url, token, cap = settings.wallet_url, settings.provider_token, settings.bonus_daily_cap
    use = (
        ClientUse(client, own=False)
        if client is not None
        else (ClientUse(shared_wallet_client(), own=False) if url is not None else None)
    )
    ids = sorted(set(bonus_ids))
    chunk = CLAIM_CHUNK if url is not None else SANDBOX_CHUNK
    handled = 0
    try:
        for i in range(0, len(ids), chunk):
            # Each chunk's lease starts when it is claimed, not when the batch began.
            claims = _claim(db, ids[i : i + chunk], now or clock(), cap)
            handled += len(claims)
            if url is None or use is None:
                record_retrying(db, [Result(c, "GRANTED", detail="sandbox") for c in claims], clock())
            elif claims:
                _send_chunk(db, use, url, token, claims, deadline)
    finally:
        if use is not None:
            use.finish()
    return handled
