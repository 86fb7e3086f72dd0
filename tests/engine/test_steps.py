"""Every step kind, with the outcomes it writes to the entry's log."""
from __future__ import annotations

from datetime import timedelta

from backend.journeys.interpreter import advance, in_control_group
from backend.journeys.state import (
    BonusRequested, Due, EventArrived, EventFacts, PointsAdded, ProfileUpdated, SendQueued, WebhookRequested,
)
from tests.engine.helpers import ENV, T0, capture, entry, journey, outcomes, user


def test_send_then_end_completes_in_one_pass():
    j = journey([{"id": "hi", "kind": "send", "resource": "Welcome email"}])
    s, fx = capture(j)
    assert outcomes(fx) == [("hi", "sent")]
    assert [e for e in fx if isinstance(e, SendQueued)] == [SendQueued("hi", 1, "Welcome email", "EMAIL", None)]
    assert (s.status, s.stop_reason, s.blocked_reason) == ("COMPLETED", "completed", None)


def test_send_is_suppressed_for_control_group_opt_out_missing_address_and_cap():
    j = journey([{"id": "sms", "kind": "send", "resource": "Promo SMS"}])
    cases = [
        (entry(in_control_group=True), user(), "control group"),
        (entry(), user(opt_outs=frozenset({"SMS"})), "opted out of SMS"),
        (entry(), user(phone=None), "no phone number"),
    ]
    for e, u, reason in cases:
        _, fx = capture(j, e, u)
        assert [x.suppressed_reason for x in fx if isinstance(x, SendQueued)] == [reason]
        assert outcomes(fx) == [("sms", "suppressed")]
    capped = ENV.__class__(resources=ENV.resources, frequency_cap=2)
    _, fx = capture(j, u=user(sent_today={"SMS": 2}), env=capped)
    assert fx[0].suppressed_reason == "frequency cap: 2 SMS messages a day"
    _, fx = capture(j, u=user(sent_today={"SMS": 1}), env=capped)
    assert fx[0].suppressed_reason is None


def test_wait_then_condition_then_bonus_over_two_passes():
    j = journey([
        {"id": "w", "kind": "wait", "seconds": 60, "next": "c"},
        {"id": "c", "kind": "condition", "where": {"field": "user.financial.depositCount", "op": "gte", "value": 1},
         "yes": "b", "no": "n"},
        {"id": "b", "kind": "bonus", "template": "10 free spins"},
        {"id": "n", "kind": "points", "amount": 5},
    ])
    s, fx = capture(j)
    assert (s.status, s.wake_at, fx) == ("WAITING", T0 + timedelta(seconds=60), [])
    assert s.blocked_reason == "waiting until 2026-12-01 12:01 UTC"
    early, fx = advance(s, j, user(), now=T0 + timedelta(seconds=30), stimulus=Due(), env=ENV)
    assert early.status == "WAITING" and fx == []
    s2, fx = advance(s, j, user(deposit_count=1), now=T0 + timedelta(seconds=61), stimulus=Due(), env=ENV)
    assert outcomes(fx) == [("w", "waited"), ("c", "yes"), ("b", "bonus_requested")]
    assert [x for x in fx if isinstance(x, BonusRequested)] == [BonusRequested("b", 1, "10 free spins", False)]
    assert s2.status == "COMPLETED"
    waited = fx[0]
    assert (waited.entered_at, waited.left_at) == (T0, T0 + timedelta(seconds=61))
    s3, fx = advance(s, j, user(), now=T0 + timedelta(seconds=61), stimulus=Due(), env=ENV)
    assert outcomes(fx)[-2:] == [("c", "no"), ("n", "points_added")]
    assert [x.amount for x in fx if isinstance(x, PointsAdded)] == [5]


def test_wait_for_event_received_or_timed_out():
    j = journey([
        {"id": "w", "kind": "wait_for_event", "event": "deposit", "where": {"field": "event.properties.amount", "op": "gte", "value": 20},
         "timeoutSeconds": 3600, "next": "thanks", "timeoutNext": "nudge"},
        {"id": "thanks", "kind": "exit"},
        {"id": "nudge", "kind": "send", "resource": "Promo SMS"},
    ])
    s, _ = capture(j)
    assert s.status == "WAITING" and s.waiting_event == "deposit"
    assert s.blocked_reason == "waiting for event 'deposit' until 2026-12-01 13:00 UTC"
    small = EventArrived(EventFacts("deposit", {"amount": 5}, T0))
    same, fx = advance(s, j, user(), now=T0, stimulus=small, env=ENV)
    assert same.status == "WAITING" and fx == []
    big = EventArrived(EventFacts("deposit", {"amount": 50}, T0))
    done, fx = advance(s, j, user(), now=T0 + timedelta(minutes=5), stimulus=big, env=ENV)
    assert outcomes(fx) == [("w", "event_received"), ("thanks", "completed")] and done.status == "COMPLETED"
    late, fx = advance(s, j, user(), now=T0 + timedelta(hours=2), stimulus=Due(), env=ENV)
    assert outcomes(fx) == [("w", "timed_out"), ("nudge", "sent")]


def test_split_is_stable_per_entry_and_follows_the_percentages():
    j = journey([{"id": "s", "kind": "split", "branches": [
        {"name": "a", "percent": 30, "next": "x"}, {"name": "b", "percent": 70, "next": "x"}]},
        {"id": "x", "kind": "exit"}])
    first = [outcomes(capture(j, entry(entry_id=i))[1])[0][1] for i in range(2000)]
    again = [outcomes(capture(j, entry(entry_id=i))[1])[0][1] for i in range(2000)]
    assert first == again
    share_a = first.count("branch:a") / len(first)
    assert 0.26 < share_a < 0.34


def test_points_bonus_suppressed_and_webhook_sent_in_the_control_group():
    j = journey([
        {"id": "p", "kind": "points", "amount": 10, "next": "b"},
        {"id": "b", "kind": "bonus", "template": "t", "next": "h"},
        {"id": "h", "kind": "webhook", "url": "https://crm.example.com/hook", "body": "{}"},
    ])
    _, fx = capture(j, entry(in_control_group=True))
    assert outcomes(fx) == [("p", "suppressed"), ("b", "suppressed"), ("h", "webhook_requested")]
    assert [type(x) for x in fx if not hasattr(x, "outcome")] == [PointsAdded, BonusRequested, WebhookRequested]


def test_update_profile_is_seen_by_a_later_condition_in_the_same_pass():
    j = journey([
        {"id": "u", "kind": "update_profile", "set": {"vip": True}, "next": "c"},
        {"id": "c", "kind": "condition", "where": {"field": "user.attributes.vip", "op": "eq", "value": True}, "yes": "y", "no": "n"},
        {"id": "y", "kind": "exit"}, {"id": "n", "kind": "exit"},
    ])
    _, fx = capture(j)
    assert [x for x in fx if isinstance(x, ProfileUpdated)] == [ProfileUpdated({"vip": True})]
    assert ("c", "yes") in outcomes(fx)


def test_status_ladder_moves_up_or_sideways_never_down():
    statuses = [{"name": "Entered", "step": 0}, {"name": "Engaged", "step": 20}, {"name": "Hot", "step": 20}, {"name": "Warm", "step": 10}]
    j = journey([
        {"id": "a", "kind": "set_status", "status": "Engaged", "next": "b"},
        {"id": "b", "kind": "set_status", "status": "Warm", "next": "c"},
        {"id": "c", "kind": "set_status", "status": "Hot"},
    ], statuses=statuses)
    s, fx = capture(j)
    assert outcomes(fx) == [("a", "status_set"), ("b", "status_ignored"), ("c", "status_set")]
    assert (s.progress_name, s.progress_step) == ("Hot", 20)


def test_goto_moves_to_another_track_and_an_unconfigured_step_halts():
    j = journey([
        {"id": "g", "kind": "goto", "to": "b"},
        {"id": "b", "kind": "bonus", "configured": False},
    ])
    s, fx = capture(j)
    assert outcomes(fx) == [("g", "moved"), ("b", "halted")]
    assert (s.status, s.current_step_id, s.blocked_reason) == ("HALTED", "b", "halted: step 'b' is not configured")
    again, fx = advance(s, j, user(), now=T0, stimulus=Due(), env=ENV)
    assert again.status == "HALTED" and fx == []


def test_exit_when_then_move_when_come_before_the_step():
    j = journey([
        {"id": "w", "kind": "wait", "seconds": 999, "next": "x"},
        {"id": "x", "kind": "exit"},
        {"id": "vip", "kind": "send", "resource": "VIP pop-up"},
    ], exitWhen=[{"event": "self_exclusion"}], moveWhen=[{"event": "vip_upgrade", "to": "vip"}])
    s, _ = capture(j)
    moved, fx = advance(s, j, user(), now=T0, stimulus=EventArrived(EventFacts("vip_upgrade", {}, T0)), env=ENV)
    assert outcomes(fx) == [("w", "moved"), ("vip", "sent")] and moved.status == "COMPLETED"
    exited, fx = advance(s, j, user(), now=T0, stimulus=EventArrived(EventFacts("self_exclusion", {}, T0)), env=ENV)
    assert (exited.status, exited.stop_reason) == ("EXITED", "exitWhen: self_exclusion")


def test_a_loop_through_a_wait_runs_one_lap_per_pass():
    j = journey([
        {"id": "s", "kind": "send", "resource": "VIP pop-up", "next": "w"},
        {"id": "w", "kind": "wait", "seconds": 10, "next": "s"},
    ])
    s, fx = capture(j)
    assert outcomes(fx) == [("s", "sent")] and s.status == "WAITING"
    s2, fx = advance(s, j, user(), now=T0 + timedelta(seconds=11), stimulus=Due(), env=ENV)
    assert outcomes(fx) == [("w", "waited"), ("s", "sent")]
    assert [x.visit for x in fx if isinstance(x, SendQueued)] == [2]
    assert s2.visits == {"s": 2, "w": 2}


def test_control_group_is_stable_and_near_its_share():
    picks = [in_control_group(journey_id=7, user_id=u, percent=20) for u in range(5000)]
    assert picks == [in_control_group(journey_id=7, user_id=u, percent=20) for u in range(5000)]
    assert 0.17 < sum(picks) / len(picks) < 0.23
    assert not any(in_control_group(journey_id=7, user_id=u, percent=0) for u in range(100))
