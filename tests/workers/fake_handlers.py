"""Handlers that record the ids they were given in a file, for tests across processes."""
from __future__ import annotations

import json
import os

from workers.actors import Handlers


def recording_handlers(path: str):
    def factory(db, settings, queue) -> Handlers:
        def record(kind: str, ids: list[int], channel: str | None = None) -> None:
            with open(path, "a") as fh:
                fh.write(json.dumps({"kind": kind, "ids": ids, "channel": channel, "pid": os.getpid()}) + "\n")

        return Handlers(
            process_events=lambda ids: record("events", ids),
            advance_entries=lambda ids: record("entries", ids),
            deliver=lambda channel, ids: record("deliver", ids, channel),
            grant_bonuses=lambda ids: record("bonuses", ids),
            call_webhooks=lambda ids: record("webhooks", ids),
        )

    return factory


def read_records(path: str) -> list[dict]:
    if not os.path.exists(path):
        return []
    with open(path) as fh:
        return [json.loads(line) for line in fh if line.strip()]
