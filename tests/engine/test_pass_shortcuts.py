"""The shortcuts the batch takes around the interpreter give what the long way gives:
the user's facts a pass hands back are those its effects make, and an entry's copy is
`copy.copy` of it."""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest

from backend.journeys import interpreter
from backend.journeys.interpreter import advance, advance_with_user
from backend.journeys.state import Captured, EventArrived, EventFacts, PointsAdded, StepLogged, user_after
from tests.engine.helpers import ENV, T0, entry, journey, user

LEVELS = ((0, "Bronze"), (15, "Silver"))
ENV_CAPPED = type(ENV)(resources=ENV.resources, frequency_cap=1, levels=LEVELS)

STEPS = [
    {"id": "s1", "kind": "send", "resource": "Welcome email", "next": "p"},
    {"id": "p", "kind": "points", "amount": 20, "reason": "welcome", "next": "u"},
    {"id": "u", "kind": "update_profile", "set": {"vip": True}, "next": "s2"},
    {"id": "s2", "kind": "send", "resource": "Welcome email", "next": "c"},
    {
        "id": "c",
        "kind": "condition",
        "where": {"field": "user.level", "op": "eq", "value": "Silver"},
        "yes": "b",
        "no": "w",
    },
    {"id": "b", "kind": "bonus", "template": "10 free spins", "next": "w"},
    {"id": "w", "kind": "wait", "seconds": 60, "next": "h"},
    {"id": "h", "kind": "webhook", "url": "https://crm.example.com/hook"},
]


@pytest.mark.parametrize("in_control_group", [False, True])
@pytest.mark.parametrize("opt_outs", [frozenset(), frozenset({"EMAIL"})])
def test_the_user_a_pass_hands_back_is_the_one_its_effects_make(in_control_group, opt_outs):
    j = journey(STEPS)
    u = user(opt_outs=opt_outs, attributes={"tier": "gold"})
    e = entry(in_control_group=in_control_group)
    state, effects, after = advance_with_user(e, j, u, now=T0, stimulus=Captured(None), env=ENV_CAPPED)
    assert after == user_after(u, effects, LEVELS)
    assert (state, effects) == advance(e, j, u, now=T0, stimulus=Captured(None), env=ENV_CAPPED)
    if not in_control_group:
        assert (after.points, after.level, after.attributes) == (20, "Silver", {"tier": "gold", "vip": True})
    assert u.points == 0 and u.attributes == {"tier": "gold"}  # the facts given stay as they were


def test_a_pass_that_raises_hands_back_the_user_as_given(monkeypatch):
    def emits_then_raises(p, _stimulus):
        p.emit(PointsAdded("p", 1, 5, "welcome", False))
        raise RuntimeError("a rule could not be checked")

    monkeypatch.setattr(interpreter, "_pass", emits_then_raises)
    u = user()
    j = journey([{"id": "p", "kind": "points", "amount": 5}])
    state, effects, after = advance_with_user(entry(), j, u, now=T0, stimulus=Captured(None), env=ENV)
    assert state.status == "FAILED" and [type(x) for x in effects] == [StepLogged]
    assert after == user_after(u, effects) == u


def test_a_step_that_fails_keeps_what_the_pass_did_before_it():
    j = journey([{"id": "p", "kind": "points", "amount": 5, "next": "gone"}])
    u = user()
    state, effects, after = advance_with_user(entry(), j, u, now=T0, stimulus=Captured(None), env=ENV)
    assert state.status == "FAILED"
    assert after == user_after(u, effects) and after.points == 5


def test_an_event_pass_hands_back_the_user_its_effects_make():
    j = journey(
        [
            {"id": "we", "kind": "wait_for_event", "event": "deposit", "next": "p"},
            {"id": "p", "kind": "points", "amount": 7},
        ]
    )
    waiting = entry(status="WAITING", current_step_id="we", waiting_event="deposit", step_entered_at=T0)
    event = EventArrived(EventFacts("deposit", {}, T0 + timedelta(seconds=5)))
    u = user(points=3)
    _, effects, after = advance_with_user(waiting, j, u, now=T0 + timedelta(seconds=5), stimulus=event, env=ENV)
    assert after == user_after(u, effects) and after.points == 10


def test_an_entry_copy_is_a_shallow_copy_the_pass_cannot_change():
    e = entry(visits={"a": 1}, payload={"amount": 5}, current_step_id="a", wake_at=T0)
    c = e.copy()
    assert c == copy.copy(e) and c is not e and type(c) is type(e)
    c.status, c.visits = "WAITING", {**c.visits, "a": 2}
    assert (e.status, e.visits) == ("ACTIVE", {"a": 1})
