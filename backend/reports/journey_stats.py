"""Journey statistics, live counts, the funnel and the control-group report."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from backend.errors import DomainError
from backend.journeys.definition import DEFAULT_LADDER, compile
from backend.models import Communication, Entry, EntryStep, Journey, utcnow
from backend.statuses import RUNNING
from backend.times import to_utc

PERIODS = {"LAST_24_HOURS": 1, "LAST_7_DAYS": 7, "LAST_14_DAYS": 14, "LAST_30_DAYS": 30}
ERROR_OUTCOMES = ("failed", "bonus_failed", "webhook_failed")


def window(
    period: str | None, frm: datetime | None, to: datetime | None, now: datetime | None = None
) -> tuple[datetime | None, datetime | None]:
    """An explicit from/to wins over a period; neither means all time. A time without a
    zone is read as UTC."""
    now = now or utcnow()
    frm, to = to_utc(frm, ["from"]), to_utc(to, ["to"])
    if frm is not None or to is not None:
        if frm is not None and to is not None and frm > to:
            raise DomainError("INVALID_INPUT", "`from` must be before `to`", ["from"])
        return frm, to
    if period:
        return now - timedelta(days=PERIODS[period]), None
    return None, None


def _in(
    column: InstrumentedAttribute[datetime | None], frm: datetime | None, to: datetime | None
) -> ColumnElement[bool]:
    conds: list[ColumnElement[bool]] = []
    if frm is not None:
        conds.append(column >= frm)
    if to is not None:
        conds.append(column < to)
    return and_(*conds) if conds else column.is_not(None)


@dataclass(frozen=True)
class Stats:
    entered: int
    completed: int
    converted: int
    stopped: int
    exited: int
    failed: int
    errors: int
    in_progress: int


def stats(session: Session, journey_id: int, frm: datetime | None, to: datetime | None) -> Stats:
    e = Entry
    j = e.journey_id == journey_id
    entered = session.scalar(select(func.count()).where(j, _in(e.entered_at, frm, to))) or 0
    ended = dict(
        session.execute(select(e.status, func.count()).where(j, _in(e.stopped_at, frm, to)).group_by(e.status)).all()
    )
    converted = session.scalar(select(func.count()).where(j, _in(e.converted_at, frm, to))) or 0
    in_progress = session.scalar(select(func.count()).where(j, e.status.in_(RUNNING))) or 0
    step_errors = (
        session.scalar(
            select(func.count())
            .select_from(EntryStep)
            .where(
                EntryStep.journey_id == journey_id,
                EntryStep.outcome.in_(ERROR_OUTCOMES),
                _in(EntryStep.entered_at, frm, to),
            )
        )
        or 0
    )
    send_errors = (
        session.scalar(
            select(func.count())
            .select_from(Communication)
            .where(
                Communication.journey_id == journey_id,
                Communication.status.in_(("FAILED", "BOUNCED")),
                _in(Communication.queued_at, frm, to),
            )
        )
        or 0
    )
    return Stats(
        entered=entered,
        completed=ended.get("COMPLETED", 0),
        converted=converted,
        stopped=ended.get("STOPPED", 0),
        exited=ended.get("EXITED", 0),
        failed=ended.get("FAILED", 0),
        errors=step_errors + send_errors,
        in_progress=in_progress,
    )


@dataclass(frozen=True)
class StepCount:
    step_id: str
    name: str | None
    kind: str
    count: int


def live_stats(session: Session, journey: Journey) -> list[StepCount]:
    """Running entries per step of the current definition, steps with none included."""
    counts = dict(
        session.execute(
            select(Entry.current_step_id, func.count())
            .where(Entry.journey_id == journey.id, Entry.status.in_(RUNNING))
            .group_by(Entry.current_step_id)
        ).all()
    )
    steps = compile(journey.definition).steps
    rows = [StepCount(sid, s.name, s.kind, counts.pop(sid, 0)) for sid, s in steps.items()]
    # Entries on steps an older version had and the current one does not.
    rows += [StepCount(str(sid), None, "unknown", n) for sid, n in counts.items() if sid is not None]
    return rows


@dataclass(frozen=True)
class FunnelRow:
    status: str
    step: int
    count: int


def funnel(
    session: Session, journey: Journey, frm: datetime | None, to: datetime | None, round_: int | None
) -> list[FunnelRow]:
    """Entries (entered in the window) that reached at least each status of the ladder."""
    ladder = sorted(compile(journey.definition).ladder.items(), key=lambda kv: kv[1]) or list(DEFAULT_LADDER)
    conds = [Entry.journey_id == journey.id, _in(Entry.entered_at, frm, to)]
    if round_ is not None:
        conds.append(Entry.round == round_)
    reached = dict(
        session.execute(select(Entry.progress_step, func.count()).where(*conds).group_by(Entry.progress_step)).all()
    )
    return [FunnelRow(name, step, sum(n for s, n in reached.items() if s >= step)) for name, step in ladder]


@dataclass(frozen=True)
class Group:
    entries: int
    conversions: int

    @property
    def rate(self) -> float:
        return self.conversions / self.entries if self.entries else 0.0


@dataclass(frozen=True)
class ControlReport:
    treatment: Group
    control: Group
    uplift: float | None
    low: float | None
    high: float | None
    significant: bool


def _wilson(k: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return centre - half, centre + half


def uplift_interval(t: Group, c: Group) -> tuple[float | None, float | None, float | None]:
    """Difference of conversion rates with Newcombe's hybrid score interval (method 10):
    built from each group's Wilson interval, it stays sound for small groups and rates
    near 0 or 1, where the plain normal (Wald) interval is too narrow."""
    if not t.entries or not c.entries:
        return None, None, None
    p1, p2 = t.rate, c.rate
    l1, u1 = _wilson(t.conversions, t.entries)
    l2, u2 = _wilson(c.conversions, c.entries)
    d = p1 - p2
    return d, d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)


def control_report(session: Session, journey_id: int, frm: datetime | None, to: datetime | None) -> ControlReport:
    rows = session.execute(
        select(Entry.in_control_group, func.count(), func.count(Entry.converted_at))
        .where(Entry.journey_id == journey_id, _in(Entry.entered_at, frm, to))
        .group_by(Entry.in_control_group)
    ).all()
    by = {bool(cg): Group(int(n), int(conv)) for cg, n, conv in rows}
    t, c = by.get(False, Group(0, 0)), by.get(True, Group(0, 0))
    d, low, high = uplift_interval(t, c)
    return ControlReport(t, c, d, low, high, significant=low is not None and high is not None and (low > 0 or high < 0))


@dataclass(frozen=True)
class ResourceCounts:
    resource_id: int
    channel: str
    queued: int
    sent: int
    delivered: int
    opened: int
    machine_opened: int
    clicked: int
    failed: int
    suppressed: int


def communication_stats(
    session: Session, journey_id: int, frm: datetime | None, to: datetime | None
) -> list[ResourceCounts]:
    """Per resource, how its messages queued in the window did. `sent` counts every
    message that left (sent or further); `opened` counts opens by a person."""
    c = Communication
    left = c.status.in_(("SENT", "DELIVERED", "BOUNCED"))
    rows = session.execute(
        select(
            c.resource_id,
            c.channel,
            func.count(),
            func.count().filter(left),
            func.count().filter(c.status == "DELIVERED"),
            func.count(c.first_open_at),
            func.count().filter(c.machine_open_at.is_not(None) & c.first_open_at.is_(None)),
            func.count(c.first_click_at),
            func.count().filter(c.status.in_(("FAILED", "BOUNCED"))),
            func.count().filter(c.status == "SUPPRESSED"),
        )
        .where(c.journey_id == journey_id, _in(c.queued_at, frm, to))
        .group_by(c.resource_id, c.channel)
        .order_by(c.resource_id)
    ).all()
    return [ResourceCounts(*tuple(row)) for row in rows]
