"""The entries of a segment run: one `INSERT ... SELECT` for a set of users.

The re-entry mode is applied in SQL, each new entry's round one past the user's last in
the journey. The entries start ACTIVE at the journey's start step, under a hint lease
long enough for the run to take them through a first send itself
(backend.segments.first_send) or to hint them to the workers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import text, update
from sqlalchemy.orm import Session

from backend.journeys import definition as defs
from backend.journeys.captures import restarted
from backend.journeys.interpreter import in_control_group
from backend.models import Entry
from backend.statuses import RUNNING

HINT_LEASE = timedelta(seconds=30)
# The new entries are hinted at once, and the workers take a while to get through a
# large run: the hint lease grows with the run (one second per this many entries), so
# the tick does not hint the same entries again while they still wait in the queue.
ENTRIES_PER_LEASE_SECOND = 1_000


def lease_for(now: datetime, queued_ahead: int, base: timedelta = HINT_LEASE) -> datetime:
    """The hint lease of entries queued behind `queued_ahead` others: the base lease, and
    a second for every ENTRIES_PER_LEASE_SECOND ahead (a segment run's new entries, the
    tick's hints of due ones)."""
    return now + base + timedelta(seconds=queued_ahead / ENTRIES_PER_LEASE_SECOND)


@dataclass(frozen=True)
class Target:
    id: int
    version: int
    reentry_mode: str
    control_group_percent: float
    document: dict[str, Any]


_REENTRY = {
    "ONCE": "prev.user_id IS NULL",
    "NOT_WHILE_ACTIVE": "COALESCE(prev.running, 0) = 0",
    "RESTART": "1 = 1",
    "EVERY_ENTRY": "1 = 1",
}
_COLUMNS = (
    "journey_id, user_id, round, version, status, current_step_id, step_entered_at, entered_at, "
    "in_control_group, progress_name, progress_step, progress_at, visits, updated_at, claimed_until"
)


def _picked_pg() -> str:
    return "SELECT uid, ctrl FROM unnest(CAST(:uids AS bigint[]), CAST(:ctrl AS boolean[])) AS p(uid, ctrl)"


def _picked_sqlite() -> str:
    return "SELECT json_extract(value, '$[0]') AS uid, json_extract(value, '$[1]') AS ctrl FROM json_each(:pairs)"


def hold_journey(session: Session, target: Target) -> bool:
    """Locks the journey's row for the rest of the transaction, shared (the parts of
    one run hold it together; the API trigger, stopping and editing wait for them);
    False when the journey stopped or changed version since the run's claim."""
    pg = session.get_bind().dialect.name == "postgresql"
    lock = " FOR SHARE" if pg else ""
    row = session.execute(
        text(f"SELECT status, version FROM journeys WHERE id = :journey{lock}"), {"journey": target.id}
    ).first()
    return row is not None and row.status == "ACTIVE" and row.version == target.version


def capture(session: Session, target: Target, user_ids: list[int], now: datetime) -> list[int]:
    """Entries for these users as the re-entry mode allows, ACTIVE at the start step;
    the new entries' ids.

    Each new entry's round is one past the user's last in this journey, so it is new:
    a plain INSERT (no ON CONFLICT, whose speculative insertion cost about 8% of the
    insert). Nothing else can add entries to the journey meanwhile: the caller holds
    the journey's row (`hold_journey`), and the API trigger locks that row too. Were a
    (journey, user, round) there anyway, the unique constraint fails the run, which
    records the error and writes nothing. The users' previous rounds are read within
    their id range (a run split in parts reads only its own part's)."""
    if not user_ids:
        return []
    pg = session.get_bind().dialect.name == "postgresql"
    compiled = defs.compile(target.document)
    ladder = compiled.ladder.items() if compiled.ladder else [("Entered", 0)]
    progress_name, progress_step = min(ladder, key=lambda kv: kv[1])
    percent = target.control_group_percent or 0
    control = [percent > 0 and in_control_group(journey_id=target.id, user_id=u, percent=percent) for u in user_ids]
    running = ", ".join(f"'{s}'" for s in RUNNING)
    if target.reentry_mode == "RESTART":
        _restart(session, target.id, user_ids, now, pg)
    sql = (
        f"INSERT INTO entries ({_COLUMNS}) "
        f"SELECT :journey, p.uid, COALESCE(prev.last_round, 0) + 1, :version, 'ACTIVE', :start, :now, :now, "
        f"p.ctrl, :progress_name, :progress_step, :now, {_typed(':visits', 'jsonb', pg)}, :now, "
        f"{_typed(':lease', 'timestamptz', pg)} "
        f"FROM ({_picked_pg() if pg else _picked_sqlite()}) AS p "
        f"LEFT JOIN (SELECT user_id, MAX(round) AS last_round, "
        f"SUM(CASE WHEN status IN ({running}) THEN 1 ELSE 0 END) AS running "
        f"FROM entries WHERE journey_id = :journey AND user_id BETWEEN :lowest AND :highest GROUP BY user_id) AS prev "
        f"ON prev.user_id = p.uid "
        f"WHERE {_REENTRY.get(target.reentry_mode, '1 = 1')} RETURNING id"
    )
    params: dict[str, Any] = {
        "journey": target.id,
        "lowest": min(user_ids),
        "highest": max(user_ids),
        "version": target.version,
        "start": compiled.start,
        "now": _at(now, pg),
        "progress_name": progress_name,
        "progress_step": progress_step,
        "lease": _at(lease_for(now, len(user_ids)), pg),
        "visits": "{}",
    }
    if pg:
        params.update(uids=user_ids, ctrl=control)
    else:
        params["pairs"] = json.dumps([[u, 1 if c else 0] for u, c in zip(user_ids, control, strict=True)])
    return sorted(session.scalars(text(sql), params))


def _typed(param: str, pg_type: str, pg: bool) -> str:
    """A bound value that may be NULL, typed for PostgreSQL's INSERT ... SELECT."""
    return f"CAST({param} AS {pg_type})" if pg else param


def _at(moment: datetime | None, pg: bool) -> Any:
    """A bound time as the UTCDateTime columns keep it (naive UTC on SQLite)."""
    if moment is None or pg:
        return moment
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _restart(session: Session, journey_id: int, user_ids: list[int], now: datetime, pg: bool) -> None:
    """RESTART: the users' running entries end (EXITED, 'restarted') as their new round starts."""
    for i in range(0, len(user_ids), 10_000):
        chunk = user_ids[i : i + 10_000]
        session.execute(
            update(Entry)
            .where(Entry.journey_id == journey_id, Entry.status.in_(RUNNING), Entry.user_id.in_(chunk))
            .values(**restarted(now))
        )
