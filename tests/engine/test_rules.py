"""Re-entry, conversion, time zones and quiet hours, predicates and validation."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from backend.journeys.definition import Catalog, compile, validate
from backend.journeys.interpreter import advance
from backend.journeys.predicates import AggregateSpec, Facts, aggregates_of, evaluate, problems_of
from backend.journeys.rules import check_conversion, decide_capture
from backend.journeys.state import Due, EventFacts
from tests.engine.helpers import ENV, T0, capture, entry, journey, outcomes, user


@pytest.mark.parametrize("mode,existing,enter,round_,restart", [
    ("ONCE", [], True, 1, ()),
    ("ONCE", [(1, "COMPLETED", 1)], False, 2, ()),
    ("NOT_WHILE_ACTIVE", [(1, "WAITING", 1)], False, 2, ()),
    ("NOT_WHILE_ACTIVE", [(1, "COMPLETED", 1), (2, "EXITED", 2)], True, 3, ()),
    ("RESTART", [(1, "WAITING", 1)], True, 2, (1,)),
    ("RESTART", [(1, "COMPLETED", 1)], True, 2, ()),
    ("EVERY_ENTRY", [(1, "WAITING", 1), (2, "ACTIVE", 2)], True, 3, ()),
])
def test_reentry_modes_and_round_numbers(mode, existing, enter, round_, restart):
    d = decide_capture(mode, existing)
    assert (d.enter, d.round, d.restart_entry_ids) == (enter, round_, restart)


def test_wait_until_a_local_time_in_the_users_zone():
    j = journey([{"id": "w", "kind": "wait", "until": "09:00", "timezone": "user", "next": None}])
    s, _ = capture(j, u=user(timezone="Asia/Tokyo"))  # 12:00 UTC is 21:00 in Tokyo
    assert s.wake_at == datetime(2026, 12, 2, 0, 0, tzinfo=timezone.utc)
    s, _ = capture(j, u=user(timezone="America/New_York"))  # 07:00 there: later today
    assert s.wake_at == datetime(2026, 12, 1, 14, 0, tzinfo=timezone.utc)


def test_quiet_hours_hold_a_send_until_they_end_in_the_users_zone():
    j = journey([{"id": "hi", "kind": "send", "resource": "Promo SMS"}], quietHours={"start": "22:00", "end": "08:00"})
    riga = user(timezone="Europe/Riga")  # 12:00 UTC is 14:00 in Riga: not quiet
    s, fx = capture(j, u=riga)
    assert outcomes(fx) == [("hi", "sent")]
    tokyo = user(timezone="Asia/Tokyo")  # 21:00... 23:00 UTC+9 at 14:00 UTC
    s, fx = capture(j, u=tokyo, now=T0 + timedelta(hours=2))
    assert fx == [] and s.status == "WAITING"
    assert s.wake_at == datetime(2026, 12, 1, 23, 0, tzinfo=timezone.utc)  # 08:00 Tokyo
    assert "quiet hours" in s.blocked_reason and "Asia/Tokyo" in s.blocked_reason
    later, fx = advance(s, j, tokyo, now=s.wake_at, stimulus=Due(), env=ENV)
    assert outcomes(fx) == [("hi", "sent")] and later.status == "COMPLETED"


def test_conversion_within_the_window_in_control_group_too_and_exit_on_conversion():
    j = journey([{"id": "w", "kind": "wait", "seconds": 10_000}],
                goal={"event": "deposit", "withinSeconds": 3600, "exitOnConversion": True})
    s, _ = capture(j, entry(in_control_group=True))
    late = EventFacts("deposit", {}, T0 + timedelta(hours=2))
    same, fx = check_conversion(s, j, user(), late, T0 + timedelta(hours=2))
    assert same.converted_at is None and fx == []
    ontime = EventFacts("deposit", {}, T0 + timedelta(minutes=30))
    conv, fx = check_conversion(s, j, user(), ontime, T0 + timedelta(minutes=30))
    assert conv.converted_at == ontime.occurred_at
    assert (conv.status, conv.stop_reason, conv.progress_name) == ("EXITED", "converted", "Converted")
    again, fx = check_conversion(conv, j, user(), ontime, T0 + timedelta(minutes=31))
    assert fx == []


def test_predicates_missing_fields_and_every_op():
    f = Facts(now=T0, user={"attributes": {"tags": ["vip"], "name": "Ann"}, "financial": {"lastDepositAt": T0 - timedelta(hours=1)}},
              event={"name": "deposit", "properties": {"amount": 50}})
    ok = lambda field, op, value=None: evaluate({"field": field, "op": op, "value": value}, f)  # noqa: E731
    assert ok("event.properties.amount", "gte", 50) and not ok("event.properties.amount", "gt", 50)
    assert ok("event.properties.amount", "in", [10, 50]) and ok("event.properties.amount", "not_in", [1])
    assert ok("user.attributes.tags", "contains", "vip") and ok("user.attributes.name", "contains", "An")
    assert ok("user.financial.lastDepositAt", "within_last", 7200) and ok("user.financial.lastDepositAt", "not_within_last", 60)
    assert ok("user.attributes.name", "exists") and ok("user.attributes.nope", "not_exists")
    # A missing field: every comparison false but not_exists, ne and not_in.
    for op, value in (("eq", 1), ("gt", 1), ("lt", 1), ("in", [1]), ("contains", "x"), ("exists", None)):
        assert not ok("user.attributes.nope", op, value)
    for op, value in (("ne", 1), ("not_in", [1]), ("not_exists", None)):
        assert ok("user.attributes.nope", op, value)
    assert not ok("user.attributes.name", "gt", 5)  # text against a number: false, not an error
    assert evaluate({"all": [{"field": "event.name", "op": "eq", "value": "deposit"}, {"not": {"field": "user.attributes.nope", "op": "exists"}}]}, f)


def test_event_aggregates_are_read_from_precomputed_values():
    pred = {"eventCount": {"name": "bet", "withinSeconds": 86400}, "op": "gte", "value": 3}
    [spec] = aggregates_of(pred)
    assert spec == AggregateSpec("count", "bet", None, None, 86400)
    assert not evaluate(pred, Facts(now=T0))
    assert evaluate(pred, Facts(now=T0, aggregates={spec: 3}))


def test_malformed_predicates_are_described():
    assert problems_of({"field": "user.attributes.x", "op": "between", "value": 1}, allow_event=False) == ["unknown op 'between'"]
    assert problems_of({"field": "user.shoe_size", "op": "eq", "value": 1}, allow_event=False) == ["unknown field 'user.shoe_size'"]
    assert problems_of({"field": "user.points", "op": "in", "value": 3}, allow_event=False) == ["'in' needs a list value"]
    assert problems_of([], allow_event=False) == ["a predicate must be a JSON object"]


CAT = Catalog(resources={"Welcome email": "EMAIL", "3": "SMS"}, bonus_templates=frozenset({"10 free spins"}))


def _errors(doc):
    return [(p.step_id, p.message) for p in validate(doc, catalog=CAT) if p.severity == "ERROR"]


def test_a_valid_document_has_no_problems():
    doc = {"trigger": {"kind": "EVENT", "event": "deposit", "where": {"field": "event.properties.amount", "op": "gte", "value": 50}},
           "goal": {"event": "deposit", "withinSeconds": 604800}, "exitWhen": [{"event": "self_exclusion"}],
           "quietHours": {"start": "22:00", "end": "08:00"}, "start": "a",
           "steps": [{"id": "a", "kind": "send", "resource": "Welcome email", "next": "b"},
                     {"id": "b", "kind": "wait", "seconds": 86400, "next": "c"},
                     {"id": "c", "kind": "send", "resource": "3", "next": "d"},
                     {"id": "d", "kind": "bonus", "template": "10 free spins"}]}
    assert validate(doc, catalog=CAT) == []


def test_every_error_rule_is_reported_at_once():
    doc = {"trigger": {"kind": "SCHEDULED_SEGMENT", "schedule": {"cron": "not a cron", "timezone": "Mars/Olympus"},
                       "segment": {"field": "event.name", "op": "eq", "value": "x"}, "limitPercent": 0},
           "start": "nowhere", "statuses": [{"name": "Entered", "step": 0}],
           "steps": [{"id": "a", "kind": "send", "resource": "Missing", "next": "zz"},
                     {"id": "a", "kind": "exit"},
                     {"id": "b", "kind": "teleport"},
                     {"id": "c", "kind": "split", "branches": [{"name": "x", "percent": 60, "next": "d"}, {"name": "y", "percent": 30, "next": "d"}]},
                     {"id": "d", "kind": "goto", "to": "e"},
                     {"id": "e", "kind": "condition", "where": {"field": "user.points", "op": "gt", "value": 1}, "yes": "d", "no": "f"},
                     {"id": "f", "kind": "set_status", "status": "Opened"},
                     {"id": "g", "kind": "bonus", "template": "gold bars"},
                     {"id": "h", "kind": "wait", "until": "9am"}]}
    errors = _errors(doc)
    messages = " | ".join(m for _, m in errors)
    for expected in ("cron", "Mars/Olympus", "there is no event here", "limitPercent", "start names no step",
                     "no resource named 'Missing'", "'zz' names no step", "duplicate step id 'a'", "unknown step kind 'teleport'",
                     "add up to 100", "runs without passing a wait", "no status named 'Opened'", "no bonus template named 'gold bars'",
                     "until must be HH:MM"):
        assert expected in messages, expected


def test_an_unconfigured_step_is_a_warning_not_an_error():
    doc = {"trigger": {"kind": "API"}, "start": "a", "steps": [
        {"id": "a", "kind": "send", "next": "b"}, {"id": "b", "kind": "bonus", "template": "10 free spins", "configured": False}]}
    problems = validate(doc, catalog=CAT)
    assert {(p.step_id, p.severity) for p in problems} == {("a", "WARNING"), ("b", "WARNING")}
    assert validate("not an object", catalog=CAT)[0].severity == "ERROR"
    assert compile(doc).start == "a"
