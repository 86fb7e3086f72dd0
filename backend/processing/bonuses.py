"""grant: PENDING bonuses go to the wallet (integrations.md), or are granted in the sandbox.

Each bonus is claimed with a lease in a short transaction before the HTTP call, so a
worker killed mid-call leaves it to be tried again under the same Idempotency-Key,
never as a new grant. `attempts` counts tries started (counted at the claim), so a
try whose worker died still counts toward the five. The wallet gets the bonus's
global ID (the `Bonus.id` the API shows) as `reference` and as `Idempotency-Key`:
one bonus row per idempotency key of ours, so one wallet key per grant.

The bonuses are claimed a chunk at a time and the chunk's calls go out together, each
in a thread of its own, over the worker process's pooled client; their results
are recorded in one transaction. A call gets `deadline` seconds in all (httpx's
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
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from backend import outbound
from backend.ids import encode_id
from backend.models import Bonus, BonusTemplate, EntryStep, User, utcnow
from backend.outbound import Answer, Verdict
from backend.persistence import retrying
from backend.persistence.database import Database
from backend.processing.bonus_cap import cancel_over_cap
from backend.services import Services

log = logging.getLogger(__name__)

# A chunk's calls go out together, one thread each, over one pooled client; each is
# given up at the deadline (10 s), so the chunk ends well inside its lease, with the
# claim and record transactions around it.
CONCURRENCY = 16
CLAIM_CHUNK = CONCURRENCY
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


def wallet_client(timeout: float = outbound.TIMEOUT_SECONDS) -> httpx.Client:
    """A pool whose connections the chunks reuse. No bound on connections in use, so
    calls given up on that still hold one never make the next chunk's wait; a few
    chunks' worth are kept alive between calls."""
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=4 * CONCURRENCY)
    return httpx.Client(timeout=timeout, limits=limits, verify=outbound.tls_context())


_shared: list[httpx.Client] = []
_shared_lock = threading.Lock()


def shared_wallet_client() -> httpx.Client:
    """The worker process's wallet client, made at its first use and kept: every `grant`
    of the process reuses its connections. (A client a `grant` was a new connection a
    call when a journey's batch handed over a few bonuses at a time, and the wallet a
    new connection to accept for each.) Idle connections close after 5 s (httpx's
    keep-alive expiry)."""
    with _shared_lock:
        if not _shared:
            _shared.append(wallet_client())
        return _shared[0]


def reference(bonus_id: int) -> str:
    return encode_id("Bonus", bonus_id)


def log_outcome(session: Session, bonus: Bonus, outcome: str, detail: str | None, at: datetime) -> None:
    """A journey bonus's final outcome in its entry's log (its key is entry:step:visit)."""
    if bonus.entry_id is None or bonus.journey_id is None:
        return
    _entry, _, rest = bonus.idempotency_key.partition(":")
    step_id, _, visit = rest.rpartition(":")
    session.add(
        EntryStep(
            entry_id=bonus.entry_id,
            journey_id=bonus.journey_id,
            step_id=step_id,
            kind="bonus",
            visit=int(visit),
            entered_at=bonus.created_at,
            left_at=at,
            outcome=outcome,
            detail=(detail or "")[:500] or None,
        )
    )


def _claim(db: Database, ids: list[int], now: datetime, cap: int) -> list[Claimed]:
    lease = now + LEASE
    with db.unit_of_work() as uow:
        session = uow.session
        stmt = (
            select(Bonus, BonusTemplate, User.external_id)
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
            # Never sent, so nothing failed: the step was held back, as a control group's is.
            log_outcome(session, bonus, "suppressed", bonus.error, now)
        claimed = []
        for bonus, template, external_id in live:
            if bonus.status != "PENDING":
                continue  # cancelled just now
            bonus.attempts += 1
            bonus.claimed_until = bonus.next_attempt_at = lease
            ref = reference(bonus.id)
            body = json.dumps(
                {
                    "reference": ref,
                    "externalId": external_id,
                    "kind": template.kind,
                    "amount": template.amount,
                    "currency": template.currency,
                }
            ).encode()
            claimed.append(Claimed(bonus.id, lease, bonus.attempts, ref, body))
        return claimed


def record(db: Database, results: list[Result], at: datetime, *, late_detail: str = "after its lease ran out") -> None:
    """Writes each try's result as its outcome if the row still holds the try's lease;
    otherwise only a success, over a row not yet GRANTED (see the module's docstring)."""
    if not results:
        return
    with db.unit_of_work() as uow:
        session = uow.session
        stmt = select(Bonus).where(Bonus.id.in_(sorted({r.claim.bonus_id for r in results}))).order_by(Bonus.id)
        if db.dialect == "postgresql":
            stmt = stmt.with_for_update()
        rows = {b.id: b for b in session.scalars(stmt)}
        for r in results:
            bonus = rows.get(r.claim.bonus_id)
            if bonus is None:
                continue
            if bonus.status == "PENDING" and bonus.claimed_until == r.claim.lease:
                bonus.status, bonus.error, bonus.claimed_until = r.status, r.error, None
                if r.status == "PENDING":
                    bonus.next_attempt_at = r.retry_at
                elif r.status == "GRANTED":
                    bonus.granted_at = at
                if r.status != "PENDING":
                    log_outcome(
                        session, bonus, "bonus_granted" if r.status == "GRANTED" else "bonus_failed", r.detail, at
                    )
            elif r.status == "GRANTED" and bonus.status in ("PENDING", "FAILED"):
                bonus.status, bonus.error, bonus.claimed_until, bonus.granted_at = "GRANTED", None, None, at
                log_outcome(session, bonus, "bonus_granted", f"{r.detail} ({late_detail})", at)


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


class Call:
    """One wallet call in a daemon thread of its own, so the worker can stop waiting for
    it at a deadline: nothing else bounds a whole httpx call. An abandoned call holds
    neither the worker nor the process's exit; its answer, when it comes, goes to the
    callback given to `when_late`."""

    def __init__(self, send: Callable[[], Answer]):
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._answer: Answer | None = None
        self._late: Callable[[Answer], None] | None = None
        threading.Thread(target=self._run, args=(send,), daemon=True, name="questline-wallet").start()

    def _run(self, send: Callable[[], Answer]) -> None:
        try:
            answer = send()
        except Exception as exc:  # a bug must not leave the try unrecorded: it is retried under its key
            log.error("a wallet call failed unexpectedly (%s)", type(exc).__name__)
            answer = Answer(None, f"{type(exc).__name__} in the wallet call")
        with self._lock:
            self._answer, late = answer, self._late
        self._done.set()
        if late is not None:
            late(answer)

    def wait(self, until: float) -> Answer | None:
        """The answer, or None if none came by `until` (time.monotonic())."""
        self._done.wait(max(0.0, until - time.monotonic()))
        with self._lock:
            return self._answer

    def when_late(self, callback: Callable[[Answer], None]) -> None:
        """Hands the answer to `callback` when it comes (at once, if it came meanwhile)."""
        with self._lock:
            if self._answer is None:
                self._late = callback
                return
            answer = self._answer
        callback(answer)


class ClientUse:
    """Closes a client this worker made once `grant` is done with it and no call it
    stopped waiting for still runs on it (that call's answer may yet be a grant)."""

    def __init__(self, client: httpx.Client, own: bool):
        self.client, self._own = client, own
        self._lock = threading.Lock()
        self._running, self._finished = 0, False

    def hold(self) -> None:
        with self._lock:
            self._running += 1

    def release(self) -> None:
        with self._lock:
            self._running -= 1
            close = self._finished and self._running == 0
        if close:
            self._close()

    def finish(self) -> None:
        with self._lock:
            self._finished = True
            close = self._running == 0
        if close:
            self._close()

    def _close(self) -> None:
        if self._own:
            self.client.close()


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
    handled = 0
    try:
        for i in range(0, len(ids), CLAIM_CHUNK):
            # Each chunk's lease starts when it is claimed, not when the batch began.
            claims = _claim(db, ids[i : i + CLAIM_CHUNK], now or clock(), cap)
            handled += len(claims)
            if url is None or use is None:
                record_retrying(db, [Result(c, "GRANTED", detail="sandbox") for c in claims], clock())
            elif claims:
                _send_chunk(db, use, url, token, claims, deadline)
    finally:
        if use is not None:
            use.finish()
    return handled
