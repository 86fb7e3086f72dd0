"""The first step of new entries, set-based: a send, then a wait of fixed seconds or the end.

Entries created in bulk at a journey's start step (a scheduled segment run) would each
go through the interpreter for the same few writes: a communication (QUEUED, or
SUPPRESSED with its reason), a step-log line, and the entry at the following wait. When
the start step has this shape, those writes are statements over the whole set instead,
on PostgreSQL, writing exactly what the interpreter writes (backend.journeys
.interpreter_steps `_send`, `suppression`, `_wait`; backend.processing.collect):

- the suppression reasons in the interpreter's order: control group, opted out of the
  channel, no address for it, the frequency cap counting today's messages (queued and
  gone out, as the batch context counts them);
- the step log line of the send (`sent` with "<CHANNEL> queued", or `suppressed` with
  the reason), entered and left at the time of the pass;
- the entry WAITING at the wait, woken `seconds` later, its visits counting both steps;
  or, when nothing follows the send, COMPLETED ("completed") at the send.

Anything else keeps the batch path (`first_send_of` says None): quiet hours (they hold a
send per user's time zone), a wait until a wall-clock time, another kind of step after the send,
a resource the journey may not send (the interpreter fails those entries), SQLite.

Input is the ids of entries of one journey version just written: inserted already past
the send (`entry_after`: an event batch, backend.processing.first_sends), or at the
start step and then moved (`move_past_send`: a segment run, whose entries are committed
first).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from backend.delivery.addresses import ADDRESS
from backend.delivery.caps import WENT_OUT, cap_reason, day_start
from backend.journeys import timing
from backend.journeys.definition import CompiledJourney
from backend.journeys.interpreter_steps import ADDRESS_NEEDED
from backend.journeys.resources import JourneyResources
from backend.journeys.steps import Send, Wait
from backend.queue import WorkQueue

# Communications are hinted to delivery this many ids a message, as the engine's batches do.
DELIVERY_CHUNK = 1_000


@dataclass(frozen=True)
class FirstSend:
    """A journey version whose start step is a send, then a wait of fixed seconds or nothing."""

    journey_id: int
    send: Send
    wait: Wait | None
    resource_id: int
    channel: str
    frequency_cap: int

    def entry_after(self, now: datetime) -> dict[str, Any]:
        """The entry's fields once the pass is over (entry_row's values for them;
        claimed_until lifted): WAITING at the wait, or COMPLETED at the send."""
        if self.wait is None:
            return {
                "status": "COMPLETED",
                "current_step_id": self.send.id,
                "step_entered_at": now,
                "wake_at": None,
                "waiting_event": None,
                "blocked_reason": None,
                "stopped_at": now,
                "stop_reason": "completed",
                "visits": {self.send.id: 1},
                "claimed_until": None,
                "updated_at": now,
            }
        wake = now + timedelta(seconds=self.wait.seconds)
        return {
            "status": "WAITING",
            "current_step_id": self.wait.id,
            "step_entered_at": now,
            "wake_at": wake,
            "waiting_event": None,
            "blocked_reason": f"waiting until {timing.fmt(wake)}",
            "stopped_at": None,
            "stop_reason": None,
            "visits": {self.send.id: 1, self.wait.id: 1},
            "claimed_until": None,
            "updated_at": now,
        }


def first_send_of(
    session: Session,
    journey: CompiledJourney,
    journey_id: int,
    frequency_cap: int,
    resources: JourneyResources | None = None,
) -> FirstSend | None:
    """The set-based shape of this journey version's first step, or None for the batch
    path. `resources`: the caller's, when it has read them already (a batch's)."""
    if session.get_bind().dialect.name != "postgresql" or journey.quiet_hours is not None:
        return None
    send = journey.step(journey.start)
    if not isinstance(send, Send):
        return None
    wait = journey.step(send.next) if send.next is not None else None
    if send.next is not None and (not isinstance(wait, Wait) or wait.until is not None):
        return None
    assert wait is None or isinstance(wait, Wait)
    # The resource as the batch finds it: among those open to the journey, by name or id.
    found = (resources or JourneyResources(session))[journey_id].get(send.resource)
    if found is None:
        return None  # the interpreter fails these entries at the send: the batch path does it
    return FirstSend(journey_id, send, wait, found[0], found[1], frequency_cap or 0)


def _reason_sql(plan: FirstSend) -> str:
    """suppression(), as one CASE over the entry (e) and the user (u)."""
    cases = [
        "WHEN e.in_control_group THEN 'control group'",
        "WHEN u.opt_outs @> jsonb_build_array(CAST(:channel AS text)) THEN :opted_out",
    ]
    needed = ADDRESS_NEEDED.get(plan.channel)
    if needed:
        cases.append(f"WHEN COALESCE(u.{needed[0]}, '') = '' THEN :no_address")
    if plan.frequency_cap:
        statuses = ", ".join(f"'{s}'" for s in (*WENT_OUT, "QUEUED"))
        cases.append(
            "WHEN (SELECT count(*) FROM communications t WHERE t.user_id = e.user_id AND t.channel = :channel "
            f"AND t.queued_at >= :day AND t.status IN ({statuses})) >= :cap THEN :capped"
        )
    return f"CASE {' '.join(cases)} END"


def write_first_sends(session: Session, plan: FirstSend, entry_ids: list[int], now: datetime) -> dict[str, list[int]]:
    """The communications and step-log lines of these entries' first send (entries of
    `plan`'s journey, just created); the QUEUED communications' ids by channel. One
    statement: the communications, and the log lines from what was inserted. The ids
    are joined as a set (`unnest`): `id = ANY(array)` tests each row against the whole
    array, quadratic in the run's size when the planner scans."""
    if not entry_ids:
        return {}
    address = ADDRESS.get(plan.channel, "external_id")
    sql = f"""
        WITH picked AS (
            SELECT e.id AS entry_id, e.user_id, e.journey_id, u.{address} AS to_address, {_reason_sql(plan)} AS reason
            FROM unnest(CAST(:ids AS bigint[])) AS n(id)
            JOIN entries e ON e.id = n.id JOIN users u ON u.id = e.user_id
        ), sent AS (
            INSERT INTO communications (idempotency_key, user_id, resource_id, journey_id, entry_id, step_id,
                channel, status, error, to_address, queued_at, next_attempt_at, attempts, open_count, click_count)
            SELECT CAST(entry_id AS text) || :key_tail, user_id, :resource, journey_id, entry_id, :send,
                :channel, CASE WHEN reason IS NULL THEN 'QUEUED' ELSE 'SUPPRESSED' END, reason, to_address,
                :now, CASE WHEN reason IS NULL THEN CAST(:now AS timestamptz) END, 0, 0, 0
            FROM picked ORDER BY entry_id
            RETURNING id, entry_id, journey_id, status, error
        ), logged AS (
            INSERT INTO entry_steps (entry_id, journey_id, step_id, kind, name, visit, entered_at, left_at,
                outcome, detail)
            SELECT entry_id, journey_id, :send, 'send', :name, 1, :now, :now,
                CASE WHEN error IS NULL THEN 'sent' ELSE 'suppressed' END, COALESCE(error, :queued)
            FROM sent ORDER BY entry_id
        )
        SELECT id FROM sent WHERE status = 'QUEUED' ORDER BY id
    """
    needed = ADDRESS_NEEDED.get(plan.channel)
    params: dict[str, Any] = {
        "ids": entry_ids,
        "key_tail": f":{plan.send.id}:1",
        "resource": plan.resource_id,
        "send": plan.send.id,
        "name": plan.send.name,
        "channel": plan.channel,
        "now": now,
        "day": day_start(now),
        "cap": plan.frequency_cap,
        "opted_out": f"opted out of {plan.channel}",
        "no_address": needed[1] if needed else None,
        "capped": cap_reason(plan.frequency_cap, plan.channel),
        "queued": f"{plan.channel} queued",
    }
    queued = list(session.scalars(text(sql), params))
    return {plan.channel: queued} if queued else {}


def move_past_send(session: Session, plan: FirstSend, entry_ids: list[int], now: datetime) -> list[int]:
    """Entries created at the start step move on to the wait (or end at the send), as
    the pass leaves them; the ids of those moved. An entry no longer ACTIVE at the start
    step (a worker's batch took it, the journey was stopped) stays as it is. The send's
    own rows are the caller's (write_first_sends)."""
    if not entry_ids:
        return []
    after = plan.entry_after(now)
    sets = ", ".join(f"{c} = :{c}" for c in after if c != "visits")
    moved = session.scalars(
        text(
            f"UPDATE entries SET {sets}, visits = CAST(:visits AS jsonb) "
            "FROM unnest(CAST(:ids AS bigint[])) AS n(id) "
            "WHERE entries.id = n.id AND entries.journey_id = :journey "
            "AND entries.status = 'ACTIVE' AND entries.current_step_id = :start RETURNING entries.id"
        ),
        {
            **after,
            "visits": json.dumps(after["visits"]),
            "ids": entry_ids,
            "journey": plan.journey_id,
            "start": plan.send.id,
        },
    )
    return sorted(moved)


def hint_deliveries(queue: WorkQueue, queued: dict[str, list[int]]) -> None:
    """The QUEUED communications to their delivery queues, DELIVERY_CHUNK ids a message."""
    for channel, ids in queued.items():
        for i in range(0, len(ids), DELIVERY_CHUNK):
            queue.deliver(channel, ids[i : i + DELIVERY_CHUNK])
