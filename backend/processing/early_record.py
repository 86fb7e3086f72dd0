"""Recording each message's outcome as soon as its provider answered, not after the chunk.

A worker killed mid-chunk (a SIGKILL, the OOM killer) leaves its claimed rows SENDING;
once their lease runs out they are sent again. Had the outcomes waited for the end of
the chunk, every message the chunk already sent would go out twice (an SMTP server
has no idempotency key). So the adapter tells each result as it comes, and the
outcomes are written in small groups: at once when the last write is 100 ms old or
when FLUSH_AT of them wait, otherwise with the next result or at the end of the chunk.
A sending thread that finds FLUSH_AT waiting writes them itself, waiting for the write
under way first, so the sends never run further ahead of the record than about two
groups: a killed worker then sends again only the messages in flight, about one a
connection, plus those of the last 100 ms, and never more than about 2 x FLUSH_AT of
those however fast the provider accepts them (an SMTP server over kept connections
took 100 messages in 100 ms).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from backend.delivery.channels import Result

log = logging.getLogger(__name__)

FLUSH_EVERY = 0.1
FLUSH_AT = 25
T = TypeVar("T")


class EarlyRecord(Generic[T]):
    """`told(i, result)` from the sending threads; `write(outcomes)` records a group
    (it may raise: those outcomes stay for the end of the chunk); `settle(i, result)`
    makes the i-th message's outcome. `pending()` is what is still unwritten, by index."""

    def __init__(
        self,
        settle: Callable[[int, Result], T],
        write: Callable[[list[T]], None],
        every: float = FLUSH_EVERY,
        at: int = FLUSH_AT,
    ):
        self.settle, self.write, self.every, self.at = settle, write, every, at
        self.written: set[int] = set()
        self._waiting: list[tuple[int, T]] = []
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._last = 0.0

    def told(self, index: int, result: Result) -> None:
        outcome = self.settle(index, result)
        with self._lock:
            self._waiting.append((index, outcome))
            due = time.monotonic() - self._last >= self.every
            full = len(self._waiting) >= self.at
        # A full group waits for the write under way, then is written: the sends hold
        # back rather than run ahead of the record.
        if (due or full) and self._write_lock.acquire(blocking=full):
            try:
                self._flush()
            finally:
                self._write_lock.release()

    def finish(self) -> None:
        """Writes what is still waiting; called once the chunk's sends are over."""
        with self._write_lock:
            self._flush()

    def _flush(self) -> None:
        with self._lock:
            group, self._waiting = self._waiting, []
            self._last = time.monotonic()
        if not group:
            return
        try:
            self.write([o for _, o in group])
        except Exception as exc:  # the end of the chunk records them with the rest
            log.warning("could not record %d outcomes as they came (%s)", len(group), type(exc).__name__)
            return
        self.written.update(i for i, _ in group)
