"""The scheduler loop: one tick about once a second, and one active scheduler at a time.

On PostgreSQL the active scheduler holds a session-level advisory lock on a
connection of its own, kept for as long as it runs; the others try again every few
seconds and take over when the holder stops or dies (its connection closes, so the
lock goes with it). On SQLite one process is the whole deployment: no lock.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from sqlalchemy import text

from backend.persistence.database import Database
from workers.broker import mask_secrets

log = logging.getLogger(__name__)
LOCK_KEY = 0x51_4C_53_43  # "QLSC": the one scheduler lock of a Questline database
# A tick that keeps failing is logged once, then again every this many failures.
REPEAT_FAILURE_LOG_EVERY = 60


def describe(exc: BaseException) -> str:
    """One line about an error, with any URL passwords masked."""
    first = (str(exc).strip().splitlines() or [""])[0]
    return f"{type(exc).__name__}: {mask_secrets(first)[:300]}"


class SchedulerLoop:
    def __init__(
        self,
        db: Database,
        tick: Callable[[], Any],
        *,
        interval: float = 1.0,
        standby_retry: float = 3.0,
        name: str = "questline-scheduler",
    ):
        self.db = db
        self.tick = tick
        self.interval = interval
        self.standby_retry = standby_retry
        self.name = name
        self.ticks = 0
        self.failures = 0
        self.active = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock_conn: Any = None

    @property
    def uses_lock(self) -> bool:
        return self.db.dialect == "postgresql"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> SchedulerLoop:
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stops ticking and gives the lock up (at once, or when a running tick ends)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.warning("scheduler tick still running after %.0f s; it stops when the tick ends", timeout)

    # -- the lock ---------------------------------------------------------------------------

    def _try_lock(self) -> bool:
        if not self.uses_lock:
            return True
        if self._lock_conn is None:
            self._lock_conn = self.db.engine.connect()
        got = self._lock_conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": LOCK_KEY}).scalar()
        self._lock_conn.commit()  # a session lock outlives the transaction; no transaction is left open
        return bool(got)

    def _still_locked(self) -> bool:
        """The lock lives as long as its connection: check that the connection still answers."""
        if not self.uses_lock:
            return True
        try:
            self._lock_conn.execute(text("SELECT 1"))
            self._lock_conn.commit()
            return True
        except Exception as exc:
            log.warning("scheduler lost its lock connection (%s); standing by", describe(exc))
            return False

    def _release(self) -> None:
        self.active.clear()
        conn, self._lock_conn = self._lock_conn, None
        if conn is None:
            return
        try:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK_KEY})
            conn.commit()
        except Exception:  # the connection is gone, and the lock went with it
            pass
        try:
            conn.invalidate()  # a connection that held the lock never goes back to the pool
            conn.close()
        except Exception:
            pass

    # -- the loop ---------------------------------------------------------------------------

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                if not self.active.is_set() and not self._become_active():
                    self._stop.wait(self.standby_retry)
                    continue
                if not self._still_locked():
                    self._release()
                    continue
                started = time.monotonic()
                self._tick_once()
                elapsed = time.monotonic() - started
                self._stop.wait(max(self.interval - elapsed, self.interval / 10))
        finally:
            was_active = self.active.is_set()
            self._release()
            if was_active:
                log.info("scheduler stopped")

    def _become_active(self) -> bool:
        try:
            if self._try_lock():
                self.active.set()
                log.info("scheduler active%s", " (holds the PostgreSQL scheduler lock)" if self.uses_lock else "")
                return True
            log.debug("another scheduler is active; standing by")
        except Exception as exc:
            log.warning(
                "scheduler could not take its lock (%s); trying again in %.0f s", describe(exc), self.standby_retry
            )
            self._release()
        return False

    def _tick_once(self) -> None:
        try:
            self.tick()
        except Exception as exc:
            self.failures += 1
            if self.failures == 1 or self.failures % REPEAT_FAILURE_LOG_EVERY == 0:
                log.error("scheduler tick failed (%d in a row): %s", self.failures, describe(exc))
                if log.isEnabledFor(logging.DEBUG):
                    log.debug("scheduler tick failure:\n%s", mask_secrets("".join(traceback.format_exception(exc))))
            return
        self.ticks += 1
        if self.failures:
            log.info("scheduler tick works again after %d failures", self.failures)
            self.failures = 0
