"""advance_entries: moves due entries (timers fired, newly active) in one transaction per batch."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import update

from backend.dialect import one_of
from backend.gamification.badges import award_badges
from backend.journeys.interpreter import advance, stop
from backend.journeys.loading import claim_entries
from backend.journeys.rows import entry_row, state_of, step_row
from backend.journeys.state import Due, StepLogged, user_after
from backend.models import Entry
from backend.persistence.database import UnitOfWork
from backend.persistence.plan import WritePlan
from backend.processing.collect import collect
from backend.processing.context import BatchContext
from backend.processing.delivery import deliver
from backend.processing.isolation import describe, run_isolated
from backend.processing.writer import Written, write_plan
from backend.services import Services

log = logging.getLogger(__name__)


def send_follow_ups(uow: UnitOfWork, services: Services, written: Written) -> None:
    """After the commit: hints for the delivery, wallet and webhook queues. Pop-ups are
    sent here and now: sending one is a few statements and a note, no outside call, and
    skipping a trip through the broker is most of the time from a player's event to the
    pop-up."""

    def send() -> None:
        queue = services.queue
        for channel, ids in written.communication_ids.items():
            if channel == "POPUP":
                _send_popups(services, ids)
            else:
                queue.deliver(channel, ids)
        if written.bonus_ids:
            queue.grant_bonuses(written.bonus_ids)
        if written.webhook_ids:
            queue.call_webhooks(written.webhook_ids)

    uow.after_commit(send)


def _send_popups(services: Services, ids: list[int]) -> None:
    try:
        deliver(services, channel="POPUP", communication_ids=ids)
    except Exception:  # the delivery actor takes them instead
        log.warning(
            "sending %d pop-ups with their batch failed; handing them to the delivery queue",
            len(ids),
            exc_info=log.isEnabledFor(logging.DEBUG),
        )
        services.queue.deliver("POPUP", ids)


def advance_entries(services: Services, *, entry_ids: list[int], now: datetime | None = None) -> int:
    """Returns how many entries moved. Rows locked by another worker are skipped; a
    crash before the commit leaves every row as it was, still due, so nothing is lost
    and nothing is written twice. An entry whose batch cannot be written without it
    is FAILED on its own (backend.processing.isolation)."""
    at = now or services.clock()
    result = run_isolated(lambda ids: _advance(services, ids, at), sorted(set(entry_ids)))
    if result.poisoned:
        fail_entries(services, result.poisoned, at)
    return result.handled


def _advance(services: Services, entry_ids: list[int], now: datetime) -> int:
    with services.db.unit_of_work() as uow:
        rows = claim_entries(uow.session, entry_ids, now)
        skipped = set(entry_ids) - {r.id for r in rows}
        if skipped:
            uow.after_commit(lambda: release_hint_leases(services, sorted(skipped)))
        if not rows:
            return 0
        ctx = BatchContext(uow.session, services.settings, now, services.journeys)
        compiled = {(r.journey_id, r.version): ctx.journey(r.journey_id, r.version) for r in rows}
        aggregates = {spec for j in compiled.values() for spec in j.aggregates}
        ctx.load_users({r.user_id for r in rows}, aggregates)
        plan = WritePlan()
        for row in rows:
            journey = compiled[(row.journey_id, row.version)]
            state, effects = advance(
                state_of(row), journey, ctx.users[row.user_id], now=now, stimulus=Due(), env=ctx.env
            )
            # A later entry of the same user in this batch sees what this one changed (sends, points).
            user = ctx.users[row.user_id] = user_after(ctx.users[row.user_id], effects, ctx.env.levels)
            collect(plan, ctx, state, effects, user, now)
        written = write_plan(uow, plan)
        award_badges(uow.session, changes=written.changed, now=now)
        send_follow_ups(uow, services, written)
        return len(rows)


def release_hint_leases(services: Services, entry_ids: list[int]) -> None:
    """Hinted entries this batch did not claim: locked by another transaction at that
    moment (a delivery moving their progress, another batch), or not due. Their hint
    lease is lifted so the next tick hints those still due again, about a second later,
    rather than once the lease runs out (30 s). Run after the batch's commit, holding no
    lock; an entry another worker moved is hinted only if it is still due. Lifting a
    lease changes nothing of the entry, so its `updated_at` stays as it was."""
    with services.db.unit_of_work() as uow:
        uow.session.execute(
            update(Entry)
            .where(one_of(uow.session, Entry.id, entry_ids))
            .values(claimed_until=None, updated_at=Entry.updated_at),
            execution_options={"synchronize_session": False},
        )


def fail_entries(services: Services, errors: Mapping[int, Exception], now: datetime) -> None:
    """Entries that could not be written with their batch, FAILED with the error in
    their log and blockedReason (those still due: another worker may have moved one)."""
    with services.db.unit_of_work() as uow:
        plan = WritePlan()
        for row in claim_entries(uow.session, list(errors), now):
            reason = f"could not be written: {describe(errors[row.id])}"
            log.error("entry %s failed: %s", row.id, reason)
            state = stop(state_of(row), now=now, status="FAILED", reason=reason)
            sid = row.current_step_id
            step = services.journeys.version(uow.session, row.journey_id, row.version).step(sid)
            line = StepLogged(sid or "-", step.kind if step else "engine", None, 1, "failed", now, now, reason)
            plan.entry_updates[row.id] = entry_row(state, now)
            plan.step_rows.append(step_row(state, line))
        write_plan(uow, plan)
