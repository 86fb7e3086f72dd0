"""Writes a `WritePlan` with set-based statements: executemany UPDATEs by primary key,
multi-row INSERTs, and ON CONFLICT DO NOTHING where an idempotency key guards an effect."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, select, update

from backend.gamification.badges import POINTS, PROFILE
from backend.models import Bonus, Communication, Entry, EntryStep, PointsLedger, User, WebhookCall
from backend.persistence.bulk import (
    append_rows,
    can_allocate_ids,
    insert_by_id,
    insert_new_returning,
    next_ids,
    update_by_id,
)
from backend.persistence.database import UnitOfWork
from backend.persistence.plan import WritePlan
from backend.users.profiles import merge_attributes

ENTRY_COLUMNS = (
    "status",
    "version",
    "current_step_id",
    "step_entered_at",
    "wake_at",
    "waiting_event",
    "claimed_until",
    "progress_name",
    "progress_step",
    "progress_at",
    "converted_at",
    "stopped_at",
    "stop_reason",
    "blocked_reason",
    "frozen_status",
    "frozen_reason",
    "reactivated_at",
    "visits",
    "updated_at",
)


@dataclass(frozen=True)
class Written:
    communication_ids: dict[str, list[int]]
    bonus_ids: list[int]
    webhook_ids: list[int]
    # What changed per user that badge rules may read (see backend.gamification.badges).
    changed: dict[int, set[str]] = field(default_factory=dict)


def write_plan(uow: UnitOfWork, plan: WritePlan) -> Written:
    session = uow.session
    insert_by_id(session, Entry.__table__, plan.entry_inserts)
    update_by_id(
        session, Entry.__table__, {pk: {c: row[c] for c in ENTRY_COLUMNS} for pk, row in plan.entry_updates.items()}
    )
    append_rows(session, EntryStep.__table__, plan.step_rows)
    fresh = set(plan.entry_inserts)
    comm_ids = _insert_keyed(uow, Communication, plan.communications, ("id", "channel", "status"), fresh)
    bonus_ids = _insert_keyed(uow, Bonus, plan.bonuses, ("id", "status"), fresh)
    webhook_ids = [row[0] for row in _insert_keyed(uow, WebhookCall, plan.webhooks, ("id",), fresh)]
    changed: dict[int, set[str]] = defaultdict(set)
    for uid in _write_points(uow, plan.points, fresh):
        changed[uid].add(POINTS)
    _write_profiles(uow, plan.profile_updates)
    for uid in plan.profile_updates:
        changed[uid].add(PROFILE)
    by_channel: dict[str, list[int]] = defaultdict(list)
    for pk, channel, status in comm_ids:
        if status == "QUEUED":
            by_channel[channel].append(pk)
    return Written(
        communication_ids=dict(by_channel),
        bonus_ids=[pk for pk, status in bonus_ids if status == "PENDING"],
        webhook_ids=webhook_ids,
        changed=dict(changed),
    )


def _insert_keyed(
    uow: UnitOfWork, model: Any, rows: list[dict[str, Any]], returning: tuple[str, ...], new_entries: set[int]
) -> list[tuple[Any, ...]]:
    """Insert rows guarded by their idempotency key; returns `returning` of the rows
    actually new. The effects of entries this batch creates carry keys made from the
    entries' fresh ids, which no earlier row can hold: where ids can be taken first
    (PostgreSQL) they go straight in, without the conflict check (the unique key still
    stands guard)."""
    session = uow.session
    fresh = [r for r in rows if r.get("entry_id") in new_entries] if new_entries and can_allocate_ids(session) else []
    keyed = [r for r in rows if r.get("entry_id") not in new_entries] if fresh else rows
    out = insert_new_returning(session, model.__table__, keyed, "idempotency_key", returning) if keyed else []
    if fresh:
        ids = next_ids(session, model.__table__, len(fresh))
        insert_by_id(session, model.__table__, dict(zip(ids, fresh, strict=True)))
        out += [tuple(pk if c == "id" else row[c] for c in returning) for pk, row in zip(ids, fresh, strict=True)]
    return out


def _write_points(uow: UnitOfWork, rows: list[dict[str, Any]], new_entries: set[int]) -> list[int]:
    """A ledger line and the stored balance change together; a repeated key adds nothing.
    Returns the users whose points changed."""
    if not rows:
        return []
    totals: dict[int, int] = defaultdict(int)
    for user_id, amount in _insert_keyed(uow, PointsLedger, rows, ("user_id", "amount"), new_entries):
        totals[user_id] += amount
    if totals:
        users = User.__table__
        uow.session.execute(
            update(users).where(users.c.id == bindparam("uid")).values(points=users.c.points + bindparam("delta")),
            # In user-id order, so two batches changing the same users cannot deadlock.
            [{"uid": uid, "delta": delta} for uid, delta in sorted(totals.items())],
        )
    return list(totals)


def _write_profiles(uow: UnitOfWork, changes: dict[int, dict[str, Any]]) -> None:
    if not changes:
        return
    session = uow.session
    stmt = select(User.id, User.attributes).where(User.id.in_(list(changes))).order_by(User.id)
    if session.get_bind().dialect.name == "postgresql":
        # Merge under the row lock (no lost update), in id order, and in the mode an
        # UPDATE takes (FOR NO KEY UPDATE), which does not wait on the key-share locks
        # other batches hold on users through the foreign keys of rows they insert.
        stmt = stmt.with_for_update(key_share=True)
    stored: dict[int, dict[str, Any] | None] = dict(session.execute(stmt).all())
    users = User.__table__
    session.execute(
        update(users).where(users.c.id == bindparam("uid")).values(attributes=bindparam("attrs")),
        [{"uid": uid, "attrs": merge_attributes(stored.get(uid) or {}, attrs)} for uid, attrs in changes.items()],
    )
