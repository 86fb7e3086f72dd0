"""The order of a pass: exitWhen, moveWhen, then the steps until a wait, an end or a halt;
loops, the runaway guard, and what a pass leaves alone."""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest

from backend.journeys.definition import Catalog, compile, validate
from backend.journeys.interpreter import MAX_STEPS_PER_PASS, advance
from backend.journeys.state import Captured, Due, EventArrived, EventFacts, SendQueued
from tests.engine.helpers import ENV, T0, capture, entry, journey, outcomes, user

RULES = {
    "exitWhen": [
        {"event": "self_exclusion"},
        {"event": "deposit", "where": {"field": "event.properties.amount", "op": "gte", "value": 1000}},
    ],
    "moveWhen": [{"event": "vip_upgrade", "to": "vip"}, {"event": "deposit", "to": "thanks"}],
}
STEPS = [
    {"id": "hi", "kind": "send", "resource": "Welcome email", "next": "w"},
    {"id": "w", "kind": "wait", "seconds": 3600, "next": "bye"},
    {"id": "bye", "kind": "exit"},
    {"id": "vip", "kind": "send", "resource": "VIP pop-up", "next": "w"},
    {"id": "thanks", "kind": "points", "amount": 5},
]


def event(name, at=T0, **props):
    return EventFacts(name, props, at)


def waiting():
    j = journey(STEPS, **RULES)
    s, _ = capture(j)
    return j, s


def test_a_capture_runs_the_first_steps_in_the_same_pass_until_a_wait():
    _j, s = waiting()
    assert (s.status, s.current_step_id, s.wake_at) == ("WAITING", "w", T0 + timedelta(hours=1))
    assert s.visits == {"hi": 1, "w": 1}


def test_exit_when_ends_the_entry_before_anything_else():
    j, s = waiting()
    out, fx = advance(s, j, user(), now=T0, stimulus=EventArrived(event("self_exclusion")), env=ENV)
    assert (out.status, out.stop_reason, out.stopped_at, out.wake_at, out.blocked_reason) == (
        "EXITED",
        "exitWhen: self_exclusion",
        T0,
        None,
        None,
    )
    assert outcomes(fx) == [("w", "exited")]


def test_exit_when_comes_before_move_when_and_its_where_must_hold():
    j, s = waiting()
    big, fx = advance(s, j, user(), now=T0, stimulus=EventArrived(event("deposit", amount=5000)), env=ENV)
    assert (big.status, outcomes(fx)) == ("EXITED", [("w", "exited")])
    small, fx = advance(s, j, user(), now=T0, stimulus=EventArrived(event("deposit", amount=10)), env=ENV)
    assert outcomes(fx) == [("w", "moved"), ("thanks", "points_added")] and small.status == "COMPLETED"


def test_move_when_continues_at_its_step_in_the_same_pass():
    j, s = waiting()
    later = T0 + timedelta(minutes=10)
    moved, fx = advance(s, j, user(), now=later, stimulus=EventArrived(event("vip_upgrade", later)), env=ENV)
    assert outcomes(fx) == [("w", "moved"), ("vip", "sent")]
    assert fx[0].detail == "moveWhen: event 'vip_upgrade' -> 'vip'" and (fx[0].entered_at, fx[0].left_at) == (T0, later)
    # Back in the wait, with a new timer and a second visit of it.
    assert (moved.status, moved.current_step_id, moved.wake_at, moved.visits["w"]) == (
        "WAITING",
        "w",
        later + timedelta(hours=1),
        2,
    )


def test_the_capturing_event_is_checked_against_exit_when_and_move_when_first():
    j = journey(STEPS, **RULES)
    s, fx = advance(entry(), j, user(), now=T0, stimulus=Captured(event("deposit", amount=5000)), env=ENV)
    assert (s.status, outcomes(fx)) == ("EXITED", [("hi", "exited")])
    s, fx = advance(entry(), j, user(), now=T0, stimulus=Captured(event("vip_upgrade")), env=ENV)
    assert outcomes(fx) == [("hi", "moved"), ("vip", "sent")]
    s, fx = advance(entry(), j, user(), now=T0, stimulus=Captured(event("login")), env=ENV)
    assert outcomes(fx) == [("hi", "sent")]


def test_a_halted_entry_still_obeys_exit_when_and_move_when():
    j = journey([{"id": "b", "kind": "bonus"}, *STEPS], **RULES)
    s, _ = capture(j)
    assert s.status == "HALTED"
    out, _ = advance(s, j, user(), now=T0, stimulus=EventArrived(event("self_exclusion")), env=ENV)
    assert (out.status, out.stop_reason) == ("EXITED", "exitWhen: self_exclusion")
    moved, fx = advance(s, j, user(), now=T0, stimulus=EventArrived(event("vip_upgrade")), env=ENV)
    assert outcomes(fx) == [("b", "moved"), ("vip", "sent")] and moved.status == "WAITING"
    same, fx = advance(s, j, user(), now=T0, stimulus=EventArrived(event("login")), env=ENV)
    assert (same.status, fx) == ("HALTED", [])


def test_an_unrelated_event_leaves_a_waiting_entry_as_it_was():
    j, s = waiting()
    same, fx = advance(s, j, user(), now=T0 + timedelta(minutes=1), stimulus=EventArrived(event("login")), env=ENV)
    assert (same, fx) == (s, [])


def test_an_event_processed_after_the_timer_fired_lets_the_wait_end_too():
    j, s = waiting()
    later = T0 + timedelta(hours=2)
    out, fx = advance(s, j, user(), now=later, stimulus=EventArrived(event("login", later)), env=ENV)
    assert outcomes(fx) == [("w", "waited"), ("bye", "completed")] and out.status == "COMPLETED"


@pytest.mark.parametrize("status", ["COMPLETED", "STOPPED", "EXITED", "FAILED", "FROZEN"])
def test_entries_that_ended_or_are_frozen_do_not_move(status):
    j = journey(STEPS, **RULES)
    s = entry(status=status, current_step_id="w")
    for stimulus in (Due(), EventArrived(event("self_exclusion")), EventArrived(event("vip_upgrade"))):
        out, fx = advance(s, j, user(), now=T0, stimulus=stimulus, env=ENV)
        assert (out, fx) == (s, [])


def test_a_pass_does_not_change_the_state_it_was_given():
    j, s = waiting()
    before = copy.deepcopy(s)
    advance(s, j, user(), now=T0 + timedelta(hours=2), stimulus=Due(), env=ENV)
    advance(s, j, user(), now=T0, stimulus=EventArrived(event("vip_upgrade")), env=ENV)
    assert s == before


def test_a_loop_through_a_wait_is_valid_and_runs_one_lap_per_pass_with_new_visit_numbers():
    steps = [
        {"id": "s", "kind": "send", "resource": "VIP pop-up", "next": "w"},
        {"id": "w", "kind": "wait", "seconds": 10, "next": "s"},
    ]
    assert (
        validate(
            {"trigger": {"kind": "API"}, "start": "s", "steps": steps},
            catalog=Catalog(resources={"VIP pop-up": "POPUP"}),
        )
        == []
    )
    j = journey(steps)
    s, fx = capture(j)
    assert outcomes(fx) == [("s", "sent")] and s.status == "WAITING"
    keys = [(x.step_id, x.visit) for x in fx if isinstance(x, SendQueued)]
    for lap in range(1, 4):
        s, fx = advance(s, j, user(), now=T0 + timedelta(seconds=11 * lap), stimulus=Due(), env=ENV)
        assert outcomes(fx) == [("w", "waited"), ("s", "sent")] and s.status == "WAITING"
        keys += [(x.step_id, x.visit) for x in fx if isinstance(x, SendQueued)]
    assert keys == [("s", 1), ("s", 2), ("s", 3), ("s", 4)]
    assert s.visits == {"s": 4, "w": 4}


def test_a_split_in_a_loop_takes_the_same_branch_every_lap():
    j = journey(
        [
            {
                "id": "sp",
                "kind": "split",
                "branches": [{"name": "a", "percent": 50, "next": "w"}, {"name": "b", "percent": 50, "next": "w"}],
            },
            {"id": "w", "kind": "wait", "seconds": 1, "next": "sp"},
        ]
    )
    for entry_id in range(20):
        s, fx = capture(j, entry(entry_id=entry_id))
        branches = {outcomes(fx)[0][1]}
        for lap in range(1, 4):
            s, fx = advance(s, j, user(), now=T0 + timedelta(seconds=2 * lap), stimulus=Due(), env=ENV)
            branches.add(outcomes(fx)[1][1])
        assert len(branches) == 1


def test_a_loop_without_a_wait_that_slipped_past_validation_fails_the_entry():
    j = journey([{"id": "a", "kind": "points", "amount": 1, "next": "b"}, {"id": "b", "kind": "goto", "to": "a"}])
    s, fx = capture(j)
    assert (s.status, s.stop_reason) == (
        "FAILED",
        f"more than {MAX_STEPS_PER_PASS} steps ran in one pass without a wait",
    )
    assert s.blocked_reason == f"failed: more than {MAX_STEPS_PER_PASS} steps ran in one pass without a wait"
    assert len(outcomes(fx)) == MAX_STEPS_PER_PASS


def test_a_straight_run_just_under_the_limit_completes():
    steps = [{"id": f"p{i}", "kind": "points", "amount": 1, "next": f"p{i + 1}"} for i in range(MAX_STEPS_PER_PASS - 1)]
    steps.append({"id": f"p{MAX_STEPS_PER_PASS - 1}", "kind": "points", "amount": 1})
    s, fx = capture(journey(steps))
    assert s.status == "COMPLETED" and len(fx) == 2 * MAX_STEPS_PER_PASS


def test_a_step_missing_from_the_version_fails_the_entry_with_the_reason():
    j = journey([{"id": "a", "kind": "exit"}])
    s, fx = advance(entry(current_step_id="gone", version=3), j, user(), now=T0, stimulus=Due(), env=ENV)
    assert (s.status, s.stop_reason, s.blocked_reason, fx) == (
        "FAILED",
        "step 'gone' does not exist in version 3",
        "failed: step 'gone' does not exist in version 3",
        [],
    )


def test_an_active_entry_due_now_runs_from_its_current_step():
    j = journey(STEPS)
    s, fx = advance(entry(current_step_id="bye"), j, user(), now=T0, stimulus=Due(), env=ENV)
    assert outcomes(fx) == [("bye", "completed")] and s.status == "COMPLETED"


def test_a_journey_without_steps_completes_at_once():
    s, fx = capture(compile({"trigger": {"kind": "API"}, "steps": []}))
    assert (s.status, s.stop_reason, fx) == ("COMPLETED", "completed", [])
