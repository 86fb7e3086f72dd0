"""Local wall-clock times: waits until HH:MM and quiet hours, in the user's time zone."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone(name: str | None, default: str) -> ZoneInfo:
    for candidate in (name, default, "UTC"):
        if candidate:
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


def _hhmm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def next_local(now: datetime, hhmm: str, tz: ZoneInfo) -> datetime:
    """The next moment after `now` when the wall clock in `tz` shows HH:MM, in UTC."""
    local = now.astimezone(tz)
    target = datetime.combine(local.date(), _hhmm(hhmm), tzinfo=tz)
    if target <= local:
        target = datetime.combine(local.date() + timedelta(days=1), _hhmm(hhmm), tzinfo=tz)
    return target.astimezone(UTC)


def quiet_until(now: datetime, window: tuple[str, str] | None, tz: ZoneInfo) -> datetime | None:
    """When the quiet hours that `now` falls in end, or None outside them."""
    if window is None:
        return None
    start, end = _hhmm(window[0]), _hhmm(window[1])
    t = now.astimezone(tz).time()
    inside = (start <= t < end) if start < end else (t >= start or t < end)
    return next_local(now, window[1], tz) if inside else None


@lru_cache(maxsize=1024)
def fmt(when: datetime) -> str:
    """The instant as a blocked reason shows it. Cached: the entries of a batch mostly
    share their wake time (equal instants give the same text, whatever their zone)."""
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
