"""What the fault run counts: pending work while it waits, and at the end what each
player got, from the database and from the peers' ledgers."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy.engine import make_url

from backend.ids import decode_any
from backend.statuses import ENDED

ENDED_SQL = ", ".join(f"'{s}'" for s in ENDED)
PENDING = {
    "events_unprocessed": "SELECT count(*) FROM events WHERE processed_at IS NULL",
    "entries_not_ended": f"SELECT count(*) FROM entries WHERE status NOT IN ({ENDED_SQL})",
    "communications_queued": "SELECT count(*) FROM communications WHERE status = 'QUEUED'",
    "communications_sending": "SELECT count(*) FROM communications WHERE status = 'SENDING'",
    "bonuses_pending": "SELECT count(*) FROM bonuses WHERE status = 'PENDING'",
}


def _connect(url: str) -> psycopg.Connection:
    u = make_url(url)
    return psycopg.connect(
        host=u.host, port=u.port, user=u.username, dbname=u.database, connect_timeout=3, autocommit=True
    )


def pending(url: str) -> dict[str, int]:
    """What is left to do; `{"database_unreachable": 1}` while it cannot be asked."""
    try:
        with _connect(url) as conn:
            return {name: int(conn.execute(sql).fetchone()[0]) for name, sql in PENDING.items()}  # type: ignore[index]
    except psycopg.OperationalError:
        return {"database_unreachable": 1}


def spread(counts: Counter[Any] | list[int]) -> dict[str, int]:
    """How many have 0, 1 and more than 1."""
    values = list(counts.values()) if isinstance(counts, Counter) else counts
    return {"0": values.count(0), "1": values.count(1), ">1": sum(1 for v in values if v > 1)}


def ledger(path: Path) -> list[tuple[str, str]]:
    return [tuple(line.split("\t")[:2]) for line in path.read_text().splitlines() if line]  # type: ignore[misc]


def count_outcomes(url: str, peers: Any, players: int) -> dict[str, Any]:
    """`peers`: what has the ledgers (`smtp_log`, `sms_log`, `wallet_log`, fault_stack.Peers)."""
    with _connect(url) as conn:
        q = conn.execute
        entries_per_user = [
            r[0] for r in q("SELECT count(e.id) FROM users u LEFT JOIN entries e ON e.user_id = u.id GROUP BY u.id")
        ]
        entry_status = dict(q("SELECT status, count(*) FROM entries GROUP BY status").fetchall())
        comm_status = dict(q("SELECT status, count(*) FROM communications GROUP BY status").fetchall())
        bonus_status = dict(q("SELECT status, count(*) FROM bonuses GROUP BY status").fetchall())
        by_channel = {
            ch: dict(q("SELECT id, entry_id FROM communications WHERE channel = %s", (ch,)).fetchall())
            for ch in ("EMAIL", "SMS")
        }
        sent = {cid for (cid,) in q("SELECT id FROM communications WHERE status IN ('SENT', 'DELIVERED')")}
        bonuses = dict(q("SELECT id, entry_id FROM bonuses").fetchall())
        entry_ids = [eid for (eid,) in q("SELECT id FROM entries").fetchall()]
        events = q("SELECT count(*), count(processed_at) FROM events").fetchone()
    return {
        "players": players,
        "events_stored": events[0],
        "events_processed": events[1],
        "entries_per_player": spread(entries_per_user),
        "entries_by_status": entry_status,
        "entries_not_ended": sum(n for s, n in entry_status.items() if s not in ENDED),
        "communications_by_status": comm_status,
        "communications_per_entry": {
            ch: spread(_per_entry(entry_ids, rows.values())) for ch, rows in by_channel.items()
        },
        "email": _email(ledger(peers.smtp_log), by_channel["EMAIL"], sent),
        "sms": _sms(ledger(peers.sms_log), by_channel["SMS"], sent),
        "bonuses_by_status": bonus_status,
        "wallet": _wallet(ledger(peers.wallet_log), bonuses, entry_ids),
    }


def _per_entry(entry_ids: list[int], owners: Any) -> list[int]:
    counts = Counter(e for e in owners if e is not None)
    return [counts.get(e, 0) for e in entry_ids]


def _pk(global_id: str, type_name: str) -> int | None:
    decoded = decode_any(global_id)
    return decoded[1] if decoded and decoded[0] == type_name else None


def _email(lines: list[tuple[str, str]], comms: dict[int, int | None], sent: set[int]) -> dict[str, Any]:
    per_key = Counter(key for key, _ in lines)
    keys_per_comm: dict[int, set[str]] = {}
    unknown = 0
    for key, ref in lines:
        pk = _pk(ref, "Communication")
        if pk is None or pk not in comms:
            unknown += 1
            continue
        keys_per_comm.setdefault(pk, set()).add(key)
    return {
        # SMTP has no idempotency key: every message the server accepted is delivered, so
        # each repeated Message-ID is an email the player got twice (unless the receiver
        # drops a repeated Message-ID). Requests and effects per key are the same here.
        "idempotent": False,
        "messages": len(lines),
        "message_ids": len(per_key),
        "messages_per_message_id": spread(per_key),
        "effects_per_message_id": spread(per_key),
        "emails_delivered_twice_or_more": sum(1 for n in per_key.values() if n > 1),
        "extra_copies": sum(n - 1 for n in per_key.values() if n > 1),
        "message_ids_with_more_than_one_message": sum(1 for n in per_key.values() if n > 1),
        "keys_per_communication": spread(Counter({c: len(keys_per_comm.get(c, ())) for c in comms})),
        "sent_communications_without_a_message": len((sent & set(comms)) - set(keys_per_comm)),
        "messages_naming_no_communication": unknown,
    }


def _sms(lines: list[tuple[str, str]], comms: dict[int, int | None], sent: set[int]) -> dict[str, Any]:
    """The SMS provider is idempotent (integrations.md): the key is the communication's
    global ID, asked again it is sent once, so its effects per key are 1 for each key."""
    per_key = Counter(key for key, _ in lines)
    keys_per_comm: dict[int, set[str]] = {}
    unknown = 0
    for key, ref in lines:
        pk = _pk(key, "Communication")
        if pk is None or pk not in comms or key != ref:
            unknown += 1
            continue
        keys_per_comm.setdefault(pk, set()).add(key)
    return {
        "idempotent": True,
        "requests": len(lines),
        "keys": len(per_key),
        "requests_per_key": spread(per_key),
        "effects_per_key": spread(Counter(dict.fromkeys(per_key, 1))),
        "keys_with_more_than_one_request": sum(1 for n in per_key.values() if n > 1),
        "keys_per_communication": spread(Counter({c: len(keys_per_comm.get(c, ())) for c in comms})),
        "sent_communications_without_a_request": len((sent & set(comms)) - set(keys_per_comm)),
        "requests_naming_no_communication": unknown,
    }


def _wallet(lines: list[tuple[str, str]], bonuses: dict[int, int | None], entry_ids: list[int]) -> dict[str, Any]:
    per_key = Counter(key for key, _ in lines)
    keys_per_entry: dict[int, set[str]] = {e: set() for e in entry_ids}
    unknown = 0
    for key, ref in lines:
        pk = _pk(key, "Bonus")
        entry = bonuses.get(pk) if pk is not None else None
        if entry is None or key != ref:
            unknown += 1
            continue
        keys_per_entry.setdefault(entry, set()).add(key)
    return {
        # An idempotent peer: a key asked again is answered with its first result and
        # applied once, so the effects per key are 1 for every key asked, whatever the
        # requests per key; an entry granted twice would show as two keys for one entry.
        "idempotent": True,
        "requests": len(lines),
        "keys": len(per_key),
        "requests_per_key": spread(per_key),
        "effects_per_key": spread(Counter(dict.fromkeys(per_key, 1))),
        "keys_with_more_than_one_request": sum(1 for n in per_key.values() if n > 1),
        "bonuses_per_entry": spread([len(k) for k in keys_per_entry.values()]),
        "requests_naming_no_bonus": unknown,
    }


# A list of parameters, `IN ($1::BIGINT, $2::BIGINT)`: one statement whatever its length.
PARAMETER_LIST = re.compile(r"\(\$\d+(::\w+)?(, \$\d+(::\w+)?)*\)")
# A temporary table's name (bulk.update_by_id): one statement whatever the name.
TEMP_TABLE = re.compile(r"tmp_(\w+?)_[0-9a-f]{8}")


def statements(url: str, top: int = 30) -> list[dict[str, Any]]:
    """The statements the run made most often (pg_stat_statements, `--statements`), those
    that differ only in the length of a list of ids counted as one, with their calls and
    rows: divided by the calls of a batch's first statement, what a batch costs in round
    trips. An immediate restart of the database loses the counts, so read them from a run
    without faults. (Foreign-key checks count too, as `SELECT 1 FROM ONLY ...`.)"""
    with _connect(url) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        rows = conn.execute(
            "SELECT calls, rows, total_exec_time, query FROM pg_stat_statements"
            " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
        ).fetchall()
    merged: dict[str, list[float]] = {}
    for calls, n, ms, query in rows:
        text = TEMP_TABLE.sub(r"tmp_\1_...", PARAMETER_LIST.sub("(...)", " ".join(query.split())))[:200]
        totals = merged.setdefault(text, [0, 0, 0.0])
        totals[0] += calls
        totals[1] += n
        totals[2] += ms
    ranked = sorted(merged.items(), key=lambda kv: -kv[1][0])[:top]
    return [{"calls": int(c), "rows": int(n), "ms": round(ms, 1), "query": q} for q, (c, n, ms) in ranked]
