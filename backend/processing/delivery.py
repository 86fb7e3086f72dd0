"""deliver: the delivery actor's work for one channel, a chunk at a time.

For each chunk of communication ids:
1. claim (one short transaction): QUEUED rows whose time came become SENDING with a
   lease of their own, their try counted; rows another worker holds are skipped; a
   message over the frequency cap is SUPPRESSED, and one whose tries all began but
   never finished (its worker died each time) FAILS;
2. render each message for its user as the user is now; a user who opted out or
   lost the address since the message was queued is SUPPRESSED, a template that
   fails FAILS that one communication with the error;
3. send the chunk through the channel's adapter, outside any transaction;
4. record: each message's outcome as soon as its provider answered, in groups at
   most 100 ms apart (early_record.py), the rest at the end of the chunk: SENT, FAILED, or QUEUED again with a back-off, only on
   rows this claim still holds (same lease) and never moving a status back (a receipt
   may have come first); sent messages move their entry's progress to "Sent";
   pop-ups are published after the commit.
If the database cannot be reached at 4 (it restarts), the record is tried again for up
to a minute, so messages already sent are recorded once it is back rather than sent
again when their lease runs out. The lease is short (45 s) and renewed while the chunk is sent (lease_keeper.py).
A worker killed between 1 and 4 leaves SENDING rows whose lease runs out; the tick
puts them back to QUEUED and they are sent again under the same idempotency key, so
an idempotent provider sends each message once. A worker that comes back to record
after its lease ran out only moves a row forward (SENT, FAILED) if no later try has
finished; it never schedules a retry over another worker's try.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Row, and_, bindparam, case, func, or_, select, update
from sqlalchemy.orm import Session

from backend import outbound
from backend.delivery import caps, progress
from backend.delivery.channels import Channel, Message, ReportingChannel, Result, reports_each
from backend.delivery.notify import Notifier
from backend.delivery.render import Rendered, render_message
from backend.ids import encode_id
from backend.instruments import count_deliveries, provider_status
from backend.journeys.interpreter_steps import ADDRESS_NEEDED
from backend.models import Communication, Entry, Level, Resource, User, UTCDateTime
from backend.outbound import Verdict
from backend.persistence import retrying
from backend.persistence.database import Database
from backend.persistence.locks import lock_users
from backend.processing import lease_keeper
from backend.processing.early_record import EarlyRecord
from backend.processing.lease_keeper import LeaseKeeper
from backend.services import Services
from backend.settings import Settings

log = logging.getLogger(__name__)

CHUNK = 100
# A chunk can take longer than this (100 messages, 16 at a time, 10 s time-out each:
# 7 waves, 70 s at worst), so a thread renews the lease while it is sent
# (lease_keeper.py); a worker that died mid-send holds its messages at most this long.
LEASE = lease_keeper.LEASE
# How long the outcome of a chunk already sent is tried again while the database
# cannot be reached (a restart, a failover): inside the lease, which holds the rows
# meanwhile. Given up, the rows wait out the lease and are sent again.
RECORD_WITHIN_SECONDS = 30.0


@dataclass
class Claimed:
    id: int
    user_id: int
    entry_id: int | None
    channel: str
    tries: int
    lease: datetime
    user: User
    resource: Resource
    payload: dict[str, Any] | None
    round: int | None


@dataclass
class Outcome:
    claimed: Claimed
    status: str  # SENT, FAILED, QUEUED (retry later) or SUPPRESSED
    error: str | None = None
    rendered: Rendered | None = None
    retry_at: datetime | None = None
    provider_reference: str | None = None


def _due(now: datetime) -> Any:
    """QUEUED and its time came. (A SENDING row whose lease ran out is put back to
    QUEUED by the scheduler tick, which then hints it.)"""
    c = Communication
    return and_(c.status == "QUEUED", or_(c.next_attempt_at.is_(None), c.next_attempt_at <= now))


def claim(db: Database, channel: str, ids: list[int], now: datetime, *, cap: int = 0) -> list[Claimed]:
    c = Communication
    lease = now + LEASE
    with db.unit_of_work() as uow:
        session = uow.session
        stmt = (
            select(c.id, c.user_id, c.entry_id, c.resource_id, c.attempts)
            .where(c.id.in_(ids), c.channel == channel, _due(now))
            .order_by(c.id)
        )
        if db.dialect == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True)
        rows = session.execute(stmt).all()
        # Tries that began and never finished: its worker died mid-send every time.
        abandoned = {r.id for r in rows if r.attempts >= outbound.MAX_TRIES}
        if abandoned:
            session.execute(
                update(c)
                .where(c.id.in_(sorted(abandoned)))
                .values(
                    status="FAILED",
                    failed_at=now,
                    claimed_until=None,
                    error=f"after {outbound.MAX_TRIES} tries: none finished (the sending worker stopped each time)",
                )
            )
        rows = [r for r in rows if r.id not in abandoned]
        capped = _over_cap(session, rows, channel, now, cap) if cap and rows else set()
        if capped:
            session.execute(
                update(c)
                .where(c.id.in_(sorted(capped)))
                .values(status="SUPPRESSED", error=caps.cap_reason(cap, channel), claimed_until=None)
            )
            rows = [r for r in rows if r.id not in capped]
        if not rows:
            return []
        session.execute(
            update(c)
            .where(c.id.in_([r.id for r in rows]))
            .values(status="SENDING", claimed_until=lease, attempts=c.attempts + 1)
        )
        users = {u.id: u for u in session.scalars(select(User).where(User.id.in_({r.user_id for r in rows})))}
        resources = {
            r.id: r for r in session.scalars(select(Resource).where(Resource.id.in_({r.resource_id for r in rows})))
        }
        entry_ids = {r.entry_id for r in rows if r.entry_id is not None}
        entries = (
            {
                e.id: (e.payload, e.round)
                for e in session.execute(select(Entry.id, Entry.payload, Entry.round).where(Entry.id.in_(entry_ids)))
            }
            if entry_ids
            else {}
        )
        session.expunge_all()
    return [
        Claimed(
            id=r.id,
            user_id=r.user_id,
            entry_id=r.entry_id,
            channel=channel,
            tries=r.attempts + 1,
            lease=lease,
            user=users[r.user_id],
            resource=resources[r.resource_id],
            payload=entries.get(r.entry_id, (None, None))[0],
            round=entries.get(r.entry_id, (None, None))[1],
        )
        for r in rows
    ]


def _over_cap(
    session: Session, rows: Sequence[Row[int, int, int | None, int, int]], channel: str, now: datetime, cap: int
) -> set[int]:
    """The frequency cap where it cannot be raced: claims for one user take turns (a
    per-user lock), and each counts what the other sent today."""
    lock_users(session, f"frequency_cap:{channel}", (r.user_id for r in rows))
    used = {
        uid: counts.get(channel, 0)
        for uid, counts in caps.sent_today(
            session, (r.user_id for r in rows), now, queued_too=False, channel=channel
        ).items()
    }
    over = set()
    for r in rows:
        if used.get(r.user_id, 0) >= cap:
            over.add(r.id)
        else:
            used[r.user_id] = used.get(r.user_id, 0) + 1
    return over


def _suppression(item: Claimed) -> str | None:
    """Checked again at send time: the user may have opted out or lost the address since."""
    if item.channel in (item.user.opt_outs or ()):
        return f"opted out of {item.channel}"
    needed = ADDRESS_NEEDED.get(item.channel)
    if needed and not getattr(item.user, needed[0]):
        return needed[1]
    return None


def _settle(item: Claimed, result: Result, rendered: Rendered, now: datetime) -> Outcome:
    if result.verdict is Verdict.DONE:
        return Outcome(item, "SENT", rendered=rendered, provider_reference=result.provider_reference)
    judged = outbound.settle(result.verdict, result.error, tries=item.tries, now=now)
    if judged.verdict is Verdict.RETRY:
        return Outcome(item, "QUEUED", error=judged.error, rendered=rendered, retry_at=judged.retry_at)
    return Outcome(item, "FAILED", error=judged.error, rendered=rendered)


def _prepare(item: Claimed, levels: list[tuple[int, str]], settings: Settings) -> Outcome | Rendered:
    """The message to send, or the outcome that settles it without sending."""
    reason = _suppression(item)
    if reason:
        return Outcome(item, "SUPPRESSED", error=reason)
    try:
        rendered = render_message(item, levels=levels, settings=settings)
    except Exception as exc:  # a bug must fail one message, not hold the chunk in SENDING
        log.exception("rendering communication %s failed", item.id)
        return Outcome(item, "FAILED", error=f"internal error while rendering: {type(exc).__name__}")
    if rendered.error:
        return Outcome(item, "FAILED", error=rendered.error, rendered=rendered)
    return rendered


def _early_record(services: Services, to_send: list[tuple[Claimed, Rendered]]) -> EarlyRecord[Outcome]:
    """Each message's outcome written as soon as its provider answered (early_record.py)."""

    def settle(i: int, result: Result) -> Outcome:
        item, rendered = to_send[i]
        return _settle(item, result, rendered, services.clock())

    return EarlyRecord(settle, lambda group: record(services, group, services.clock()))


def _send(adapter: Channel, messages: list[Message], early: EarlyRecord[Outcome] | None = None) -> list[Result]:
    if not messages:
        return []
    try:
        if early is not None and reports_each(adapter):
            return cast(ReportingChannel, adapter).send_all(messages, early.told)
        return adapter.send_all(messages)
    except Exception as exc:  # an adapter's own failure: every message is tried again later
        log.exception("the %s adapter failed on a batch of %d", type(adapter).__name__, len(messages))
        return [Result(Verdict.RETRY, f"{type(exc).__name__} in the sender") for _ in messages]


def deliver(services: Services, *, channel: str, communication_ids: list[int], now: datetime | None = None) -> int:
    """Returns how many communications were claimed and handled."""
    channel = channel.upper()
    adapter, settings = services.channel(channel), services.settings
    with services.db.read() as session:
        levels = sorted((threshold, name) for threshold, name in session.execute(select(Level.threshold, Level.name)))
    handled = 0
    for start in range(0, len(communication_ids), CHUNK):
        chunk = communication_ids[start : start + CHUNK]
        claimed = claim(services.db, channel, chunk, now or services.clock(), cap=settings.frequency_cap)
        if not claimed:
            continue
        outcomes: list[Outcome] = []
        to_send: list[tuple[Claimed, Rendered]] = []
        with LeaseKeeper(services.db, services.clock, list(claimed)):
            for item in claimed:
                prepared = _prepare(item, levels, settings)
                if isinstance(prepared, Outcome):
                    outcomes.append(prepared)
                else:
                    to_send.append((item, prepared))
            early = _early_record(services, to_send)
            results = _send(adapter, [r.message(encode_id("Communication", item.id)) for item, r in to_send], early)
            early.finish()
        done_at = services.clock()
        sent = [
            _settle(item, result, rendered, done_at) for (item, rendered), result in zip(to_send, results, strict=True)
        ]
        # What was not recorded as it came (a write that failed, an adapter that tells nothing).
        record_retrying(services, outcomes + [o for i, o in enumerate(sent) if i not in early.written], done_at)
        count_deliveries(channel, _settled(outcomes, sent, results))
        handled += len(claimed)
    return handled


def _settled(unsent: list[Outcome], sent: list[Outcome], results: list[Result]) -> list[tuple[str, str]]:
    """Each outcome with the class of the provider's answer, for the delivery counters."""
    out = [(o.status, "none") for o in unsent]
    for outcome, result in zip(sent, results, strict=True):
        # A success with no code is a provider that gives none (the sandbox, pop-ups).
        out.append((outcome.status, provider_status(result.status, answered=result.verdict is not Verdict.DONE)))
    return out


def _params(o: Outcome, now: datetime) -> dict[str, Any]:
    return {
        "_id": o.claimed.id,
        "_status": o.status,
        "_error": o.error,
        "_next": o.retry_at,
        "_sent_at": now if o.status == "SENT" else None,
        "_failed_at": now if o.status == "FAILED" else None,
        "_subject": o.rendered.subject if o.rendered else None,
        "_body": o.rendered.body if o.rendered else None,
        "_to": o.rendered.to if o.rendered else None,
        "_ref": o.provider_reference,
    }


def _statements() -> tuple[Any, Any]:
    c = Communication.__table__
    when = bindparam("_sent_at", type_=UTCDateTime()), bindparam("_failed_at", type_=UTCDateTime())
    common = {
        "claimed_until": None,
        "sent_at": func.coalesce(c.c.sent_at, when[0]),
        "failed_at": func.coalesce(c.c.failed_at, when[1]),
        "subject": func.coalesce(bindparam("_subject"), c.c.subject),
        "body": func.coalesce(bindparam("_body"), c.c.body),
        "to_address": func.coalesce(bindparam("_to"), c.c.to_address),
        "provider_reference": func.coalesce(bindparam("_ref"), c.c.provider_reference),
    }
    sending = c.c.status == "SENDING"
    # The holder of the lease: its outcome, except that a status a receipt already
    # moved on (DELIVERED while the row was SENDING) stays.
    mine = (
        update(c)
        .where(c.c.id == bindparam("_id"))
        .values(
            status=case((sending, bindparam("_status")), else_=c.c.status),
            error=case((sending, bindparam("_error")), else_=c.c.error),
            next_attempt_at=bindparam("_next", type_=UTCDateTime()),
            **common,
        )
    )
    # A try that finished after its lease ran out: forward only, over a row still waiting.
    late = (
        update(c)
        .where(c.c.id == bindparam("_id"), c.c.status.in_(("QUEUED", "SENDING")))
        .values(status=bindparam("_status"), error=bindparam("_error"), next_attempt_at=None, **common)
    )
    return mine, late


def record_retrying(services: Services, outcomes: list[Outcome], now: datetime) -> None:
    """`record`, tried again while the database cannot be reached (see RECORD_WITHIN_SECONDS)."""
    retrying.while_unavailable(
        lambda: record(services, outcomes, now),
        within=RECORD_WITHIN_SECONDS,
        what=f"the outcome of {len(outcomes)} messages",
    )


def record(services: Services, outcomes: list[Outcome], now: datetime) -> None:
    if not outcomes:
        return
    c = Communication
    mine_stmt, late_stmt = _statements()
    with services.db.unit_of_work() as uow:
        stmt = (
            select(c.id, c.status, c.claimed_until)
            .where(c.id.in_(sorted(o.claimed.id for o in outcomes)))
            .order_by(c.id)
        )
        if services.db.dialect == "postgresql":
            stmt = stmt.with_for_update()
        now_held = {r.id: (r.status, r.claimed_until) for r in uow.session.execute(stmt)}
        mine, late = [], []
        for o in outcomes:
            status, lease = now_held.get(o.claimed.id, (None, None))
            if lease == o.claimed.lease:
                mine.append(o)
            elif o.status in ("SENT", "FAILED") and status in ("QUEUED", "SENDING"):
                late.append(o)
        if mine:
            uow.session.execute(mine_stmt, [_params(o, now) for o in mine])
        if late:
            uow.session.execute(late_stmt, [_params(o, now) for o in late])
        sent = [o.claimed for o in mine + late if o.status == "SENT"]
        progress.move_entries(
            uow, services.journeys, [(s.entry_id, "Sent", now) for s in sent if s.entry_id is not None]
        )
        popups = [(s.user_id, s.id) for s in sent if s.channel == "POPUP"]
        if popups:
            uow.after_commit(lambda: _publish(services.notifier, popups))


def _publish(notifier: Notifier, notes: list[tuple[int, int]]) -> None:
    try:
        notifier.publish(notes)
    except Exception as exc:  # the subscriber's next read of the database finds them
        log.warning("could not publish %d pop-up notes (%s)", len(notes), type(exc).__name__)
