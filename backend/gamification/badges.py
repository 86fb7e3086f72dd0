"""Badges: a rule in the predicate language over the user, awarded once.

A rule is checked for a user only when something it reads changed for that user,
so a batch of events costs nothing for badges that cannot care. Each rule is indexed
by what can change its answer (`triggers_of`):
- `event:<name>` for the events its eventCount / eventSum aggregates read;
- `financial` for `user.financial.*` (deposit and withdrawal events change it);
- `points` for `user.points` and `user.level` (ledger writes);
- `profile` for the other `user.*` fields (upsertUsers, update_profile steps).
The callers say what changed (`changes`: user id -> triggers) in the transaction
that changed it, and `award_badges` runs there too, so an award is never lost to a
crash between the change and the check.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.dialect import insert_ignoring_conflicts
from backend.journeys.levels import level_name
from backend.journeys.loading import aggregate_totals
from backend.journeys.predicates import AggregateSpec, Facts, aggregates_of, evaluate, fields_read, problems_of
from backend.journeys.state import UserFacts
from backend.models import Badge, BadgeAward, Level, User

EVENT = "event:"
FINANCIAL = "financial"
POINTS = "points"
PROFILE = "profile"
FINANCIAL_EVENTS = frozenset({"deposit", "withdrawal"})


def rule_problems(rule: Any) -> list[str]:
    """What is wrong with a badge rule: a predicate over the user (there is no event or entry)."""
    problems = problems_of(rule, allow_event=False)
    if not problems:
        problems += [
            f"'{path}' reads a journey entry; a badge rule reads the user"
            for path in sorted(fields_read(rule))
            if path.startswith("entry.")
        ]
    return problems


def triggers_of(rule: Any) -> frozenset[str]:
    out = {EVENT + spec.name for spec in aggregates_of(rule)}
    for path in fields_read(rule):
        if path.startswith("user.financial."):
            out.add(FINANCIAL)
        elif path in ("user.points", "user.level"):
            out.add(POINTS)
        elif path.startswith("user."):
            out.add(PROFILE)
    return frozenset(out)


def event_changes(events: Iterable[Any]) -> dict[int, set[str]]:
    """What a batch of events (with .user_id and .name) changed, per user."""
    out: dict[int, set[str]] = defaultdict(set)
    for e in events:
        out[e.user_id].add(EVENT + e.name)
        if e.name in FINANCIAL_EVENTS:
            out[e.user_id].add(FINANCIAL)
    return out


def merge_changes(*parts: Mapping[int, Iterable[str]]) -> dict[int, set[str]]:
    out: dict[int, set[str]] = defaultdict(set)
    for part in parts:
        for uid, what in part.items():
            out[uid].update(what)
    return out


@dataclass(frozen=True)
class BadgeCheck:
    checked: int = 0
    # (badge, user) pairs whose rule now holds; one already awarded by a concurrent batch is not awarded again.
    earned: list[tuple[int, int]] = field(default_factory=list)


def user_facts(session: Session, user_ids: set[int], specs: set[AggregateSpec], now: datetime) -> dict[int, UserFacts]:
    """Read fresh (not from the session's identity map): this transaction may just have
    changed the points or the attributes with set-based statements."""
    levels = [(threshold, name) for threshold, name in session.execute(select(Level.threshold, Level.name))]
    rows = session.execute(
        select(
            User.id,
            User.external_id,
            User.username,
            User.email,
            User.phone,
            User.timezone,
            User.attributes,
            User.points,
            User.deposit_count,
            User.deposit_total,
            User.last_deposit_at,
        ).where(User.id.in_(sorted(user_ids)))
    )
    out = {
        r.id: UserFacts(
            user_id=r.id,
            external_id=r.external_id,
            username=r.username,
            email=r.email,
            phone=r.phone,
            timezone=r.timezone,
            attributes=dict(r.attributes or {}),
            points=r.points,
            level=level_name(levels, r.points),
            deposit_count=r.deposit_count,
            deposit_total=float(r.deposit_total or 0),
            last_deposit_at=r.last_deposit_at,
        )
        for r in rows
    }
    for spec in specs:
        totals = aggregate_totals(session, spec, set(out), now)
        for uid, facts in out.items():
            facts.aggregates[spec] = totals.get(uid, 0)
    return out


def _badge_index(session: Session) -> dict[str, list[tuple[int, Any]]]:
    """Every badge, by the triggers its rule listens to, in badge order."""
    by_trigger: dict[str, list[tuple[int, Any]]] = defaultdict(list)
    for pk, rule in session.execute(select(Badge.id, Badge.rule).order_by(Badge.id)):
        for trigger in triggers_of(rule):
            by_trigger[trigger].append((pk, rule))
    return by_trigger


def _badges_for(
    by_trigger: Mapping[str, list[tuple[int, Any]]], changes: Mapping[int, Iterable[str]]
) -> dict[int, list[tuple[int, Any]]]:
    """The badges each user's changes can affect, in badge order. The badges are indexed
    by trigger once per call, so a batch costs a lookup per user and trigger rather
    than a pass over every badge for every user."""
    wanted: dict[int, list[tuple[int, Any]]] = {}
    for uid, what in changes.items():
        pairs = {pk: rule for trigger in what for pk, rule in by_trigger.get(trigger, ())}
        if pairs:
            wanted[uid] = sorted(pairs.items(), key=lambda pair: pair[0])
    return wanted


def award_badges(session: Session, *, changes: Mapping[int, Iterable[str]], now: datetime) -> BadgeCheck:
    """Checks the badges whose triggers meet what changed for each user; awards those
    now earned (once: a second award of a badge to a user is ignored). Without any
    badge (one small query) nothing else is done."""
    if not changes:
        return BadgeCheck()
    by_trigger = _badge_index(session)
    if not by_trigger:
        return BadgeCheck()
    wanted = _badges_for(by_trigger, changes)
    if not wanted:
        return BadgeCheck()
    held = set(
        session.execute(
            select(BadgeAward.badge_id, BadgeAward.user_id).where(
                BadgeAward.user_id.in_(sorted(wanted)),
                BadgeAward.badge_id.in_(sorted({pk for p in wanted.values() for pk, _ in p})),
            )
        ).all()
    )
    wanted = {uid: [(pk, r) for pk, r in pairs if (pk, uid) not in held] for uid, pairs in wanted.items()}
    wanted = {uid: pairs for uid, pairs in wanted.items() if pairs}
    if not wanted:
        return BadgeCheck()
    specs = {spec for pairs in wanted.values() for _, rule in pairs for spec in aggregates_of(rule)}
    users = user_facts(session, set(wanted), specs, now)
    checked, earned = 0, []
    for uid, pairs in wanted.items():
        user = users.get(uid)
        if user is None:
            continue
        facts = Facts(now=now, user=user.as_dict(), aggregates=user.aggregates)
        for pk, rule in pairs:
            checked += 1
            if evaluate(rule, facts):
                earned.append((pk, uid))
    if earned:
        earned.sort()  # one order everywhere: two batches inserting the same awards cannot deadlock
        table = BadgeAward.__table__
        # With RETURNING the rows go in as multi-row statements, not one round trip each.
        session.execute(
            insert_ignoring_conflicts(session, table, ["badge_id", "user_id"]).returning(table.c.id),
            [{"badge_id": pk, "user_id": uid, "awarded_at": now} for pk, uid in earned],
        ).all()
    return BadgeCheck(checked=checked, earned=earned)
