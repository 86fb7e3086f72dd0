"""Badges: awarded once, and checked only when something their rule reads changed."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from sqlalchemy import func, select

from backend import lifecycle as life
from backend.catalog import create_badge, set_levels
from backend.errors import DomainError
from backend.gamification import badges as badge_module
from backend.gamification.badges import EVENT, FINANCIAL, POINTS, PROFILE, rule_problems, triggers_of
from backend.gamification.points import adjust_points
from backend.models import Badge, BadgeAward, User
from backend.processing.entries import advance_entries
from backend.processing.events import process_events
from backend.queue import RecordingQueue
from tests.db.journey_fixtures import ADMIN, catalog, make_journey, track, users
from tests.wiring import services_for

RULES = {
    "Three logins": {"eventCount": {"name": "login"}, "op": "gte", "value": 3},
    "Depositor": {"field": "user.financial.depositCount", "op": "gte", "value": 1},
    "VIP": {"field": "user.attributes.vip", "op": "eq", "value": True},
    "Centurion": {"field": "user.points", "op": "gte", "value": 100},
}


def test_rules_are_indexed_by_what_can_change_them():
    assert triggers_of(RULES["Three logins"]) == {EVENT + "login"}
    assert triggers_of(RULES["Depositor"]) == {FINANCIAL}
    assert triggers_of(RULES["VIP"]) == {PROFILE}
    assert triggers_of({"any": [RULES["Centurion"], {"field": "user.level", "op": "eq", "value": "Gold"}]}) == {POINTS}
    both = {
        "all": [
            {"eventSum": {"name": "bet", "property": "stake", "withinSeconds": 3600}, "op": "gt", "value": 9},
            {"not": {"field": "user.email", "op": "exists"}},
        ]
    }
    assert triggers_of(both) == {EVENT + "bet", PROFILE}


@pytest.mark.parametrize(
    "rule",
    [
        {},
        "vip",
        {"field": "user.nope", "op": "eq", "value": 1},
        {"field": "event.name", "op": "eq", "value": "x"},
        {"field": "entry.round", "op": "gt", "value": 1},
        {"eventCount": {"name": "login"}, "op": "gte"},
        {"field": "user.points", "op": "between", "value": 1},
    ],
)
def test_malformed_rules_are_refused(rule):
    assert rule_problems(rule)


def _make_badges(db):
    with db.unit_of_work() as uow:
        for name, rule in RULES.items():
            create_badge(uow, name=name, description=None, rule=rule)


def _awards(db):
    with db.read() as s:
        return sorted(
            (u, b)
            for u, b in s.execute(
                select(User.external_id, Badge.name)
                .join(BadgeAward, BadgeAward.user_id == User.id)
                .join(Badge, Badge.id == BadgeAward.badge_id)
            )
        )


def _spy(monkeypatch):
    """Counts which rules get evaluated, by badge name."""
    seen: Counter = Counter()
    names = {json.dumps(rule, sort_keys=True): name for name, rule in RULES.items()}
    real = badge_module.evaluate

    def evaluate(rule, facts):
        seen[names.get(json.dumps(rule, sort_keys=True), "?")] += 1
        return real(rule, facts)

    monkeypatch.setattr(badge_module, "evaluate", evaluate)
    return seen


def _events(db, *specs):
    ids = track(
        db,
        *(
            {"eventId": f"{name}-{i}-{ext}", "externalId": ext, "name": name, "properties": props}
            for i, (ext, name, props) in enumerate(specs, start=len(_all_events(db)))
        ),
    )
    process_events(services_for(db, RecordingQueue()), event_ids=ids)


def _all_events(db):
    from backend.models import Event

    with db.read() as s:
        return list(s.scalars(select(Event.id)))


def test_badges_are_awarded_once_and_only_checked_for_relevant_changes(db, monkeypatch):
    # p1 is a VIP before the badge exists: nothing awards it until the profile changes.
    users(db, {"externalId": "p1", "attributes": {"vip": True}}, {"externalId": "p2"})
    _make_badges(db)
    seen = _spy(monkeypatch)
    _events(db, ("p1", "login", {}), ("p1", "login", {}), ("p2", "login", {}))
    assert seen == Counter({"Three logins": 2})  # one check per user with a login, none of the others
    assert _awards(db) == []
    _events(db, ("p1", "login", {}))
    assert _awards(db) == [("p1", "Three logins")]
    seen.clear()
    _events(db, ("p1", "login", {}))  # already held: not even checked again
    assert seen == Counter() and _awards(db) == [("p1", "Three logins")]
    _events(db, ("p2", "deposit", {"amount": 20}))
    assert seen == Counter({"Depositor": 1})
    users(db, {"externalId": "p1", "email": "p1@example.com"})
    assert seen["VIP"] == 1 and ("p1", "VIP") in _awards(db)
    with db.unit_of_work() as uow:
        adjust_points(uow, principal=ADMIN, external_id="p2", amount=100, reason="welcome")
    assert _awards(db) == [("p1", "Three logins"), ("p1", "VIP"), ("p2", "Centurion"), ("p2", "Depositor")]
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(BadgeAward)) == 4


def test_journey_points_and_profile_steps_check_badges_and_levels_follow_their_thresholds(db):
    catalog(db)
    users(db, {"externalId": "p1"})
    with db.unit_of_work() as uow:
        set_levels(uow, levels=[("Bronze", 0), ("Silver", 100)])
        create_badge(uow, name="Silver", description=None, rule={"field": "user.level", "op": "eq", "value": "Silver"})
        create_badge(
            uow, name="Tagged", description=None, rule={"field": "user.attributes.tier", "op": "eq", "value": "A"}
        )
    definition = {
        "trigger": {"kind": "API"},
        "start": "p",
        "steps": [
            {"id": "p", "kind": "points", "amount": 60, "next": "u"},
            {"id": "u", "kind": "update_profile", "set": {"tier": "A"}, "next": "c"},
            {
                "id": "c",
                "kind": "condition",
                "where": {"field": "user.level", "op": "eq", "value": "Silver"},
                "yes": "y",
                "no": "n",
            },
            {"id": "y", "kind": "exit"},
            {"id": "n", "kind": "exit"},
        ],
    }
    jid = make_journey(db, definition, reentry_mode="EVERY_ENTRY")

    def run():
        q = RecordingQueue()
        with db.unit_of_work() as uow:
            [entry], _ = life.enter_journey(
                uow, principal=ADMIN, journey_id=jid, external_ids=["p1"], payload=None, queue=q
            )
        advance_entries(services_for(db, q), entry_ids=[entry.id])
        from backend.models import EntryStep

        with db.read() as s:
            return s.scalar(select(EntryStep.outcome).where(EntryStep.entry_id == entry.id, EntryStep.step_id == "c"))

    assert run() == "no"  # 60 points: Bronze
    assert _awards(db) == [("p1", "Tagged")]
    # Thresholds change: the next read of user.level sees them at once.
    with db.unit_of_work() as uow:
        set_levels(uow, levels=[("Bronze", 0), ("Silver", 100), ("Gold", 1000)])
    assert run() == "yes"  # 120 points: Silver
    assert _awards(db) == [("p1", "Silver"), ("p1", "Tagged")]
    with db.unit_of_work() as uow:
        set_levels(uow, levels=[("Bronze", 0), ("Silver", 500)])
    assert run() == "no"  # 180 points: Bronze again under the new thresholds


def test_create_badge_refuses_a_malformed_rule_and_stores_nothing(db):
    with pytest.raises(DomainError) as err, db.unit_of_work() as uow:
        create_badge(uow, name="Broken", description=None, rule={"field": "user.points", "op": "gte"})
    assert err.value.code == "INVALID_INPUT" and "needs a value" in err.value.message
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Badge)) == 0
