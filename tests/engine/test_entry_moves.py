"""Moves an entry makes outside a pass: progress from deliveries, freeze and thaw, stop,
and a halted entry going on in a version that configures its step."""

from __future__ import annotations

from datetime import timedelta

import pytest

from backend.journeys.definition import compile
from backend.journeys.interpreter import FROZEN_REASON, advance, freeze, migrate_halted, progress_event, stop, unfreeze
from backend.journeys.state import Due, SendQueued, StepLogged
from tests.engine.helpers import ENV, T0, capture, entry, journey, outcomes, user

DEFAULT = journey([{"id": "x", "kind": "exit"}])


def test_deliveries_move_the_default_ladder_up_and_each_move_is_in_the_history():
    s = entry()
    moves = []
    for minute, name in enumerate(("Sent", "Delivered", "Opened", "Clicked"), start=1):
        s, fx = progress_event(s, journey=DEFAULT, name=name, at=T0 + timedelta(minutes=minute))
        moves += fx
    assert (s.progress_name, s.progress_step, s.progress_at) == ("Clicked", 40, T0 + timedelta(minutes=4))
    assert [(m.outcome, m.detail) for m in moves] == [
        ("status_set", "Entered -> Sent"),
        ("status_set", "Sent -> Delivered"),
        ("status_set", "Delivered -> Opened"),
        ("status_set", "Opened -> Clicked"),
    ]
    assert all(isinstance(m, StepLogged) and m.step_id == "progress" for m in moves)


def test_progress_never_moves_down_and_a_repeat_writes_nothing():
    s, _ = progress_event(entry(), journey=DEFAULT, name="Opened", at=T0)
    late_delivery, fx = progress_event(s, journey=DEFAULT, name="Delivered", at=T0 + timedelta(minutes=1))
    assert (late_delivery.progress_name, fx) == ("Opened", [])
    again, fx = progress_event(s, journey=DEFAULT, name="Opened", at=T0 + timedelta(minutes=2))
    assert (again.progress_at, fx) == (T0, [])


def test_progress_moves_sideways_to_a_status_with_the_same_step():
    ladder = journey(
        [{"id": "x", "kind": "exit"}],
        statuses=[{"name": "Entered", "step": 0}, {"name": "Opened", "step": 30}, {"name": "Clicked", "step": 30}],
    )
    s, _ = progress_event(entry(), journey=ladder, name="Clicked", at=T0)
    s, fx = progress_event(s, journey=ladder, name="Opened", at=T0 + timedelta(minutes=1))
    assert (s.progress_name, s.progress_step, [m.detail for m in fx]) == ("Opened", 30, ["Clicked -> Opened"])


def test_only_automatic_statuses_the_ladder_has_are_moved():
    ladder = journey(
        [{"id": "x", "kind": "exit"}], statuses=[{"name": "Entered", "step": 0}, {"name": "Hot", "step": 5}]
    )
    for name in ("Sent", "Hot", "Bogus"):
        s, fx = progress_event(entry(), journey=ladder, name=name, at=T0)
        assert (s.progress_name, fx) == ("Entered", [])


def test_an_ended_entry_still_records_that_its_message_was_opened():
    s, fx = progress_event(entry(status="COMPLETED"), journey=DEFAULT, name="Opened", at=T0)
    assert (s.progress_name, s.status, len(fx)) == ("Opened", "COMPLETED", 1)


WAITS = journey(
    [
        {"id": "w", "kind": "wait", "seconds": 60, "next": "hi"},
        {"id": "hi", "kind": "send", "resource": "Welcome email"},
        {"id": "e", "kind": "wait_for_event", "event": "deposit"},
        {"id": "h", "kind": "bonus"},
    ]
)


@pytest.mark.parametrize("start", ["w", "e", "h"])
def test_freeze_keeps_the_place_and_unfreeze_goes_back_to_it(start):
    s, _ = advance(entry(current_step_id=start), WAITS, user(), now=T0, stimulus=Due(), env=ENV)
    frozen = freeze(s)
    assert (frozen.status, frozen.blocked_reason, frozen.current_step_id, frozen.wake_at) == (
        "FROZEN",
        FROZEN_REASON,
        start,
        s.wake_at,
    )
    assert unfreeze(frozen, journey=WAITS) == s


def test_a_thawed_entry_whose_timer_passed_goes_on_when_processed():
    s, _ = capture(WAITS)
    thawed = unfreeze(freeze(s), journey=WAITS)
    done, fx = advance(thawed, WAITS, user(), now=T0 + timedelta(days=3), stimulus=Due(), env=ENV)
    assert outcomes(fx) == [("w", "waited"), ("hi", "sent")] and done.status == "COMPLETED"


def test_an_active_entry_thaws_as_active_and_ended_ones_are_not_frozen():
    active = entry(current_step_id="hi")
    assert unfreeze(freeze(active), journey=WAITS) == active
    done = entry(status="COMPLETED")
    assert freeze(done) is done and unfreeze(done, journey=WAITS) is done


@pytest.mark.parametrize(
    "status,reason,blocked",
    [
        ("STOPPED", "stopped by operator", None),
        ("EXITED", "restarted", None),
        ("FAILED", "the wallet refused the bonus", "failed: the wallet refused the bonus"),
    ],
)
def test_stop_ends_a_running_entry(status, reason, blocked):
    s, _ = capture(WAITS)
    out = stop(s, now=T0 + timedelta(seconds=5), status=status, reason=reason)
    assert (out.status, out.stop_reason, out.stopped_at, out.wake_at, out.blocked_reason) == (
        status,
        reason,
        T0 + timedelta(seconds=5),
        None,
        blocked,
    )
    assert s.status == "WAITING"


def test_stop_leaves_an_ended_entry_and_refuses_a_status_that_is_not_an_end():
    done = entry(status="COMPLETED", stop_reason="completed")
    assert stop(done, now=T0, status="STOPPED", reason="x") is done
    with pytest.raises(ValueError):
        stop(entry(), now=T0, status="WAITING", reason="x")


def test_a_halted_entry_goes_on_in_a_version_that_configures_its_step():
    v1 = journey([{"id": "hi", "kind": "send", "next": "p"}, {"id": "p", "kind": "points", "amount": 1}])
    s, fx = capture(v1)
    assert (s.status, outcomes(fx)) == ("HALTED", [("hi", "halted")])
    assert migrate_halted(s, journey=v1, version=2) is s  # still not configured there
    v2 = journey(
        [
            {"id": "hi", "kind": "send", "resource": "Welcome email", "next": "p"},
            {"id": "p", "kind": "points", "amount": 1},
        ]
    )
    moved = migrate_halted(s, journey=v2, version=2)
    assert (moved.status, moved.version, moved.current_step_id, moved.blocked_reason) == ("ACTIVE", 2, "hi", None)
    _done, fx = advance(moved, v2, user(), now=T0 + timedelta(hours=1), stimulus=Due(), env=ENV)
    assert outcomes(fx) == [("hi", "sent"), ("p", "points_added")]
    # The halted line and the sent line are the same visit: one idempotency key.
    assert [x.visit for x in fx if isinstance(x, SendQueued)] == [1]


def test_only_halted_entries_migrate():
    v2 = compile({"trigger": {"kind": "API"}, "start": "w", "steps": [{"id": "w", "kind": "wait", "seconds": 5}]})
    waiting = entry(status="WAITING", current_step_id="w")
    assert migrate_halted(waiting, journey=v2, version=2) is waiting
