"""Handlers and ticks that record what they were given in a file, for tests across
threads and processes. Module-level classes, so they can be handed to spawned processes."""

from __future__ import annotations

import json
import os
import time

from workers.actors import Handlers


def _append(path: str, record: dict) -> None:
    line = json.dumps({**record, "pid": os.getpid(), "at": time.time()}) + "\n"
    # One write of a short line in append mode: lines from several processes do not interleave.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(fd, line.encode())
    finally:
        os.close(fd)


class RecordingHandlers:
    """A handlers factory (db, settings, queue) -> Handlers that writes each call to `path`."""

    def __init__(self, path: str):
        self.path = path

    def __call__(self, db, settings, queue) -> Handlers:
        def record(kind: str, ids: list[int], channel: str | None = None) -> None:
            _append(self.path, {"kind": kind, "ids": ids, "channel": channel})

        return Handlers(
            process_events=lambda ids: record("events", ids),
            advance_entries=lambda ids: record("entries", ids),
            deliver=lambda channel, ids: record("deliver", ids, channel),
            grant_bonuses=lambda ids: record("bonuses", ids),
            call_webhooks=lambda ids: record("webhooks", ids),
        )


class RecordingTick:
    """A tick factory (db, queue) -> tick that writes a line to `path` at each tick."""

    def __init__(self, path: str):
        self.path = path

    def __call__(self, db, queue):
        return lambda: _append(self.path, {"kind": "tick"})


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
