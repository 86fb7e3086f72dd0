"""Trying a write again while the database cannot be reached, for the writes that must
not be given up lightly: the outcome of an outside call already made (a message sent,
a bonus granted). Given up, such a row waits for its lease to run out and the call is
made again; written a few seconds later, once the database is back, it is done."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from backend.persistence.database import database_unavailable

log = logging.getLogger(__name__)

T = TypeVar("T")
# Waits between tries: a restart takes a few seconds, a failover longer.
PAUSES = (0.2, 0.5, 1.0, 2.0, 3.0, 5.0)


def pause(seconds: float) -> None:
    time.sleep(seconds)


def while_unavailable(fn: Callable[[], T], *, within: float, what: str) -> T:
    """`fn()`, tried again while it fails because the database is unavailable, until
    `within` seconds have passed; any other error, or the last one, is raised."""
    started = time.monotonic()
    tries = 0
    while True:
        try:
            return fn()
        except Exception as exc:
            waited = time.monotonic() - started
            if not database_unavailable(exc) or waited >= within:
                raise
            delay = min(PAUSES[min(tries, len(PAUSES) - 1)], max(0.0, within - waited))
            tries += 1
            log.warning("could not record %s, the database is unavailable (%s); trying again", what, type(exc).__name__)
            pause(delay)
