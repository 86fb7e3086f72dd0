"""Journey-level rules: re-entry and rounds, the control group, conversion, reactivation."""

from __future__ import annotations

from datetime import timedelta

import pytest

from backend.journeys.interpreter import advance, in_control_group
from backend.journeys.rules import check_conversion, decide_capture, pick_reactivation, reactivate, reactivation_applies
from backend.journeys.state import Due, EventFacts
from tests.engine.helpers import ENV, T0, capture, entry, journey, outcomes, user


@pytest.mark.parametrize(
    "mode,existing,enter,round_,restart",
    [
        ("ONCE", [], True, 1, ()),
        ("ONCE", [(1, "COMPLETED", 1)], False, 2, ()),
        ("ONCE", [(1, "STOPPED", 1)], False, 2, ()),
        ("NOT_WHILE_ACTIVE", [], True, 1, ()),
        ("NOT_WHILE_ACTIVE", [(1, "WAITING", 1)], False, 2, ()),
        ("NOT_WHILE_ACTIVE", [(1, "HALTED", 1)], False, 2, ()),
        ("NOT_WHILE_ACTIVE", [(1, "FROZEN", 1)], False, 2, ()),
        ("NOT_WHILE_ACTIVE", [(1, "COMPLETED", 1), (2, "EXITED", 2)], True, 3, ()),
        ("RESTART", [], True, 1, ()),
        ("RESTART", [(1, "WAITING", 1)], True, 2, (1,)),
        ("RESTART", [(1, "COMPLETED", 1), (4, "ACTIVE", 2)], True, 3, (4,)),
        ("RESTART", [(1, "COMPLETED", 1)], True, 2, ()),
        ("EVERY_ENTRY", [(1, "WAITING", 1), (2, "ACTIVE", 2)], True, 3, ()),
    ],
)
def test_reentry_modes_and_round_numbers(mode, existing, enter, round_, restart):
    d = decide_capture(mode, existing)
    assert (d.enter, d.round, d.restart_entry_ids) == (enter, round_, restart)


def test_control_group_is_stable_near_its_share_and_drawn_per_journey():
    picks = [in_control_group(journey_id=7, user_id=u, percent=20) for u in range(5000)]
    assert picks == [in_control_group(journey_id=7, user_id=u, percent=20) for u in range(5000)]
    assert 0.18 < sum(picks) / len(picks) < 0.22
    other = [in_control_group(journey_id=8, user_id=u, percent=20) for u in range(5000)]
    assert other != picks and 0.18 < sum(other) / len(other) < 0.22
    assert not any(in_control_group(journey_id=7, user_id=u, percent=0) for u in range(500))
    assert all(in_control_group(journey_id=7, user_id=u, percent=100) for u in range(500))
    # A larger share keeps everyone the smaller one held out.
    assert all(in_control_group(journey_id=7, user_id=u, percent=30) for u in range(5000) if picks[u])


GOAL = journey(
    [{"id": "w", "kind": "wait", "seconds": 10_000}],
    goal={
        "event": "deposit",
        "withinSeconds": 3600,
        "exitOnConversion": True,
        "where": {"field": "event.properties.amount", "op": "gte", "value": 20},
    },
)


def deposit(minutes, amount=50):
    return EventFacts("deposit", {"amount": amount}, T0 + timedelta(minutes=minutes))


def test_the_first_matching_goal_event_in_the_window_converts_and_exits():
    s, _ = capture(GOAL)
    conv, fx = check_conversion(s, GOAL, user(), deposit(30), T0 + timedelta(minutes=30))
    assert conv.converted_at == T0 + timedelta(minutes=30)
    assert (conv.status, conv.stop_reason, conv.progress_name, conv.progress_step) == (
        "EXITED",
        "converted",
        "Converted",
        50,
    )
    assert [(x.step_id, x.outcome) for x in fx] == [("goal", "converted"), ("progress", "status_set")]
    again, fx = check_conversion(conv, GOAL, user(), deposit(40), T0 + timedelta(minutes=40))
    assert (again.converted_at, fx) == (conv.converted_at, [])


@pytest.mark.parametrize(
    "event",
    [
        deposit(61),  # after withinSeconds
        deposit(-1),  # before the entry started
        deposit(5, amount=10),  # its where does not hold
        EventFacts("bet", {"amount": 50}, T0 + timedelta(minutes=5)),  # not the goal event
    ],
)
def test_events_that_do_not_convert(event):
    s, _ = capture(GOAL)
    same, fx = check_conversion(s, GOAL, user(), event, event.occurred_at)
    assert (same.converted_at, same.status, fx) == (None, "WAITING", [])


def test_control_group_entries_convert_too_and_without_exit_the_entry_runs_on():
    j = journey([{"id": "w", "kind": "wait", "seconds": 10_000}], goal={"event": "deposit"})
    s, _ = capture(j, entry(in_control_group=True))
    conv, _ = check_conversion(s, j, user(), deposit(60 * 24 * 30), T0)
    assert conv.converted_at is not None and conv.status == "WAITING"


def test_an_entry_that_already_ended_still_converts_but_keeps_its_end():
    j = journey([{"id": "x", "kind": "exit"}], goal={"event": "deposit", "exitOnConversion": True})
    s, _ = capture(j)
    conv, _ = check_conversion(s, j, user(), deposit(5), T0 + timedelta(minutes=5))
    assert (conv.status, conv.stop_reason, conv.converted_at) == ("COMPLETED", "exit step", T0 + timedelta(minutes=5))


REACT = journey(
    [
        {"id": "hi", "kind": "send", "resource": "Welcome email", "next": "w"},
        {"id": "w", "kind": "wait", "seconds": 600, "next": "again"},
        {"id": "again", "kind": "send", "resource": "Promo SMS"},
    ],
    reactivation={
        "event": "login",
        "where": {"field": "event.properties.device", "op": "eq", "value": "app"},
        "waitSeconds": 300,
        "lookbackSeconds": 86400,
        "resumeAt": "w",
    },
)


def ended(entry_id, hours_ago, status="COMPLETED", **kw):
    return entry(
        entry_id=entry_id, status=status, stopped_at=T0 - timedelta(hours=hours_ago), current_step_id="again", **kw
    )


def test_reactivation_applies_to_its_event_when_its_where_holds():
    assert reactivation_applies(REACT, EventFacts("login", {"device": "app"}, T0), user(), T0)
    assert not reactivation_applies(REACT, EventFacts("login", {"device": "web"}, T0), user(), T0)
    assert not reactivation_applies(REACT, EventFacts("deposit", {"device": "app"}, T0), user(), T0)


def test_reactivation_picks_the_most_recent_eligible_entry_never_reactivated_within_the_lookback():
    candidates = [
        ended(1, 5),
        ended(2, 2),
        ended(3, 1, status="STOPPED"),
        ended(4, 30),
        ended(5, 0.5, reactivated_at=T0 - timedelta(days=9)),
    ]
    assert pick_reactivation(REACT, candidates, T0).entry_id == 2
    assert pick_reactivation(REACT, [ended(4, 30), ended(3, 1, status="STOPPED")], T0) is None
    stopped_ok = journey(
        [{"id": "x", "kind": "exit"}], reactivation={"event": "login", "eligibleStatuses": ["STOPPED"]}
    )
    assert pick_reactivation(stopped_ok, candidates, T0).entry_id == 3


def test_a_reactivated_entry_waits_then_runs_again_from_resume_at():
    s, fx = reactivate(ended(2, 2), REACT, T0)
    assert outcomes(fx) == [("w", "reactivated")]
    assert (s.status, s.current_step_id, s.wake_at, s.reactivated_at, s.stopped_at, s.stop_reason) == (
        "WAITING",
        "w",
        T0 + timedelta(seconds=300),
        T0,
        None,
        None,
    )
    early, fx = advance(s, REACT, user(), now=T0 + timedelta(seconds=299), stimulus=Due(), env=ENV)
    assert fx == [] and early.status == "WAITING"
    # resumeAt is a wait: when the reactivation delay ends, that wait starts (not skipped).
    s, fx = advance(s, REACT, user(), now=T0 + timedelta(seconds=300), stimulus=Due(), env=ENV)
    assert fx == [] and (s.status, s.wake_at) == ("WAITING", T0 + timedelta(seconds=900))
    s, fx = advance(s, REACT, user(), now=T0 + timedelta(seconds=900), stimulus=Due(), env=ENV)
    assert outcomes(fx) == [("w", "waited"), ("again", "sent")] and s.status == "COMPLETED"


def test_without_wait_or_resume_at_the_entry_runs_again_from_start_at_once():
    j = journey([{"id": "hi", "kind": "send", "resource": "Welcome email"}], reactivation={"event": "login"})
    s, fx = reactivate(ended(2, 2, visits={"hi": 1}), j, T0)
    assert (s.status, s.current_step_id, s.wake_at) == ("ACTIVE", "hi", None)
    s, fx = advance(s, j, user(), now=T0, stimulus=Due(), env=ENV)
    assert outcomes(fx) == [("hi", "sent")] and fx[-1].visit == 2  # a new visit: a new idempotency key
