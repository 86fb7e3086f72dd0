"""The predicate language: every op, missing fields, times, aggregates and shape checks."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from backend.journeys.predicates import (
    OPS,
    AggregateSpec,
    Facts,
    aggregates_of,
    evaluate,
    event_names_read,
    fields_read,
    problems_of,
)
from tests.engine.helpers import T0, user

HOUR_AGO = T0 - timedelta(hours=1)
FACTS = Facts(
    now=T0,
    user=user(
        attributes={
            "tags": ["vip", "new"],
            "name": "Ann",
            "vip": True,
            "born": "1990-05-01T00:00:00+00:00",
            "nothing": None,
        },
        points=120,
        deposit_count=2,
        last_deposit_at=HOUR_AGO,
    ).as_dict(),
    event={"name": "deposit", "properties": {"amount": 50, "currency": "EUR", "at": "2026-12-01T11:30:00Z"}},
    entry={"round": 2},
)


def holds(field, op, value=None, facts=FACTS):
    return evaluate({"field": field, "op": op, "value": value}, facts)


@pytest.mark.parametrize(
    "field,op,value,expected",
    [
        ("event.properties.amount", "eq", 50, True),
        ("event.properties.amount", "eq", 51, False),
        ("event.properties.amount", "eq", "50", False),  # a text is not a number
        ("event.properties.currency", "ne", "USD", True),
        ("event.properties.currency", "ne", "EUR", False),
        ("event.properties.amount", "gt", 49, True),
        ("event.properties.amount", "gt", 50, False),
        ("event.properties.amount", "gte", 50, True),
        ("event.properties.amount", "gte", 51, False),
        ("event.properties.amount", "lt", 51, True),
        ("event.properties.amount", "lt", 50, False),
        ("event.properties.amount", "lte", 50, True),
        ("event.properties.amount", "lte", 49, False),
        ("event.properties.currency", "in", ["EUR", "USD"], True),
        ("event.properties.currency", "in", ["GBP"], False),
        ("event.properties.currency", "not_in", ["GBP"], True),
        ("event.properties.currency", "not_in", ["EUR"], False),
        ("user.attributes.tags", "contains", "vip", True),
        ("user.attributes.tags", "contains", "old", False),
        ("user.attributes.name", "contains", "An", True),
        ("user.attributes.name", "contains", "Bob", False),
        ("user.attributes.name", "exists", None, True),
        ("user.attributes.name", "not_exists", None, False),
        ("user.financial.lastDepositAt", "within_last", 7200, True),
        ("user.financial.lastDepositAt", "within_last", 60, False),
        ("user.financial.lastDepositAt", "not_within_last", 60, True),
        ("user.financial.lastDepositAt", "not_within_last", 7200, False),
        ("event.name", "eq", "deposit", True),
        ("entry.round", "gte", 2, True),
        ("user.points", "lt", 100, False),
        ("user.financial.depositCount", "eq", 2, True),
        ("user.externalId", "eq", "p1", True),
        ("user.email", "contains", "@example.com", True),
    ],
)
def test_every_op_on_a_present_field(field, op, value, expected):
    assert holds(field, op, value) is expected


@pytest.mark.parametrize("op", sorted(OPS))
@pytest.mark.parametrize(
    "field", ["user.attributes.shoeSize", "user.attributes.nothing", "event.properties.bonusCode", "user.level"]
)
def test_a_missing_field_is_false_except_for_not_exists_ne_and_not_in(field, op):
    value = [1] if op in ("in", "not_in") else 1
    assert holds(field, op, value) is (op in ("not_exists", "ne", "not_in"))


@pytest.mark.parametrize("op,expected", [("eq", False), ("exists", False), ("not_exists", True), ("ne", True)])
def test_event_fields_are_missing_when_there_is_no_event(op, expected):
    no_event = Facts(now=T0, user=FACTS.user)
    assert holds("event.properties.amount", op, 50, no_event) is expected


def test_times_given_as_iso_text_or_datetime_compare_as_times():
    assert holds("event.properties.at", "within_last", 3600)  # 11:30Z, now 12:00Z
    assert not holds("event.properties.at", "within_last", 600)
    assert holds("user.attributes.born", "not_within_last", 86400)
    assert holds("user.financial.lastDepositAt", "gt", "2026-12-01T10:00:00Z")
    assert not holds("user.financial.lastDepositAt", "gt", "2026-12-01T13:00:00+01:00")  # 11:00Z is not after 12:00Z
    assert holds("user.financial.lastDepositAt", "eq", "2026-12-01T11:00:00+00:00")
    # A time in the future has not happened within the last hour.
    future = Facts(now=T0, user={"attributes": {"next": (T0 + timedelta(minutes=5)).isoformat()}})
    assert not holds("user.attributes.next", "within_last", 3600, future)
    # Text that is not a time, and a time without a zone, are never "within".
    odd = Facts(now=T0, user={"attributes": {"a": "yesterday", "b": "2026-12-01T11:59:00"}})
    assert not holds("user.attributes.a", "within_last", 10**9, odd)
    assert not holds("user.attributes.b", "within_last", 3600, odd)


def test_mismatched_types_are_false_not_errors():
    assert not holds("user.attributes.name", "gt", 5)
    assert not holds("user.attributes.vip", "eq", 1)  # a flag is not the number 1
    assert holds("user.attributes.vip", "eq", True)
    assert not holds("user.attributes.vip", "in", [1])
    assert not holds("user.points", "gt", True)
    assert not holds("user.attributes.tags", "gt", "a")
    assert not holds("user.points", "contains", 1)


def test_all_any_not_combine():
    yes = {"field": "event.name", "op": "eq", "value": "deposit"}
    no = {"field": "event.name", "op": "eq", "value": "bet"}
    assert evaluate({"all": [yes, {"not": no}]}, FACTS)
    assert not evaluate({"all": [yes, no]}, FACTS)
    assert evaluate({"any": [no, yes]}, FACTS)
    assert not evaluate({"any": [no, {"not": yes}]}, FACTS)
    assert evaluate({"not": {"field": "user.attributes.shoeSize", "op": "exists"}}, FACTS)


def test_event_aggregates_are_read_from_precomputed_values_and_missing_ones_are_zero():
    count = {
        "eventCount": {
            "name": "bet",
            "withinSeconds": 86400,
            "where": {"field": "event.properties.game", "op": "eq", "value": "slots"},
        },
        "op": "gte",
        "value": 3,
    }
    total = {"eventSum": {"name": "deposit", "property": "amount"}, "op": "gt", "value": 100}
    [count_spec] = aggregates_of(count)
    [sum_spec] = aggregates_of({"not": total})
    assert count_spec == AggregateSpec(
        "count", "bet", None, '{"field": "event.properties.game", "op": "eq", "value": "slots"}', 86400
    )
    assert count_spec.where_predicate == count["eventCount"]["where"]
    assert sum_spec == AggregateSpec("sum", "deposit", "amount", None, None)
    assert not evaluate(count, Facts(now=T0))
    assert evaluate({"eventCount": {"name": "bet"}, "op": "eq", "value": 0}, Facts(now=T0))
    assert evaluate(count, Facts(now=T0, aggregates={count_spec: 3}))
    assert evaluate(total, Facts(now=T0, aggregates={sum_spec: 150.5}))
    assert not evaluate(total, Facts(now=T0, aggregates={sum_spec: 100}))


def test_the_same_aggregate_written_twice_is_one_spec():
    a = {
        "eventCount": {"name": "bet", "where": {"field": "event.name", "op": "eq", "value": "bet"}},
        "op": "gt",
        "value": 1,
    }
    b = {
        "op": "lt",
        "value": 9,
        "eventCount": {"where": {"value": "bet", "op": "eq", "field": "event.name"}, "name": "bet"},
    }
    specs = aggregates_of({"all": [a, {"any": [b]}]})
    assert len(specs) == 2 and specs[0] == specs[1] and len(set(specs)) == 1


def test_fields_and_event_names_read():
    pred = {
        "all": [
            {"field": "user.points", "op": "gt", "value": 1},
            {"not": {"field": "user.attributes.vip", "op": "exists"}},
            {
                "any": [
                    {"field": "event.name", "op": "in", "value": ["login", "bet"]},
                    {"field": "event.name", "op": "eq", "value": "deposit"},
                ]
            },
            {
                "eventCount": {"name": "spin", "where": {"field": "event.properties.reel", "op": "eq", "value": 1}},
                "op": "gte",
                "value": 3,
            },
        ]
    }
    assert fields_read(pred) == {"user.points", "user.attributes.vip", "event.name"}
    assert event_names_read(pred) == {"login", "bet", "deposit", "spin"}
    assert event_names_read({"field": "event.name", "op": "ne", "value": "x"}) == set()


@pytest.mark.parametrize(
    "pred,allow_event,message",
    [
        ([], False, "a predicate must be a JSON object"),
        ({}, False, "a predicate must be a JSON object"),
        ({"all": []}, False, "'all' needs a non-empty list of predicates"),
        ({"any": "x"}, False, "'any' needs a non-empty list of predicates"),
        ({"not": 3}, False, "a predicate must be a JSON object"),
        ({"op": "eq", "value": 1}, False, "a predicate needs 'field' (with op and value), 'all', 'any', 'not',"),
        ({"feild": "user.points", "op": "eq", "value": 1}, False, "(did you mean 'field'?)"),
        (
            {"field": "user.points", "op": "exists", "valeu": 1},
            False,
            'unknown key "valeu" in a comparison (did you mean "value"?)',
        ),
        ({"field": "user.pionts", "op": "eq", "value": 1}, False, "(did you mean 'user.points'?)"),
        ({"field": "user.points", "op": "gte_", "value": 1}, False, "(did you mean 'gte'?)"),
        (
            {"field": "user.attributes.x", "op": "between", "value": 1},
            False,
            "op 'between' is not an op; the ops are: eq, ne, gt, gte, lt, lte, in, not_in, contains,",
        ),
        (
            {"field": "user.shoe_size", "op": "eq", "value": 1},
            False,
            "field 'user.shoe_size' is not a field a predicate can read",
        ),
        (
            {"field": "user.attributes.", "op": "eq", "value": 1},
            False,
            "field 'user.attributes.' is not a field a predicate can read",
        ),
        ({"field": 7, "op": "eq", "value": 1}, False, "field must be a path such as 'user.attributes.vip'"),
        (
            {"field": "event.name", "op": "eq", "value": "x"},
            False,
            "field 'event.name' reads the event, but there is no event here",
        ),
        ({"field": "user.points", "op": "in", "value": 3}, False, "op 'in' needs a list value"),
        ({"field": "user.points", "op": "gt"}, False, "op 'gt' needs a value"),
        (
            {"field": "user.points", "op": "eq", "value": [1]},
            False,
            "op 'eq' compares with a single value, not a list or an object",
        ),
        (
            {"field": "user.financial.lastDepositAt", "op": "within_last", "value": "1h"},
            False,
            "op 'within_last' needs a value in seconds, 0 or more",
        ),
        ({"eventCount": {}, "op": "gt", "value": 1}, False, "eventCount needs the event name"),
        ({"eventSum": {"name": "deposit"}, "op": "gt", "value": 1}, False, "eventSum needs the property to add up"),
        (
            {"eventCount": {"name": "bet", "withinSeconds": 0}, "op": "gt", "value": 1},
            False,
            "eventCount.withinSeconds must be a whole number above 0",
        ),
        (
            {"eventCount": {"name": "bet"}, "op": "in", "value": 1},
            False,
            "eventCount: op must be one of eq, ne, gt, gte, lt, lte; got 'in'",
        ),
        ({"eventCount": {"name": "bet"}, "op": "gt", "value": "1"}, False, "eventCount: value must be a number"),
        (
            {
                "eventCount": {"name": "bet", "where": {"field": "user.points", "op": "gt", "value": 1}},
                "op": "gt",
                "value": 1,
            },
            False,
            "field 'user.points' is not a field of the counted events (use event.name or event.properties.<key>)",
        ),
        (
            {
                "eventCount": {"name": "bet", "where": {"eventCount": {"name": "x"}, "op": "gt", "value": 1}},
                "op": "gt",
                "value": 1,
            },
            False,
            "eventCount cannot be nested in the predicate of another eventCount or eventSum",
        ),
    ],
)
def test_malformed_predicates_are_described(pred, allow_event, message):
    [problem] = problems_of(pred, allow_event=allow_event)
    assert message in problem, problem


def test_a_well_formed_predicate_has_no_problems_and_all_problems_come_at_once():
    good = {
        "all": [
            {"field": "event.properties.amount", "op": "gte", "value": 50},
            {
                "any": [
                    {"field": "user.attributes.vip", "op": "exists"},
                    {"field": "user.level", "op": "in", "value": ["gold"]},
                ]
            },
            {
                "eventCount": {
                    "name": "bet",
                    "where": {"field": "event.properties.game", "op": "eq", "value": "slots"},
                    "withinSeconds": 3600,
                },
                "op": "gte",
                "value": 3,
            },
            {"field": "user.financial.lastDepositAt", "op": "not_within_last", "value": 86400},
        ]
    }
    assert problems_of(good, allow_event=True) == []
    bad = {"any": [{"field": "user.nope", "op": "eq", "value": 1}, {"field": "user.points", "op": "nah", "value": 1}]}
    found = problems_of(bad, allow_event=False)
    assert len(found) == 2 and "field 'user.nope' is not a field" in found[0] and "op 'nah' is not an op" in found[1]


def test_a_datetime_in_the_facts_and_now_in_another_zone_still_compare():
    riga_now = datetime(2026, 12, 1, 14, 0, tzinfo=timezone(timedelta(hours=2)))  # 12:00 UTC
    facts = Facts(now=riga_now, user={"financial": {"lastDepositAt": HOUR_AGO}})
    assert holds("user.financial.lastDepositAt", "within_last", 3601, facts)
    assert not holds("user.financial.lastDepositAt", "within_last", 3599, facts)
