"""Login throttling: failed logins are counted per username and per client address over
a window, and past either limit a login is refused with TOO_MANY_ATTEMPTS before any
password is checked.

An attempt is written (and committed) before its password is checked, and counted
after, so attempts racing on other connections see each other: at most the limit are
ever checked within a window. A successful login takes back its own attempt and the
username's earlier failures; a refused one takes back its own, so waiting out the
window is enough."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.orm import Session

from backend.errors import DomainError
from backend.models import LoginFailure
from backend.persistence.database import Database
from backend.settings import Settings
from backend.text_checks import storable

MAX_USERNAME = 150
MAX_ADDRESS = 64


@dataclass(frozen=True)
class LoginThrottle:
    per_username: int
    per_address: int
    window_seconds: int

    @classmethod
    def from_settings(cls, settings: Settings) -> LoginThrottle:
        return cls(
            per_username=settings.login_failures_per_username,
            per_address=settings.login_failures_per_address,
            window_seconds=settings.login_window_seconds,
        )

    @property
    def window(self) -> timedelta:
        return timedelta(seconds=self.window_seconds)


class TooManyAttempts(DomainError):
    def __init__(self, retry_after_seconds: int):
        super().__init__(
            "TOO_MANY_ATTEMPTS",
            f"too many failed logins for this username or from this address; try again in {retry_after_seconds} s",
        )
        self.retry_after_seconds = retry_after_seconds


def throttle_key(text: str | None, limit: int) -> str:
    """What a failure is counted under: trimmed, cut to its column, storable."""
    key = (text or "").strip()[:limit]
    return key if storable(key) else "".join(ch if storable(ch) else "\ufffd" for ch in key)


def begin_attempt(db: Database, throttle: LoginThrottle, *, username: str, address: str, now: datetime) -> int:
    """Records an attempt (as a failure until it succeeds) and returns its id, or raises
    TooManyAttempts (recording nothing) when the username or the address is past its limit."""
    since = now - throttle.window
    with db.unit_of_work() as uow:
        uow.session.execute(delete(LoginFailure).where(LoginFailure.failed_at < since))
        attempt = LoginFailure(username=username, address=address, failed_at=now)
        uow.session.add(attempt)
        uow.flush()
        attempt_id = attempt.id
    with db.unit_of_work() as uow:
        wait = _wait_for(uow.session, LoginFailure.username == username, throttle.per_username, attempt_id, since)
        wait = max(
            wait, _wait_for(uow.session, LoginFailure.address == address, throttle.per_address, attempt_id, since)
        )
        if wait > timedelta(0):
            uow.session.execute(delete(LoginFailure).where(LoginFailure.id == attempt_id))
    if wait > timedelta(0):
        raise TooManyAttempts(max(1, math.ceil(wait.total_seconds())))
    return attempt_id


def _wait_for(session: Session, same: ColumnElement[bool], limit: int, attempt_id: int, since: datetime) -> timedelta:
    """How long until fewer than `limit` earlier attempts are in the window (zero when
    they already are). Earlier means committed before this one: a smaller id. A limit
    of 0 or less counts nothing."""
    if limit <= 0:
        return timedelta(0)
    earlier = (same, LoginFailure.id < attempt_id, LoginFailure.failed_at >= since)
    count = session.scalars(select(func.count()).select_from(LoginFailure).where(*earlier)).one()
    if count < limit:
        return timedelta(0)
    # Once the limit-th most recent one leaves the window, limit - 1 are left.
    kth = session.scalar(
        select(LoginFailure.failed_at).where(*earlier).order_by(LoginFailure.failed_at.desc()).offset(limit - 1)
    )
    return kth - since if kth is not None else timedelta(seconds=1)


def succeeded(db: Database, *, attempt_id: int, username: str) -> None:
    """A good password takes back the attempt and the username's earlier failures."""
    with db.unit_of_work() as uow:
        uow.session.execute(
            delete(LoginFailure).where((LoginFailure.id == attempt_id) | (LoginFailure.username == username))
        )
