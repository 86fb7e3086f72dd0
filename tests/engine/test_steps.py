"""Every step kind, with the outcomes it writes to the entry's log and the effects it asks for."""

from __future__ import annotations

from datetime import timedelta

import pytest

from backend.journeys.interpreter import advance
from backend.journeys.state import (
    BonusRequested,
    Due,
    Env,
    EventArrived,
    EventFacts,
    PointsAdded,
    ProfileUpdated,
    SendQueued,
    StepLogged,
    WebhookRequested,
    user_after,
)
from tests.engine.helpers import ENV, T0, capture, entry, journey, outcomes, user

CHANNELS = Env(resources={"Mail": "EMAIL", "Text": "SMS", "Call": "IVR", "Push": "PUSH", "Popup": "POPUP"})


def sends(effects):
    return [x for x in effects if isinstance(x, SendQueued)]


def test_send_queues_the_resource_on_its_channel_and_an_end_completes_the_entry():
    j = journey([{"id": "hi", "kind": "send", "resource": "Welcome email"}])
    s, fx = capture(j)
    assert sends(fx) == [SendQueued("hi", 1, "Welcome email", "EMAIL", None)]
    assert fx[-1] == StepLogged("hi", "send", None, 1, "sent", T0, T0, "EMAIL queued")
    assert (s.status, s.stop_reason, s.stopped_at, s.blocked_reason, s.current_step_id) == (
        "COMPLETED",
        "completed",
        T0,
        None,
        "hi",
    )


@pytest.mark.parametrize(
    "resource,u,reason",
    [
        ("Mail", user(email=None), "no email address"),
        ("Text", user(phone=None), "no phone number"),
        ("Call", user(phone=""), "no phone number"),
        ("Push", user(email=None, phone=None), None),
        ("Popup", user(email=None, phone=None), None),
        ("Mail", user(opt_outs=frozenset({"EMAIL"})), "opted out of EMAIL"),
        ("Mail", user(opt_outs=frozenset({"SMS"})), None),
    ],
)
def test_send_suppression_by_address_and_opt_out(resource, u, reason):
    j = journey([{"id": "m", "kind": "send", "resource": resource}])
    _, fx = capture(j, u=u, env=CHANNELS)
    assert [x.suppressed_reason for x in sends(fx)] == [reason]
    assert outcomes(fx) == [("m", "suppressed" if reason else "sent")]


def test_the_control_group_is_suppressed_before_any_other_reason():
    j = journey([{"id": "m", "kind": "send", "resource": "Mail"}])
    _, fx = capture(j, entry(in_control_group=True), user(email=None, opt_outs=frozenset({"EMAIL"})), env=CHANNELS)
    assert sends(fx)[0].suppressed_reason == "control group"


def test_frequency_cap_counts_todays_messages_and_the_ones_sent_in_this_pass():
    capped = Env(resources=CHANNELS.resources, frequency_cap=2)
    j = journey(
        [
            {"id": "a", "kind": "send", "resource": "Text", "next": "b"},
            {"id": "b", "kind": "send", "resource": "Text", "next": "c"},
            {"id": "c", "kind": "send", "resource": "Mail"},
        ]
    )
    u = user(sent_today={"SMS": 1})
    _, fx = capture(j, u=u, env=capped)
    assert [(x.step_id, x.suppressed_reason) for x in sends(fx)] == [
        ("a", None),
        ("b", "frequency cap: 2 SMS messages a day"),
        ("c", None),
    ]
    # The user given is left as it was; the sends are in the facts after the pass.
    assert u.sent_today == {"SMS": 1}
    assert user_after(u, fx).sent_today == {"SMS": 2, "EMAIL": 1}
    # Without a cap (0), any number goes out.
    _, fx = capture(j, u=user(sent_today={"SMS": 99}), env=CHANNELS)
    assert [x.suppressed_reason for x in sends(fx)] == [None, None, None]


def test_wait_for_seconds_then_continue_when_due():
    j = journey([{"id": "w", "kind": "wait", "seconds": 60, "next": "p"}, {"id": "p", "kind": "points", "amount": 1}])
    s, fx = capture(j)
    assert (s.status, s.wake_at, s.blocked_reason, fx) == (
        "WAITING",
        T0 + timedelta(seconds=60),
        "waiting until 2026-12-01 12:01 UTC",
        [],
    )
    early, fx = advance(s, j, user(), now=T0 + timedelta(seconds=59), stimulus=Due(), env=ENV)
    assert (early.status, fx) == ("WAITING", [])
    done, fx = advance(s, j, user(), now=T0 + timedelta(seconds=90), stimulus=Due(), env=ENV)
    assert fx[0] == StepLogged("w", "wait", None, 1, "waited", T0, T0 + timedelta(seconds=90), None)
    assert outcomes(fx) == [("w", "waited"), ("p", "points_added")] and done.status == "COMPLETED"


WAIT_DEPOSIT = [
    {
        "id": "w",
        "kind": "wait_for_event",
        "event": "deposit",
        "timeoutSeconds": 3600,
        "next": "thanks",
        "timeoutNext": "nudge",
        "where": {"field": "event.properties.amount", "op": "gte", "value": 20},
    },
    {"id": "thanks", "kind": "exit"},
    {"id": "nudge", "kind": "send", "resource": "Promo SMS"},
]


def deposit(amount, at=T0):
    return EventArrived(EventFacts("deposit", {"amount": amount}, at))


def test_wait_for_event_goes_on_when_the_matching_event_arrives():
    j = journey(WAIT_DEPOSIT)
    s, _ = capture(j)
    assert (s.status, s.waiting_event, s.blocked_reason) == (
        "WAITING",
        "deposit",
        "waiting for event 'deposit' until 2026-12-01 13:00 UTC",
    )
    for other in (deposit(5), EventArrived(EventFacts("bet", {"amount": 50}, T0))):
        same, fx = advance(s, j, user(), now=T0, stimulus=other, env=ENV)
        assert (same.status, same.wake_at, fx) == ("WAITING", s.wake_at, [])
    at = T0 + timedelta(minutes=5)
    done, fx = advance(s, j, user(), now=at, stimulus=deposit(50, at), env=ENV)
    assert outcomes(fx) == [("w", "event_received"), ("thanks", "completed")]
    assert fx[0].detail == "event 'deposit'" and (done.status, done.waiting_event) == ("COMPLETED", None)


def test_wait_for_event_times_out_to_its_timeout_next():
    j = journey(WAIT_DEPOSIT)
    s, _ = capture(j)
    late, fx = advance(s, j, user(), now=T0 + timedelta(hours=2), stimulus=Due(), env=ENV)
    assert outcomes(fx) == [("w", "timed_out"), ("nudge", "sent")] and late.status == "COMPLETED"
    # An event that happened after the time-out does not count, even if processed first.
    after = T0 + timedelta(hours=1, seconds=1)
    late, fx = advance(s, j, user(), now=after, stimulus=deposit(50, after), env=ENV)
    assert outcomes(fx) == [("w", "timed_out"), ("nudge", "sent")]


def test_wait_for_event_without_a_timeout_waits_for_ever_even_when_woken():
    j = journey([{**WAIT_DEPOSIT[0], "timeoutSeconds": None}, *WAIT_DEPOSIT[1:]])
    s, _ = capture(j)
    assert (s.wake_at, s.blocked_reason) == (None, "waiting for event 'deposit'")
    same, fx = advance(s, j, user(), now=T0 + timedelta(days=400), stimulus=Due(), env=ENV)
    assert (same.status, fx) == ("WAITING", [])


def test_condition_takes_yes_or_no():
    j = journey(
        [
            {
                "id": "c",
                "kind": "condition",
                "where": {"field": "user.financial.depositCount", "op": "gte", "value": 1},
                "yes": "y",
                "no": "n",
            },
            {"id": "y", "kind": "exit"},
            {"id": "n", "kind": "exit"},
        ]
    )
    assert outcomes(capture(j, u=user(deposit_count=1))[1]) == [("c", "yes"), ("y", "completed")]
    assert outcomes(capture(j, u=user(deposit_count=0))[1]) == [("c", "no"), ("n", "completed")]


def test_a_condition_without_the_taken_branch_ends_the_journey():
    j = journey(
        [
            {"id": "c", "kind": "condition", "where": {"field": "user.points", "op": "gt", "value": 0}, "yes": "y"},
            {"id": "y", "kind": "exit"},
        ]
    )
    s, fx = capture(j)
    assert outcomes(fx) == [("c", "no")] and (s.status, s.stop_reason) == ("COMPLETED", "completed")


def test_split_is_stable_per_entry_and_follows_the_percentages():
    j = journey(
        [
            {
                "id": "s",
                "kind": "split",
                "branches": [{"name": "a", "percent": 30, "next": "x"}, {"name": "b", "percent": 70, "next": "x"}],
            },
            {"id": "x", "kind": "exit"},
        ]
    )
    first = [outcomes(capture(j, entry(entry_id=i))[1])[0][1] for i in range(3000)]
    again = [outcomes(capture(j, entry(entry_id=i))[1])[0][1] for i in range(3000)]
    assert first == again
    assert set(first) == {"branch:a", "branch:b"}
    assert 0.27 < first.count("branch:a") / len(first) < 0.33


def test_a_zero_percent_branch_is_never_taken():
    j = journey(
        [
            {
                "id": "s",
                "kind": "split",
                "branches": [
                    {"name": "never", "percent": 0, "next": "x"},
                    {"name": "always", "percent": 100, "next": "x"},
                ],
            },
            {"id": "x", "kind": "exit"},
        ]
    )
    assert {outcomes(capture(j, entry(entry_id=i))[1])[0][1] for i in range(500)} == {"branch:always"}


def test_bonus_is_requested_once_per_visit_and_held_out_in_the_control_group():
    j = journey([{"id": "b", "kind": "bonus", "template": "10 free spins"}])
    _, fx = capture(j)
    assert [x for x in fx if isinstance(x, BonusRequested)] == [BonusRequested("b", 1, "10 free spins", False)]
    assert outcomes(fx) == [("b", "bonus_requested")]
    _, fx = capture(j, entry(in_control_group=True))
    assert [x for x in fx if isinstance(x, BonusRequested)] == [BonusRequested("b", 1, "10 free spins", True)]
    assert [(x.outcome, x.detail) for x in fx if isinstance(x, StepLogged)] == [("suppressed", "control group")]


def test_points_are_added_and_seen_by_a_later_condition_but_not_in_the_control_group():
    j = journey(
        [
            {"id": "p", "kind": "points", "amount": 10, "reason": "welcome", "next": "c"},
            {
                "id": "c",
                "kind": "condition",
                "where": {"field": "user.points", "op": "gte", "value": 10},
                "yes": "y",
                "no": "n",
            },
            {"id": "y", "kind": "exit"},
            {"id": "n", "kind": "exit"},
        ]
    )
    _, fx = capture(j)
    assert [x for x in fx if isinstance(x, PointsAdded)] == [PointsAdded("p", 1, 10, "welcome", False)]
    assert outcomes(fx)[:2] == [("p", "points_added"), ("c", "yes")]
    _, fx = capture(j, entry(in_control_group=True))
    assert [x for x in fx if isinstance(x, PointsAdded)] == [PointsAdded("p", 1, 10, "welcome", True)]
    assert outcomes(fx)[:2] == [("p", "suppressed"), ("c", "no")]
    _, fx = capture(journey([{"id": "q", "kind": "points", "amount": 3}]))
    assert fx[0].reason == "journey step 'q'"


def test_set_status_moves_up_or_sideways_never_down():
    statuses = [
        {"name": "Entered", "step": 0},
        {"name": "Engaged", "step": 20},
        {"name": "Hot", "step": 20},
        {"name": "Warm", "step": 10},
    ]
    j = journey(
        [
            {"id": "a", "kind": "set_status", "status": "Engaged", "next": "b"},
            {"id": "b", "kind": "set_status", "status": "Warm", "next": "c"},
            {"id": "c", "kind": "set_status", "status": "Hot"},
        ],
        statuses=statuses,
    )
    s, fx = capture(j)
    assert outcomes(fx) == [("a", "status_set"), ("b", "status_ignored"), ("c", "status_set")]
    assert [x.detail for x in fx] == ["Engaged", "Warm", "Hot"]
    assert (s.progress_name, s.progress_step, s.progress_at) == ("Hot", 20, T0)


def test_update_profile_is_an_effect_and_seen_by_a_later_condition_in_the_same_pass():
    j = journey(
        [
            {"id": "u", "kind": "update_profile", "set": {"vip": True}, "next": "c"},
            {
                "id": "c",
                "kind": "condition",
                "where": {"field": "user.attributes.vip", "op": "eq", "value": True},
                "yes": "y",
                "no": "n",
            },
            {"id": "y", "kind": "exit"},
            {"id": "n", "kind": "exit"},
        ]
    )
    _, fx = capture(j, u=user(attributes={"tier": "gold"}))
    assert [x for x in fx if isinstance(x, ProfileUpdated)] == [ProfileUpdated({"vip": True})]
    assert outcomes(fx)[:2] == [("u", "profile_updated"), ("c", "yes")]


def test_webhook_is_requested_in_the_control_group_too():
    j = journey(
        [
            {
                "id": "h",
                "kind": "webhook",
                "url": "https://crm.example.com/hook",
                "body": '{"u": "{{ user.externalId }}"}',
            }
        ]
    )
    for in_control in (False, True):
        _, fx = capture(j, entry(in_control_group=in_control))
        assert [x for x in fx if isinstance(x, WebhookRequested)] == [
            WebhookRequested("h", 1, "https://crm.example.com/hook", '{"u": "{{ user.externalId }}"}')
        ]
        assert outcomes(fx) == [("h", "webhook_requested")]


def test_goto_moves_to_another_track_and_exit_completes():
    j = journey(
        [
            {"id": "g", "kind": "goto", "to": "x"},
            {"id": "skipped", "kind": "points", "amount": 1},
            {"id": "x", "kind": "exit", "name": "The end"},
        ]
    )
    s, fx = capture(j)
    assert outcomes(fx) == [("g", "moved"), ("x", "completed")]
    assert fx[0].detail == "-> 'x'" and fx[1].name == "The end"
    assert (s.status, s.stop_reason, s.current_step_id) == ("COMPLETED", "exit step", "x")


@pytest.mark.parametrize(
    "step",
    [
        {"kind": "bonus", "configured": False, "template": "10 free spins"},
        {"kind": "send"},
        {"kind": "wait"},
        {"kind": "wait_for_event"},
        {"kind": "condition", "yes": "x"},
        {"kind": "split"},
        {"kind": "bonus"},
        {"kind": "points"},
        {"kind": "set_status"},
        {"kind": "update_profile"},
        {"kind": "webhook"},
        {"kind": "goto"},
    ],
)
def test_an_unconfigured_step_halts_the_entry_there_and_is_never_skipped(step):
    j = journey([{"id": "g", "kind": "goto", "to": "b"}, {"id": "b", **step, "next": "x"}, {"id": "x", "kind": "exit"}])
    s, fx = capture(j)
    assert outcomes(fx) == [("g", "moved"), ("b", "halted")]
    assert (s.status, s.current_step_id, s.blocked_reason, s.wake_at) == (
        "HALTED",
        "b",
        "halted: step 'b' is not configured",
        None,
    )
    again, fx = advance(s, j, user(), now=T0 + timedelta(days=1), stimulus=Due(), env=ENV)
    assert (again.status, again.current_step_id, fx) == ("HALTED", "b", [])
