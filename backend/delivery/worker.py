"""deliver: the delivery actor's work for one channel, a chunk at a time.

For each chunk of communication ids:
1. claim (one short transaction): QUEUED rows whose time came become SENDING with a
   lease, their try counted; rows another worker holds are skipped; a message over
   the frequency cap is SUPPRESSED;
2. render each message for its user as the user is now; a user who opted out or
   lost the address since the message was queued is SUPPRESSED, a template that
   fails FAILS that one communication with the error;
3. send the chunk through the channel's adapter, outside any transaction;
4. record (one transaction): SENT, FAILED, or QUEUED again with a back-off, never
   moving a status back (a receipt may have come first); sent messages move their
   entry's progress to "Sent"; pop-ups are published after the commit.
A worker killed between 1 and 4 leaves SENDING rows whose lease runs out; the tick
puts them back to QUEUED and they are sent again under the same idempotency key, so
an idempotent provider sends each message once.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, case, func, or_, select, update

from backend import outbound
from backend.delivery import progress
from backend.delivery.channels import Channel, Message, Result
from backend.delivery.render import Rendered, render_message
from backend.delivery.senders import channel_for
from backend.ids import encode_id
from backend.journeys.interpreter_steps import ADDRESS_NEEDED
from backend.models import Communication, Entry, Level, Resource, User, utcnow
from backend.outbound import Verdict
from backend.persistence.database import Database
from backend.queue import WorkQueue
from backend.settings import Settings

log = logging.getLogger(__name__)

CHUNK = 200
# Longer than a chunk can take (200 messages at 32 at a time, 10 s time-out each).
LEASE = timedelta(seconds=120)


@dataclass
class Claimed:
    id: int
    user_id: int
    entry_id: int | None
    channel: str
    tries: int
    user: Any
    resource: Any
    payload: dict | None
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
    with db.unit_of_work() as uow:
        session = uow.session
        stmt = (select(c.id, c.user_id, c.entry_id, c.resource_id, c.attempts)
                .where(c.id.in_(ids), c.channel == channel, _due(now)).order_by(c.id))
        if db.dialect == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True)
        rows = session.execute(stmt).all()
        capped = _over_cap(db, session, rows, channel, now, cap) if cap else set()
        if capped:
            session.execute(update(c).where(c.id.in_(sorted(capped))).values(
                status="SUPPRESSED", error=f"frequency cap: {cap} {channel} messages a day", claimed_until=None))
            rows = [r for r in rows if r.id not in capped]
        if not rows:
            return []
        session.execute(update(c).where(c.id.in_([r.id for r in rows]))
                        .values(status="SENDING", claimed_until=now + LEASE, attempts=c.attempts + 1))
        users = {u.id: u for u in session.scalars(select(User).where(User.id.in_({r.user_id for r in rows})))}
        resources = {r.id: r for r in session.scalars(select(Resource).where(Resource.id.in_({r.resource_id for r in rows})))}
        entry_ids = {r.entry_id for r in rows if r.entry_id is not None}
        entries = {e.id: (e.payload, e.round) for e in session.execute(
            select(Entry.id, Entry.payload, Entry.round).where(Entry.id.in_(entry_ids)))} if entry_ids else {}
        session.expunge_all()
    return [Claimed(id=r.id, user_id=r.user_id, entry_id=r.entry_id, channel=channel, tries=r.attempts + 1,
                    user=users[r.user_id], resource=resources[r.resource_id],
                    payload=entries.get(r.entry_id, (None, None))[0], round=entries.get(r.entry_id, (None, None))[1])
            for r in rows]


def _over_cap(db: Database, session: Any, rows: list[Any], channel: str, now: datetime, cap: int) -> set[int]:
    """The frequency cap, checked where it cannot be raced: the journeys check it when
    they queue a message, but two batches for one user may run at once. Here the
    users' rows are locked, so claims for one user take turns and each sees what the
    other sent today."""
    user_ids = sorted({r.user_id for r in rows})
    if db.dialect == "postgresql":
        session.execute(select(User.id).where(User.id.in_(user_ids)).order_by(User.id).with_for_update())
    c = Communication
    since = now.replace(hour=0, minute=0, second=0, microsecond=0)
    used = dict(session.execute(
        select(c.user_id, func.count()).where(c.user_id.in_(user_ids), c.channel == channel, c.queued_at >= since,
                                              c.status.in_(("SENDING", "SENT", "DELIVERED")))
        .group_by(c.user_id)).all())
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


def deliver(db: Database, *, channel: str, communication_ids: list[int], queue: WorkQueue,
            settings: Settings | None = None, notifier: Any = None, sender: Channel | None = None,
            now: datetime | None = None) -> int:
    """Returns how many communications were claimed and handled."""
    from backend.delivery.notify import notifier_for

    channel = channel.upper()
    handled = 0
    for start in range(0, len(communication_ids), CHUNK):
        chunk = communication_ids[start : start + CHUNK]
        claimed = claim(db, channel, chunk, now or utcnow(), cap=settings.frequency_cap if settings else 0)
        if not claimed:
            continue
        outcomes: list[Outcome] = []
        to_send: list[tuple[Claimed, Message, Rendered]] = []
        levels = _levels(db)
        for item in claimed:
            reason = _suppression(item)
            if reason:
                outcomes.append(Outcome(item, "SUPPRESSED", error=reason))
                continue
            rendered = render_message(item, levels=levels, settings=settings)
            if rendered.error:
                outcomes.append(Outcome(item, "FAILED", error=rendered.error, rendered=rendered))
                continue
            to_send.append((item, rendered.message(encode_id("Communication", item.id)), rendered))
        adapter = sender or channel_for(channel, settings)
        results = adapter.send_all([m for _, m, _ in to_send]) if to_send else []
        done_at = utcnow()
        outcomes += [_settle(item, result, rendered, done_at) for (item, _, rendered), result in zip(to_send, results)]
        record(db, outcomes, done_at, notifier if notifier is not None else notifier_for(settings, db))
        handled += len(claimed)
    return handled


def _levels(db: Database) -> list[tuple[int, str]]:
    with db.read() as session:
        return sorted(session.execute(select(Level.threshold, Level.name)).all())


def record(db: Database, outcomes: list[Outcome], now: datetime, notifier: Any) -> None:
    if not outcomes:
        return
    c = Communication.__table__
    sending = c.c.status == "SENDING"
    only_if_sending = lambda column, value: case((sending, value), else_=column)  # noqa: E731
    stmt = update(c).where(c.c.id == bindparam("_id")).values(
        status=only_if_sending(c.c.status, bindparam("_status")),
        error=only_if_sending(c.c.error, bindparam("_error")),
        next_attempt_at=bindparam("_next"),
        claimed_until=None,
        sent_at=func.coalesce(c.c.sent_at, bindparam("_sent_at")),
        failed_at=func.coalesce(c.c.failed_at, bindparam("_failed_at")),
        subject=func.coalesce(bindparam("_subject"), c.c.subject),
        body=func.coalesce(bindparam("_body"), c.c.body),
        to_address=func.coalesce(bindparam("_to"), c.c.to_address),
        provider_reference=func.coalesce(bindparam("_ref"), c.c.provider_reference),
    )
    params = [{
        "_id": o.claimed.id, "_status": o.status, "_error": o.error, "_next": o.retry_at,
        "_sent_at": now if o.status == "SENT" else None, "_failed_at": now if o.status == "FAILED" else None,
        "_subject": o.rendered.subject if o.rendered else None, "_body": o.rendered.body if o.rendered else None,
        "_to": o.rendered.to if o.rendered else None, "_ref": o.provider_reference,
    } for o in outcomes]
    sent = [o.claimed for o in outcomes if o.status == "SENT"]
    with db.unit_of_work() as uow:
        uow.session.execute(stmt, params)
        progress.move_entries(db, uow, [(s.entry_id, "Sent", now) for s in sent if s.entry_id is not None])
        popups = [(s.user_id, s.id) for s in sent if s.channel == "POPUP"]
        if popups:
            uow.after_commit(lambda: _publish(notifier, popups))


def _publish(notifier: Any, notes: list[tuple[int, int]]) -> None:
    try:
        notifier.publish(notes)
    except Exception as exc:  # the subscriber's next read of the database finds them
        log.warning("could not publish %d pop-up notes (%s)", len(notes), type(exc).__name__)
