"""Processors that record what the actors gave them in a file, for tests across threads
and processes, put in place of the real ones on the modules the actors call."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from typing import Any

from backend.processing import bonuses, delivery, entries, events, scheduler, webhooks


def _append(path: str, record: dict) -> None:
    line = json.dumps({**record, "pid": os.getpid(), "at": time.time()}) + "\n"
    # One write of a short line in append mode: lines from several processes do not interleave.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(fd, line.encode())
    finally:
        os.close(fd)


def record_processors(
    calls: str, ticks: str | None = None, *, patch: Callable[[Any, str, Any], None] = setattr
) -> None:
    """Each processor writes its ids to `calls` instead of working; the scheduler's tick
    writes a line to `ticks` (when given). `patch`: pytest's monkeypatch.setattr in a test's
    own process, plain setattr in a worker command started for the test."""

    def record(kind: str, ids: list[int], channel: str | None = None) -> int:
        _append(calls, {"kind": kind, "ids": ids, "channel": channel})
        return len(ids)

    patch(events, "process_events", lambda services, *, event_ids, **_: record("events", event_ids))
    patch(entries, "advance_entries", lambda services, *, entry_ids, **_: record("entries", entry_ids))
    patch(
        delivery,
        "deliver",
        lambda services, *, channel, communication_ids, **_: record("deliver", communication_ids, channel),
    )
    patch(bonuses, "grant", lambda services, *, bonus_ids, **_: record("bonuses", bonus_ids))
    patch(webhooks, "call_webhooks", lambda services, *, call_ids, **_: record("webhooks", call_ids))
    if ticks is not None:
        patch(scheduler, "tick", lambda services, **_: _append(ticks, {"kind": "tick"}))


def read_records(path: str) -> list[dict]:
    if not os.path.exists(path):
        return []
    with open(path) as fh:
        return [json.loads(line) for line in fh if line.endswith("\n")]


def wait_for(predicate, timeout: float = 15.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.02)
    return bool(predicate())
