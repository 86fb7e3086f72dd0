"""The scheduler tick: finds the rows that are due and sends hints for them.

The broker only carries hints; a row that is due is work whatever happened to the
hint. When the tick hints a row it sets `claimed_until` (the hint lease), so the
next ticks leave it alone while a worker has it queued; once the lease runs out
(the hint was lost, or the worker died) the row is hinted again. Entries are hinted
no faster than the workers take them, under a lease that grows with the queue ahead
(backend.processing.due_entries).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from backend.models import Bonus, Communication, Event, WebhookCall
from backend.processing.due_entries import HintedEntries, hint_due_entries
from backend.segments.entries import HINT_LEASE
from backend.segments.runs import run_due_segments
from backend.services import Services

TICK_LIMIT = 20_000
CHUNK = 1_000


def _chunks(ids: list[int], size: int = CHUNK) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def lease_free(column: InstrumentedAttribute[datetime | None], now: datetime) -> ColumnElement[bool]:
    return or_(column.is_(None), column < now)


def tick(
    services: Services, *, now: datetime | None = None, hinted_entries: HintedEntries | None = None
) -> dict[str, int]:
    """`hinted_entries`: the entries the last ticks of this scheduler hinted (a loop keeps one)."""
    now = now or services.clock()
    queue = services.queue
    hinted = {"entries": 0, "events": 0}
    # Scheduled segments whose cron time came: each run creates its entries and hints them.
    hinted["segmentRuns"] = len(
        run_due_segments(services.db, queue, now, frequency_cap=services.settings.frequency_cap)
    )
    with services.db.unit_of_work() as uow:
        session = uow.session
        due_entries = hint_due_entries(
            session, now, limit=TICK_LIMIT, base_lease=HINT_LEASE, hinted=hinted_entries or HintedEntries()
        )
        # Events are hinted by trackEvents at once; the tick only picks up those whose
        # hint got lost, after a grace period so the two do not race.
        stale = now - timedelta(seconds=5)
        pending_events = list(
            session.scalars(
                select(Event.id)
                .where(Event.processed_at.is_(None), Event.received_at <= stale, lease_free(Event.claimed_until, now))
                .order_by(Event.id)
                .limit(TICK_LIMIT)
            )
        )
        # Webhook calls whose retry time came (their own lease guards the HTTP call).
        due_webhooks = list(
            session.scalars(
                select(WebhookCall.id)
                .where(
                    WebhookCall.status == "PENDING",
                    WebhookCall.next_attempt_at <= now,
                    lease_free(WebhookCall.claimed_until, now),
                )
                .limit(TICK_LIMIT)
            )
        )
        due_messages = _due_communications(session, now)
        due_bonuses = _due_bonuses(session, now)
        until = now + HINT_LEASE
        for chunk in _chunks(pending_events):
            session.execute(update(Event).where(Event.id.in_(chunk)).values(claimed_until=until))

        def send() -> None:
            for chunk in _chunks(pending_events):
                queue.process_events(chunk)
            for chunk in _chunks(due_entries):
                queue.advance_entries(chunk)
            for chunk in _chunks(due_webhooks):
                queue.call_webhooks(chunk)
            for (channel, again), ids in due_messages.items():
                for chunk in _chunks(ids):
                    queue.deliver(channel, chunk, again=again)
            for again, ids in due_bonuses.items():
                for chunk in _chunks(ids):
                    queue.grant_bonuses(chunk, again=again)

        uow.after_commit(send)
    hinted["entries"], hinted["events"] = len(due_entries), len(pending_events)
    hinted["communications"] = sum(len(ids) for ids in due_messages.values())
    return hinted


def _due_communications(session: Session, now: datetime) -> dict[tuple[str, bool], list[int]]:
    """QUEUED messages whose (re)try time came and whose hint got lost or never came.
    Fresh rows were hinted by the batch that queued them, so they get a grace period
    first. A SENDING row whose send lease ran out belongs to a worker that died
    mid-send: it goes back to QUEUED, to be sent again under the same idempotency key.
    The hint lease of a QUEUED row is its `claimed_until` (the claim ignores it); each
    update repeats its condition, so a row a worker claimed meanwhile keeps its lease,
    and only rows actually updated are hinted, by channel and lane: a row tried before
    (a dead worker's, or one whose retry time came) goes on the "again" lane, which
    the workers take before the backlog of fresh hints (a dead worker's emails waited
    behind thousands of fresh ones, minutes past their lease)."""
    c = Communication
    grace = now - timedelta(seconds=5)
    dead = [
        pk
        for (pk,) in session.execute(
            select(c.id).where(c.status == "SENDING", c.claimed_until < now).limit(TICK_LIMIT)
        ).all()
    ]
    due = [
        pk
        for (pk,) in session.execute(
            select(c.id)
            .where(
                c.status == "QUEUED", c.next_attempt_at <= now, c.queued_at <= grace, lease_free(c.claimed_until, now)
            )
            .order_by(c.next_attempt_at)
            .limit(TICK_LIMIT)
        ).all()
    ]
    hinted: dict[int, tuple[str, int]] = {}
    for chunk in _chunks(dead):
        hinted.update(
            (pk, (channel, attempts))
            for pk, channel, attempts in session.execute(
                update(c)
                .where(c.id.in_(chunk), c.status == "SENDING", c.claimed_until < now)
                .values(status="QUEUED", next_attempt_at=now, claimed_until=now + HINT_LEASE)
                .returning(c.id, c.channel, c.attempts)
            ).all()
        )
    for chunk in _chunks([pk for pk in due if pk not in hinted]):
        hinted.update(
            (pk, (channel, attempts))
            for pk, channel, attempts in session.execute(
                update(c)
                .where(c.id.in_(chunk), c.status == "QUEUED", lease_free(c.claimed_until, now))
                .values(claimed_until=now + HINT_LEASE)
                .returning(c.id, c.channel, c.attempts)
            ).all()
        )
    by_lane: dict[tuple[str, bool], list[int]] = {}
    for pk, (channel, attempts) in hinted.items():
        by_lane.setdefault((channel, attempts > 0), []).append(pk)
    return by_lane


def _due_bonuses(session: Session, now: datetime) -> dict[bool, list[int]]:
    """PENDING bonuses whose (re)try time came and whose hint got lost or never came.
    Fresh rows were hinted by whoever made them (a batch, grantBonus), so they get a
    grace period first. A claimed bonus is not due: its claim moves `next_attempt_at`
    to the end of its lease, so one whose worker died is due again once that lease ran
    out. The hint lease is `claimed_until` (the claim ignores it); the update repeats
    its condition, so a bonus a worker claimed meanwhile keeps its lease, and only
    bonuses actually updated are hinted; one tried before (its worker died, or its
    retry time came) on the "again" lane, as for messages."""
    b = Bonus
    grace = now - timedelta(seconds=5)

    def due() -> tuple[ColumnElement[bool], ...]:
        return (
            b.status == "PENDING",
            or_(b.next_attempt_at.is_(None), b.next_attempt_at <= now),
            lease_free(b.claimed_until, now),
        )

    found = [
        pk
        for (pk,) in session.execute(
            select(b.id).where(*due(), b.created_at <= grace).order_by(b.next_attempt_at).limit(TICK_LIMIT)
        ).all()
    ]
    hinted: dict[bool, list[int]] = {}
    for chunk in _chunks(found):
        for pk, attempts in session.execute(
            update(b).where(b.id.in_(chunk), *due()).values(claimed_until=now + HINT_LEASE).returning(b.id, b.attempts)
        ).all():
            hinted.setdefault(attempts > 0, []).append(pk)
    return {again: sorted(ids) for again, ids in hinted.items()}
