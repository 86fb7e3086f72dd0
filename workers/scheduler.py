"""The scheduler loop: one tick about once a second, and one active scheduler at a time.

On PostgreSQL the active scheduler holds a session-level advisory lock on a
connection of its own; the others try again every few seconds and take over when
the holder stops or dies (its connection closes, so the lock goes with it).
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import text

from backend.persistence.database import Database

log = logging.getLogger(__name__)
LOCK_KEY = 0x51_4C_53_43  # "QLSC"


class SchedulerLoop:
    def __init__(self, db: Database, tick: Callable[[], Any], *, interval: float = 1.0, standby_retry: float = 2.0):
        self.db = db
        self.tick = tick
        self.interval = interval
        self.standby_retry = standby_retry
        self.ticks = 0
        self.active = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock_conn: Any = None

    def start(self) -> "SchedulerLoop":
        self._thread = threading.Thread(target=self._run, name="questline-scheduler", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self._release()

    def _acquire(self) -> bool:
        if self.db.dialect != "postgresql":
            return True
        if self._lock_conn is None:
            self._lock_conn = self.db.engine.connect()
        got = self._lock_conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": LOCK_KEY}).scalar()
        self._lock_conn.commit()
        return bool(got)

    def _release(self) -> None:
        if self._lock_conn is not None:
            try:
                self._lock_conn.execute(text("SELECT pg_advisory_unlock_all()"))
                self._lock_conn.commit()
                self._lock_conn.close()
            except Exception:  # the connection may already be gone; the lock went with it
                pass
            self._lock_conn = None
        self.active.clear()

    def _run(self) -> None:
        while not self._stop.is_set():
            if not self.active.is_set():
                try:
                    if self._acquire():
                        self.active.set()
                        log.info("scheduler active")
                except Exception as exc:
                    log.warning("scheduler could not take the lock: %s", type(exc).__name__)
                    self._release()
                if not self.active.is_set():
                    self._stop.wait(self.standby_retry)
                    continue
            try:
                self.tick()
                self.ticks += 1
            except Exception:
                log.exception("scheduler tick failed; trying again next tick")
            self._stop.wait(self.interval)
