"""Local wall-clock times: waits until HH:MM and quiet hours, in the user's zone or the server's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from backend.journeys.interpreter import advance
from backend.journeys.state import Due, Env, SendQueued
from tests.engine.helpers import ENV, T0, capture, entry, journey, outcomes, user

UTC = UTC
KOLKATA_SERVER = Env(resources=ENV.resources, default_timezone="Asia/Kolkata")  # UTC+5:30, no DST


def wake_of(step, u, now=T0, env=ENV):
    s, _ = capture(journey([{"id": "w", "kind": "wait", "next": None, **step}]), u=u, now=now, env=env)
    return s.wake_at


@pytest.mark.parametrize(
    "zone,expected",
    [
        ("Asia/Tokyo", datetime(2026, 12, 2, 0, 0, tzinfo=UTC)),  # 21:00 there: tomorrow 09:00
        ("America/New_York", datetime(2026, 12, 1, 14, 0, tzinfo=UTC)),  # 07:00 there: today 09:00
        ("UTC", datetime(2026, 12, 2, 9, 0, tzinfo=UTC)),  # 12:00: tomorrow
        ("Asia/Kolkata", datetime(2026, 12, 2, 3, 30, tzinfo=UTC)),  # 17:30 there: tomorrow
    ],
)
def test_wait_until_a_local_time_in_the_users_zone(zone, expected):
    assert wake_of({"until": "09:00", "timezone": "user"}, user(timezone=zone)) == expected


def test_the_user_zone_is_the_default_for_until():
    assert wake_of({"until": "09:00"}, user(timezone="Asia/Tokyo")) == datetime(2026, 12, 2, 0, 0, tzinfo=UTC)


def test_wait_until_in_a_named_zone_ignores_the_users_zone():
    step = {"until": "18:00", "timezone": "Asia/Tokyo"}
    assert wake_of(step, user(timezone="America/New_York")) == datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def test_users_without_a_zone_or_with_an_unknown_one_use_the_servers_zone():
    step = {"until": "20:00", "timezone": "user"}  # 17:30 in Kolkata now: today 20:00 there
    expected = datetime(2026, 12, 1, 14, 30, tzinfo=UTC)
    assert wake_of(step, user(timezone=None), env=KOLKATA_SERVER) == expected
    assert wake_of(step, user(timezone="Nowhere/Atlantis"), env=KOLKATA_SERVER) == expected


def test_wait_until_the_time_it_is_now_means_tomorrow():
    assert wake_of({"until": "12:00", "timezone": "UTC"}, user()) == T0 + timedelta(days=1)


def test_wait_until_across_a_daylight_saving_change_keeps_the_wall_clock_time():
    # New York moves to summer time on 2026-03-08 at 02:00: 09:00 that morning is 13:00 UTC, not 14:00.
    evening_before = datetime(2026, 3, 8, 3, 0, tzinfo=UTC)  # 22:00 on March 7 there
    assert wake_of({"until": "09:00"}, user(timezone="America/New_York"), now=evening_before) == datetime(
        2026, 3, 8, 13, 0, tzinfo=UTC
    )


def test_the_waited_step_is_logged_when_the_local_time_comes():
    j = journey(
        [{"id": "w", "kind": "wait", "until": "09:00", "next": "p"}, {"id": "p", "kind": "points", "amount": 1}]
    )
    tokyo = user(timezone="Asia/Tokyo")
    s, _ = capture(j, u=tokyo)
    assert s.blocked_reason == "waiting until 2026-12-02 00:00 UTC"
    _done, fx = advance(s, j, tokyo, now=s.wake_at, stimulus=Due(), env=ENV)
    assert outcomes(fx) == [("w", "waited"), ("p", "points_added")]


NIGHT = {"start": "22:00", "end": "08:00"}


def test_a_send_in_the_users_quiet_hours_waits_until_they_end_then_goes_out():
    j = journey([{"id": "hi", "kind": "send", "resource": "Promo SMS"}], quietHours=NIGHT)
    tokyo = user(timezone="Asia/Tokyo")
    now = T0 + timedelta(hours=2)  # 23:00 in Tokyo
    s, fx = capture(j, u=tokyo, now=now)
    assert fx == [] and (s.status, s.current_step_id, s.visits) == ("WAITING", "hi", {})
    assert s.wake_at == datetime(2026, 12, 1, 23, 0, tzinfo=UTC)  # 08:00 in Tokyo
    assert s.blocked_reason == "quiet hours: step 'hi' sends at 2026-12-01 23:00 UTC (Asia/Tokyo)"
    early, fx = advance(s, j, tokyo, now=s.wake_at - timedelta(minutes=1), stimulus=Due(), env=ENV)
    assert (early.status, fx) == ("WAITING", [])
    later, fx = advance(s, j, tokyo, now=s.wake_at, stimulus=Due(), env=ENV)
    assert outcomes(fx) == [("hi", "sent")] and later.status == "COMPLETED"
    assert [x.visit for x in fx if isinstance(x, SendQueued)] == [1]
    assert (fx[-1].entered_at, fx[-1].left_at) == (now, s.wake_at)  # the hold shows in the log


def test_the_same_moment_is_quiet_for_one_user_and_not_for_another():
    j = journey([{"id": "hi", "kind": "send", "resource": "Promo SMS"}], quietHours=NIGHT)
    now = T0 + timedelta(hours=2)  # 14:00 UTC
    assert outcomes(capture(j, u=user(timezone="Europe/Riga"), now=now)[1]) == [("hi", "sent")]  # 16:00 there
    assert capture(j, u=user(timezone="Asia/Tokyo"), now=now)[0].status == "WAITING"  # 23:00 there


def test_users_without_a_zone_have_the_servers_quiet_hours():
    j = journey([{"id": "hi", "kind": "send", "resource": "Promo SMS"}], quietHours=NIGHT)
    now = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)  # 22:30 in Kolkata
    s, _fx = capture(j, u=user(timezone=None), now=now, env=KOLKATA_SERVER)
    assert s.wake_at == datetime(2026, 12, 2, 2, 30, tzinfo=UTC)
    assert s.blocked_reason == "quiet hours: step 'hi' sends at 2026-12-02 02:30 UTC (Asia/Kolkata)"


@pytest.mark.parametrize("clock,held", [("12:59", False), ("13:00", True), ("14:30", True), ("15:00", False)])
def test_a_daytime_window_starts_inclusive_and_ends_exclusive(clock, held):
    j = journey([{"id": "hi", "kind": "send", "resource": "Promo SMS"}], quietHours={"start": "13:00", "end": "15:00"})
    hours, minutes = map(int, clock.split(":"))
    s, _fx = capture(j, u=user(timezone="UTC"), now=datetime(2026, 12, 1, hours, minutes, tzinfo=UTC))
    assert (s.status == "WAITING") is held
    if held:
        assert s.wake_at == datetime(2026, 12, 1, 15, 0, tzinfo=UTC)


def test_quiet_hours_hold_only_sends():
    j = journey(
        [
            {"id": "p", "kind": "points", "amount": 5, "next": "hi"},
            {"id": "hi", "kind": "send", "resource": "Promo SMS"},
        ],
        quietHours=NIGHT,
    )
    s, fx = capture(j, u=user(timezone="UTC"), now=datetime(2026, 12, 1, 23, 0, tzinfo=UTC))
    assert outcomes(fx) == [("p", "points_added")] and (s.status, s.current_step_id) == ("WAITING", "hi")


def test_a_control_group_send_in_quiet_hours_is_held_then_stored_suppressed():
    j = journey([{"id": "hi", "kind": "send", "resource": "Promo SMS"}], quietHours=NIGHT)
    u = user(timezone="UTC")
    s, _ = capture(j, entry(in_control_group=True), u, now=datetime(2026, 12, 1, 23, 0, tzinfo=UTC))
    _, fx = advance(s, j, u, now=s.wake_at, stimulus=Due(), env=ENV)
    assert [x.suppressed_reason for x in fx if isinstance(x, SendQueued)] == ["control group"]
