"""The cron schedule of a SCHEDULED_SEGMENT trigger, in its IANA time zone, up to endsAt.

A journey keeps its next cron time in `journeys.next_run_at` while it is ACTIVE (NULL
once the schedule has ended, or while it is stopped). The scheduler runs a journey
whose time came; a run missed while nothing was running happens once when the
scheduler comes back, for the latest cron time that passed, and the schedule goes on
from now. A journey stopped and activated again continues at its next cron time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from croniter import CroniterBadDateError, croniter

from backend.segments.preview import segment_problem

# croniter gives up on a cron that has no time within this many years (30 February).
_SEARCH_YEARS = 5


@dataclass(frozen=True)
class Schedule:
    cron: str
    zone: ZoneInfo
    ends_at: datetime | None

    def _iter(self, start: datetime) -> croniter:
        return croniter(self.cron, start.astimezone(self.zone), max_years_between_matches=_SEARCH_YEARS)

    def next_after(self, moment: datetime) -> datetime | None:
        """The first cron time strictly after `moment`, or None when there is none before endsAt."""
        try:
            when = self._iter(moment).get_next(datetime).astimezone(UTC)
        except CroniterBadDateError:
            return None
        if self.ends_at is not None and when > self.ends_at:
            return None
        return when

    def latest_at_or_before(self, moment: datetime) -> datetime | None:
        """The last cron time at or before `moment` (and endsAt)."""
        limit = min(moment, self.ends_at) if self.ends_at is not None else moment
        try:
            return self._iter(limit + timedelta(microseconds=1)).get_prev(datetime).astimezone(UTC)
        except CroniterBadDateError:
            return None


def _parse_time(text: Any) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def schedule_of(document: Any) -> Schedule | None:
    """The schedule of a well-formed SCHEDULED_SEGMENT document (see definition_checks)."""
    trigger = document.get("trigger") if isinstance(document, dict) else None
    if not isinstance(trigger, dict) or trigger.get("kind") != "SCHEDULED_SEGMENT":
        return None
    schedule = trigger.get("schedule") or {}
    ends_at = _parse_time(schedule.get("endsAt"))
    return Schedule(
        cron=schedule["cron"],
        zone=ZoneInfo(schedule.get("timezone") or "UTC"),
        ends_at=ends_at.astimezone(UTC) if ends_at else None,
    )


def due_time(schedule: Schedule, next_run_at: datetime, now: datetime) -> datetime:
    """The cron time a run that starts now stands for: the latest one that passed, so
    runs missed one after another collapse into this one."""
    latest = schedule.latest_at_or_before(now)
    return latest if latest is not None and latest >= next_run_at else next_run_at


def runnable_problem(document: Any, now: datetime) -> str | None:
    """Why a SCHEDULED_SEGMENT journey could never capture anyone, or None.

    The document is well-formed already; this is what only the moment of activation
    can tell (the schedule's end has passed) and what a segment cannot read."""
    schedule = schedule_of(document)
    if schedule is None:
        return None
    if schedule.next_after(now) is None:
        ends = f" before endsAt {schedule.ends_at.isoformat()}" if schedule.ends_at else ""
        return f"trigger.schedule.cron {schedule.cron!r} has no time left{ends}: the journey would never run"
    problem = segment_problem(document["trigger"].get("segment"))
    return f"trigger.segment: {problem}" if problem else None
