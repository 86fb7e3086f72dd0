"""trackEvents and POST /api/events: validate all, write all in a few statements, hint after commit."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, bindparam, case, select, text, update
from sqlalchemy.orm import Session

from backend.dialect import one_of
from backend.models import Event, User, utcnow
from backend.persistence.bulk import insert_new_returning
from backend.persistence.database import UnitOfWork
from backend.queue import WorkQueue
from backend.users.profiles import InvalidBatch
from backend.users.validation import (
    MAX_TOTAL,
    as_utc,
    check_batch_size,
    event_problems,
    parse_time,
    search_key,
)


@dataclass(frozen=True)
class TrackResult:
    accepted: int
    duplicates: int
    event_ids: tuple[int, ...] = ()


def ensure_users(uow: UnitOfWork, external_ids: set[str]) -> dict[str, int]:
    """Ids of these users, creating bare profiles for the ones not seen before."""
    session = uow.session
    if not external_ids:
        return {}
    found = _user_ids(session, external_ids)
    missing = external_ids - set(found)
    if not missing:
        return found
    now = utcnow()
    created = insert_new_returning(
        session,
        User.__table__,
        [
            {
                "external_id": ext,
                "external_id_lc": search_key(ext, User.external_id_lc.type.length),
                "attributes": {},
                "opt_outs": [],
                "points": 0,
                "deposit_count": 0,
                "deposit_total": 0,
                "withdrawal_total": 0,
                "created_at": now,
                "updated_at": now,
            }
            for ext in sorted(missing)
        ],
        "external_id",
        ("external_id", "id"),
    )
    found.update(dict(created))
    raced = external_ids - set(found)  # created by a concurrent call since the first read
    if raced:
        found.update(_user_ids(session, raced))
    return found


def _user_ids(session: Session, external_ids: set[str]) -> dict[str, int]:
    rows = session.execute(
        select(User.external_id, User.id).where(one_of(session, User.external_id, external_ids, String))
    )
    return dict(rows.all())


def normalize_events(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**e, "occurredAt": parse_time(e.get("occurredAt"))} for e in events]


def track_events(uow: UnitOfWork, *, events: list[dict[str, Any]], queue: WorkQueue) -> TrackResult:
    check_batch_size(events, "events")
    now = utcnow()
    events = normalize_events(events)
    problems = [p for i, e in enumerate(events) for p in event_problems(i, e, now)]
    if problems:
        raise InvalidBatch(problems)
    if not events:
        return TrackResult(accepted=0, duplicates=0)
    session = uow.session
    user_ids = ensure_users(uow, {e["externalId"].strip() for e in events})

    # A repeat of an eventId inside the batch is a duplicate like one already stored.
    first_by_event_id: dict[str, dict[str, Any]] = {}
    for e in events:
        first_by_event_id.setdefault(e["eventId"], e)
    rows = [
        {
            "event_id": e["eventId"],
            "user_id": user_ids[e["externalId"].strip()],
            "name": e["name"].strip(),
            "occurred_at": as_utc(e.get("occurredAt"), now),
            "received_at": now,
            "properties": e.get("properties") or {},
        }
        for e in first_by_event_id.values()
    ]
    inserted = insert_new_returning(session, Event.__table__, rows, "event_id", ("id", "event_id"))
    new_event_ids = {event_id for _, event_id in inserted}
    new_rows = [r for r in rows if r["event_id"] in new_event_ids]
    _apply_financials(uow, new_rows)
    ids = tuple(sorted(pk for pk, _ in inserted))
    if ids:
        uow.after_commit(lambda: queue.process_events(list(ids)))
    return TrackResult(accepted=len(ids), duplicates=len(events) - len(ids), event_ids=ids)


def _saturated(total: Any) -> Any:
    """A running total kept within ±MAX_TOTAL, well inside its NUMERIC(18, 2) column (each
    amount is bounded; a total of many stops at the bound rather than failing the batch)."""
    return case((total > MAX_TOTAL, MAX_TOTAL), (total < -MAX_TOTAL, -MAX_TOTAL), else_=total)


def _apply_financials(uow: UnitOfWork, rows: list[dict[str, Any]]) -> None:
    """Deposits and withdrawals keep each user's financial summary, in the same transaction."""
    sums: dict[int, dict[str, Any]] = defaultdict(lambda: {"dc": 0, "dt": 0.0, "wt": 0.0, "last": None})
    for row in rows:
        amount = (row["properties"] or {}).get("amount")
        if isinstance(amount, bool) or not isinstance(amount, (int, float)):
            continue
        acc = sums[row["user_id"]]
        if row["name"] == "deposit":
            acc["dc"] += 1
            acc["dt"] += float(amount)
            last: datetime | None = acc["last"]
            acc["last"] = row["occurred_at"] if last is None or row["occurred_at"] > last else last
        elif row["name"] == "withdrawal":
            acc["wt"] += float(amount)
    if not sums:
        return
    totals = sorted(sums.items())  # in user-id order: two calls on the same users cannot deadlock
    if uow.session.get_bind().dialect.name == "postgresql":
        _add_financials_in_one_statement(uow.session, totals)
    else:
        _add_financials(uow.session, totals)


def _add_financials_in_one_statement(session: Session, totals: list[tuple[int, dict[str, Any]]]) -> None:
    """One UPDATE for the whole call, its values as arrays (PostgreSQL); totals saturated
    like `_saturated`."""
    session.execute(
        text(
            "UPDATE users AS u SET deposit_count = u.deposit_count + v.dc, "
            "deposit_total = LEAST(GREATEST(u.deposit_total + v.dt, -:max), :max), "
            "withdrawal_total = LEAST(GREATEST(u.withdrawal_total + v.wt, -:max), :max), "
            "last_deposit_at = CASE WHEN v.last IS NOT NULL AND (u.last_deposit_at IS NULL "
            "OR u.last_deposit_at < v.last) THEN v.last ELSE u.last_deposit_at END, updated_at = :now "
            "FROM unnest(CAST(:uids AS bigint[]), CAST(:dcs AS integer[]), CAST(:dts AS numeric[]), "
            "CAST(:wts AS numeric[]), CAST(:lasts AS timestamptz[])) AS v(id, dc, dt, wt, last) WHERE u.id = v.id"
        ),
        {
            "now": utcnow(),
            "max": MAX_TOTAL,
            "uids": [uid for uid, _ in totals],
            "dcs": [a["dc"] for _, a in totals],
            "dts": [a["dt"] for _, a in totals],
            "wts": [a["wt"] for _, a in totals],
            "lasts": [a["last"] for _, a in totals],
        },
    )


def _add_financials(session: Session, totals: list[tuple[int, dict[str, Any]]]) -> None:
    users = User.__table__
    stmt = (
        update(users)
        .where(users.c.id == bindparam("uid"))
        .values(
            deposit_count=users.c.deposit_count + bindparam("dc"),
            deposit_total=_saturated(users.c.deposit_total + bindparam("dt")),
            withdrawal_total=_saturated(users.c.withdrawal_total + bindparam("wt")),
        )
    )
    session.execute(stmt, [{"uid": uid, "dc": a["dc"], "dt": a["dt"], "wt": a["wt"]} for uid, a in totals])
    last_stmt = (
        update(users)
        .where(users.c.id == bindparam("uid"))
        .where((users.c.last_deposit_at.is_(None)) | (users.c.last_deposit_at < bindparam("last")))
        .values(last_deposit_at=bindparam("last"))
    )
    with_last = [{"uid": uid, "last": a["last"]} for uid, a in totals if a["last"] is not None]
    if with_last:
        session.execute(last_stmt, with_last)
