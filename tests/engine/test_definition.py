"""Validation of the journey-definition document (every ERROR rule, the WARNING) and its compiled form."""

from __future__ import annotations

import copy

import pytest

from backend.journeys.definition import (
    DEFAULT_LADDER,
    REQUIRED,
    Catalog,
    Problem,
    compile,
    is_configured,
    trigger_event_name,
    validate,
)
from backend.journeys.predicates import AggregateSpec

CAT = Catalog(
    resources={"Welcome email": "EMAIL", "7": "EMAIL", "Come back SMS": "SMS", "VIP pop-up": "POPUP"},
    bonus_templates=frozenset({"10 free spins", "3"}),
)

# The example of the contract, word for word.
EXAMPLE = {
    "trigger": {
        "kind": "EVENT",
        "event": "deposit",
        "where": {"field": "event.properties.amount", "op": "gte", "value": 50},
    },
    "goal": {"event": "deposit", "withinSeconds": 604800, "exitOnConversion": False},
    "exitWhen": [{"event": "self_exclusion"}],
    "moveWhen": [{"event": "vip_upgrade", "to": "vip_offer"}],
    "reactivation": None,
    "statuses": [{"name": "Entered", "step": 0}, {"name": "Sent", "step": 10}],
    "quietHours": {"start": "22:00", "end": "08:00"},
    "start": "welcome",
    "steps": [
        {"id": "welcome", "kind": "send", "resource": "Welcome email", "next": "wait1"},
        {"id": "wait1", "kind": "wait", "seconds": 86400, "next": "deposited"},
        {
            "id": "deposited",
            "kind": "condition",
            "where": {"field": "user.financial.depositCount", "op": "gte", "value": 1},
            "yes": "bonus",
            "no": "nudge",
        },
        {"id": "nudge", "kind": "send", "resource": "Come back SMS"},
        {"id": "bonus", "kind": "bonus", "template": "10 free spins"},
        {"id": "vip_offer", "kind": "send", "resource": "VIP pop-up"},
    ],
}


def api(*steps, **extra):
    return {"trigger": {"kind": "API"}, "start": steps[0]["id"] if steps else None, "steps": list(steps), **extra}


def errors(doc):
    return [(p.step_id, p.message) for p in validate(doc, catalog=CAT) if p.severity == "ERROR"]


def test_the_contract_example_has_no_problems():
    assert validate(EXAMPLE, catalog=CAT) == []


def test_every_kind_well_formed_has_no_problems():
    doc = api(
        {"id": "a", "kind": "send", "resource": 7, "next": "b"},
        {"id": "b", "kind": "wait", "until": "09:30", "timezone": "Europe/Riga", "next": "c"},
        {
            "id": "c",
            "kind": "wait_for_event",
            "event": "deposit",
            "timeoutSeconds": 60,
            "next": "d",
            "timeoutNext": "d",
            "where": {"field": "event.properties.amount", "op": "gt", "value": 0},
        },
        {
            "id": "d",
            "kind": "split",
            "branches": [{"name": "x", "percent": 33.5, "next": "e"}, {"name": "y", "percent": 66.5, "next": "f"}],
        },
        {"id": "e", "kind": "bonus", "template": "3", "next": "f"},
        {"id": "f", "kind": "points", "amount": 5, "reason": "welcome", "next": "g"},
        {"id": "g", "kind": "set_status", "status": "Opened", "next": "h"},
        {"id": "h", "kind": "update_profile", "set": {"vip": True}, "next": "i"},
        {
            "id": "i",
            "kind": "webhook",
            "url": "https://crm.example.com/hook",
            "body": '{"id": "{{ user.externalId }}"}',
            "next": "j",
        },
        {"id": "j", "kind": "goto", "to": "k"},
        {"id": "k", "kind": "exit"},
    )
    assert validate(doc, catalog=CAT) == []


def test_a_document_that_is_not_an_object_is_one_error():
    for junk in ("not an object", None, [], 7):
        assert validate(junk, catalog=CAT) == [Problem(None, "ERROR", "the definition must be a JSON object")]


def with_step(step, *more, **extra):
    return api({"id": "s", **step}, *more, **extra)


@pytest.mark.parametrize(
    "doc,expected",
    [
        (
            with_step({"kind": "teleport"}),
            ("s", "kind 'teleport' is not a step kind; it is one of send, wait, wait_for_event, condition,"),
        ),
        (api({"id": "a", "kind": "exit"}, {"id": "a", "kind": "exit"}), ("a", "duplicate step id 'a'")),
        (with_step({"kind": "send", "resource": "Welcome email", "next": "zz"}), ("s", "next names no step: 'zz'")),
        (
            with_step({"kind": "condition", "where": {"field": "user.points", "op": "gt", "value": 1}, "yes": "zz"}),
            ("s", "yes names no step: 'zz' (step ids: s)"),
        ),
        (
            with_step({"kind": "condition", "where": {"field": "user.points", "op": "gt", "value": 1}, "no": "zz"}),
            ("s", "no names no step: 'zz' (step ids: s)"),
        ),
        (with_step({"kind": "goto", "to": "zz"}), ("s", "to names no step: 'zz' (step ids: s)")),
        (
            with_step({"kind": "wait_for_event", "event": "x", "timeoutNext": "zz"}),
            ("s", "timeoutNext names no step: 'zz' (step ids: s)"),
        ),
        (
            with_step({"kind": "split", "branches": [{"name": "a", "percent": 100, "next": "zz"}]}),
            ("s", "branches[0].next names no step: 'zz' (step ids: s)"),
        ),
        (
            with_step({"kind": "exit", "next": "s"}),
            ("s", 'unknown key "next" in a exit step; its keys are: kind, id, name, configured'),
        ),
        (with_step({"kind": "send", "resource": "Welcome email", "next": 3}), ("s", "next must be a step id")),
        (
            with_step({"kind": "split", "branches": [{"name": "a", "percent": 100, "next": ["x"]}]}),
            ("s", "a branch's next must be a step id"),
        ),
        (
            {"trigger": {"kind": "API"}, "steps": [{"id": "s", "kind": "exit"}]},
            (None, 'the key "start" is missing: the id of the step entries begin at (step ids: s)'),
        ),
        (api({"id": "s", "kind": "exit"}, start="nowhere"), (None, "start names no step: 'nowhere'")),
        (
            with_step({"kind": "split", "branches": [{"name": "a", "percent": 60}, {"name": "b", "percent": 30}]}),
            ("s", "split percents must add up to 100 (they add up to 90)"),
        ),
        (
            with_step({"kind": "split", "branches": [{"name": "a", "percent": "half"}, {"name": "b", "percent": 50}]}),
            ("s", "every branch needs a percent, 0 or more"),
        ),
        (with_step({"kind": "split", "branches": [{"percent": 100}]}), ("s", "every branch needs a name")),
        (with_step({"kind": "send", "resource": "Missing"}), ("s", "no resource named 'Missing'")),
        (with_step({"kind": "send", "resource": 8}), ("s", "no resource named '8'")),
        (with_step({"kind": "bonus", "template": "gold bars"}), ("s", "no bonus template named 'gold bars'")),
        (
            with_step({"kind": "set_status", "status": "Opened"}, statuses=[{"name": "Entered", "step": 0}]),
            ("s", "no status named 'Opened' in the journey's statuses"),
        ),
        (
            with_step({"kind": "set_status", "status": ["Opened"]}),
            ("s", "no status named '['Opened']' in the journey's statuses"),
        ),
        (
            with_step({"kind": "condition", "where": {"field": "event.name", "op": "eq", "value": "x"}}),
            ("s", "where: field 'event.name' reads the event, but there is no event here"),
        ),
        (
            with_step({"kind": "condition", "where": {"field": "user.points", "op": "approx", "value": 1}}),
            ("s", "where: op 'approx' is not an op; the ops are: eq, ne, gt,"),
        ),
        (
            with_step({"kind": "wait_for_event", "event": "x", "where": {"field": "user.nope", "op": "exists"}}),
            ("s", "where: field 'user.nope' is not a field a predicate can read"),
        ),
        (with_step({"kind": "wait", "until": "9am"}), ("s", "until must be HH:MM")),
        (
            with_step({"kind": "wait", "until": "09:00", "timezone": "Mars/Olympus"}),
            ("s", "timezone 'Mars/Olympus' is not a time zone"),
        ),
        (with_step({"kind": "wait", "seconds": -5}), ("s", "seconds must be a number, 0 or more")),
        (
            with_step({"kind": "wait_for_event", "event": "x", "timeoutSeconds": 0}),
            ("s", "timeoutSeconds must be a number above 0"),
        ),
        (with_step({"kind": "wait_for_event", "event": 12}), ("s", "event must be an event name")),
        (
            with_step({"kind": "points", "amount": 2.5}),
            ("s", "amount must be a whole number from -1,000,000 to 1,000,000"),
        ),
        (
            with_step({"kind": "points", "amount": 10**12}),
            ("s", "amount must be a whole number from -1,000,000 to 1,000,000"),
        ),
        (with_step({"kind": "update_profile", "set": ["vip"]}), ("s", "set must be a JSON object")),
        (with_step({"kind": "webhook", "url": "ftp://x"}), ("s", "url must start with https:// or http://")),
        (
            with_step({"kind": "webhook", "url": "https://x", "body": {"a": 1}}),
            ("s", "body must be a JSON text template"),
        ),
        (
            api({"id": "s", "kind": "exit"}, quietHours={"start": "22:00"}),
            (None, "quietHours needs start and end as HH:MM"),
        ),
        (
            api({"id": "s", "kind": "exit"}, quietHours={"start": "08:00", "end": "08:00"}),
            (None, "quietHours start and end must differ"),
        ),
        (
            api({"id": "s", "kind": "exit"}, statuses=[{"name": "A", "step": 0}, {"name": "A", "step": 1}]),
            (None, "statuses must be a list of {name, step}, with different names and whole step numbers"),
        ),
        (
            api({"id": "s", "kind": "exit"}, statuses=[{"name": "A", "step": "one"}]),
            (None, "statuses must be a list of {name, step}, with different names and whole step numbers"),
        ),
        (api({"id": "s", "kind": "exit"}, steps="s"), (None, '"steps" must be a list')),
        (api({"id": "s", "kind": "exit"}, {"kind": "exit"}), (None, 'step 2 of steps needs a text "id"')),
    ],
)
def test_each_error_rule(doc, expected):
    found = errors(doc)
    if expected is None:
        assert found == []
    else:
        step_id, says = expected
        assert any(sid == step_id and says in message for sid, message in found), found
        if step_id is not None:  # the message names the step too, for a reader of the message alone
            assert all(message.startswith(f"step '{step_id}'") for sid, message in found if sid == step_id)


@pytest.mark.parametrize(
    "trigger,message",
    [
        (
            None,
            'the key "trigger" is missing: how users enter, such as {"kind": "API"} (kinds: API, EVENT, SCHEDULED_SEGMENT)',
        ),
        (
            {"kind": "WEBHOOK"},
            "trigger.kind 'WEBHOOK' is not a trigger kind; it is one of API, EVENT, SCHEDULED_SEGMENT",
        ),
        ({"kind": "EVENT"}, "an EVENT trigger needs the event name"),
        (
            {"kind": "EVENT", "event": "x", "where": {"field": "event.properties.a", "op": "eq"}},
            "trigger.where: op 'eq' needs a value",
        ),
        (
            {"kind": "SCHEDULED_SEGMENT", "segment": {"field": "user.points", "op": "gt", "value": 1}},
            "a SCHEDULED_SEGMENT trigger needs trigger.schedule: {cron, timezone, endsAt}",
        ),
        (
            {
                "kind": "SCHEDULED_SEGMENT",
                "schedule": {"cron": "61 * * * *"},
                "segment": {"field": "user.points", "op": "gt", "value": 1},
            },
            "trigger.schedule.cron '61 * * * *' is not a valid cron expression",
        ),
        (
            {
                "kind": "SCHEDULED_SEGMENT",
                "schedule": {"cron": "every day"},
                "segment": {"field": "user.points", "op": "gt", "value": 1},
            },
            "trigger.schedule.cron 'every day' is not a valid cron expression",
        ),
        (
            {
                "kind": "SCHEDULED_SEGMENT",
                "schedule": {"cron": "0 9 * * *", "timezone": "Europe/Atlantis"},
                "segment": {"field": "user.points", "op": "gt", "value": 1},
            },
            "trigger.schedule.timezone 'Europe/Atlantis' is not a time zone",
        ),
        (
            {
                "kind": "SCHEDULED_SEGMENT",
                "schedule": {"cron": "0 9 * * *", "endsAt": "soon"},
                "segment": {"field": "user.points", "op": "gt", "value": 1},
            },
            "trigger.schedule.endsAt must be a date and time such as 2026-12-31T23:59:00Z",
        ),
        (
            {"kind": "SCHEDULED_SEGMENT", "schedule": {"cron": "0 9 * * *"}},
            "a SCHEDULED_SEGMENT trigger needs a segment predicate",
        ),
        (
            {
                "kind": "SCHEDULED_SEGMENT",
                "schedule": {"cron": "0 9 * * *"},
                "segment": {"field": "event.name", "op": "eq", "value": "x"},
            },
            "trigger.segment: field 'event.name' reads the event, but there is no event here",
        ),
        (
            {
                "kind": "SCHEDULED_SEGMENT",
                "schedule": {"cron": "0 9 * * *"},
                "segment": {"field": "user.points", "op": "gt", "value": 1},
                "limitPercent": 0,
            },
            "trigger.limitPercent must be a number from 1 to 100",
        ),
        (
            {
                "kind": "SCHEDULED_SEGMENT",
                "schedule": {"cron": "0 9 * * *"},
                "segment": {"field": "user.points", "op": "gt", "value": 1},
                "limitPercent": 101,
            },
            "trigger.limitPercent must be a number from 1 to 100",
        ),
    ],
)
def test_trigger_errors(trigger, message):
    doc = {"trigger": trigger, "start": "s", "steps": [{"id": "s", "kind": "exit"}]}
    [(step_id, found)] = errors(doc)
    assert step_id is None and message in found, found


def test_a_scheduled_segment_trigger_in_its_full_shape_is_accepted():
    trigger = {
        "kind": "SCHEDULED_SEGMENT",
        "limitPercent": 25,
        "schedule": {"cron": "0 9 * * MON-FRI", "timezone": "Europe/Riga", "endsAt": "2027-01-31T00:00:00Z"},
        "segment": {
            "all": [
                {"field": "user.financial.depositCount", "op": "eq", "value": 0},
                {"eventCount": {"name": "login", "withinSeconds": 604800}, "op": "gte", "value": 1},
            ]
        },
    }
    assert errors({"trigger": trigger, "start": "s", "steps": [{"id": "s", "kind": "exit"}]}) == []


@pytest.mark.parametrize(
    "extra,message",
    [
        ({"goal": {"withinSeconds": 5}}, "goal needs an event name"),
        ({"goal": {"event": "deposit", "withinSeconds": -1}}, "goal.withinSeconds must be a number above 0"),
        (
            {"goal": {"event": "deposit", "where": {"field": "event.properties.amount", "op": "gte"}}},
            "goal.where: op 'gte' needs a value",
        ),
        ({"exitWhen": {"event": "x"}}, "exitWhen must be a list"),
        (
            {"exitWhen": [{"where": {"field": "user.points", "op": "gt", "value": 1}}]},
            "exitWhen[0] needs an event name",
        ),
        (
            {"exitWhen": [{"event": "x", "where": {"field": "user.nope", "op": "exists"}}]},
            "exitWhen[0].where: field 'user.nope' is not a field",
        ),
        ({"moveWhen": [{"event": "x", "to": "zz"}]}, "moveWhen[0].to names no step: 'zz'"),
        ({"moveWhen": [{"event": "x"}]}, "moveWhen[0].to names no step: 'None'"),
        ({"reactivation": {"waitSeconds": 1}}, "reactivation needs an event name"),
        ({"reactivation": {"event": "login", "resumeAt": "zz"}}, "reactivation.resumeAt names no step: 'zz'"),
        (
            {"reactivation": {"event": "login", "lookbackSeconds": "a week"}},
            "reactivation.lookbackSeconds must be a number of seconds, 0 or more",
        ),
        (
            {"reactivation": {"event": "login", "eligibleStatuses": ["WAITING"]}},
            "reactivation.eligibleStatuses must list ended statuses: COMPLETED, STOPPED, EXITED, FAILED",
        ),
        (
            {"reactivation": {"event": "login", "where": {"field": "event.properties.x", "op": "in", "value": "a"}}},
            "reactivation.where: op 'in' needs a list value",
        ),
    ],
)
def test_journey_level_rule_errors(extra, message):
    [(step_id, found)] = errors(api({"id": "s", "kind": "exit"}, **extra))
    assert step_id is None and message in found, found


def test_event_paths_are_allowed_where_there_is_an_event():
    ev = {"field": "event.properties.amount", "op": "gte", "value": 1}
    doc = {
        "trigger": {"kind": "EVENT", "event": "deposit", "where": ev},
        "start": "w",
        "goal": {"event": "deposit", "where": ev},
        "exitWhen": [{"event": "x", "where": ev}],
        "moveWhen": [{"event": "y", "where": ev, "to": "w"}],
        "reactivation": {
            "event": "login",
            "where": ev,
            "resumeAt": "w",
            "waitSeconds": 0,
            "lookbackSeconds": 60,
            "eligibleStatuses": ["COMPLETED"],
            "insertIfNone": True,
        },
        "steps": [{"id": "w", "kind": "wait_for_event", "event": "deposit", "where": ev}],
    }
    assert validate(doc, catalog=CAT) == []


@pytest.mark.parametrize(
    "steps,loop",
    [
        ([{"id": "a", "kind": "goto", "to": "a"}], "a -> a"),
        (
            [{"id": "a", "kind": "points", "amount": 1, "next": "b"}, {"id": "b", "kind": "goto", "to": "a"}],
            "a -> b -> a",
        ),
        (
            [
                {
                    "id": "a",
                    "kind": "condition",
                    "where": {"field": "user.points", "op": "gt", "value": 9},
                    "yes": "b",
                    "no": "c",
                },
                {"id": "b", "kind": "exit"},
                {"id": "c", "kind": "points", "amount": 1, "next": "a"},
            ],
            "a -> c -> a",
        ),
        (
            [
                {
                    "id": "a",
                    "kind": "split",
                    "branches": [{"name": "x", "percent": 50, "next": "b"}, {"name": "y", "percent": 50}],
                },
                {"id": "b", "kind": "send", "resource": "VIP pop-up", "next": "a"},
            ],
            "a -> b -> a",
        ),
    ],
)
def test_a_loop_without_a_wait_is_refused(steps, loop):
    [(step_id, message)] = errors(api(*steps))
    assert step_id == "a" and message.endswith(f": the loop {loop} runs without passing a wait or wait_for_event")


def test_every_unguarded_loop_is_reported_and_loops_through_waits_are_fine():
    doc = api(
        {"id": "a", "kind": "goto", "to": "b"},
        {"id": "b", "kind": "goto", "to": "a"},
        {"id": "c", "kind": "goto", "to": "d"},
        {"id": "d", "kind": "goto", "to": "c"},
    )
    assert [m for _, m in errors(doc)] == [
        "step 'a' (goto): the loop a -> b -> a runs without passing a wait or wait_for_event",
        "step 'c' (goto): the loop c -> d -> c runs without passing a wait or wait_for_event",
    ]
    through_wait = api(
        {"id": "s", "kind": "send", "resource": "VIP pop-up", "next": "w"},
        {"id": "w", "kind": "wait", "seconds": 60, "next": "s"},
    )
    through_event = api(
        {"id": "s", "kind": "points", "amount": 1, "next": "w"},
        {"id": "w", "kind": "wait_for_event", "event": "bet", "next": "s", "timeoutNext": "s"},
    )
    assert errors(through_wait) == [] and errors(through_event) == []


def test_a_long_straight_journey_is_checked_without_running_out_of_stack():
    steps = [{"id": f"s{i}", "kind": "points", "amount": 1, "next": f"s{i + 1}"} for i in range(5000)]
    steps.append({"id": "s5000", "kind": "goto", "to": "s0"})
    assert [m.split(": ", 1)[1][:20] for _, m in errors(api(*steps))] == ["the loop s0 -> s1 ->"]


@pytest.mark.parametrize("kind", sorted(REQUIRED))
def test_a_step_missing_what_its_kind_needs_is_a_warning_naming_it(kind):
    doc = api({"id": "s", "kind": kind})
    problems = validate(doc, catalog=CAT)
    if kind in ("exit",):
        assert problems == []
    else:
        assert problems == [Problem("s", "WARNING", "step 's' is not configured: entries that reach it halt there")]


def test_configured_false_is_a_warning_and_all_problems_come_at_once():
    doc = api(
        {"id": "a", "kind": "send", "resource": "Welcome email", "next": "b", "configured": False},
        {"id": "b", "kind": "bonus", "next": "c"},
        {"id": "c", "kind": "teleport"},
        {"id": "c", "kind": "exit"},
        start="nowhere",
    )
    assert [(p.step_id, p.severity) for p in validate(doc, catalog=CAT)] == [
        ("a", "WARNING"),
        ("b", "WARNING"),
        ("c", "ERROR"),
        ("c", "ERROR"),
        (None, "ERROR"),
    ]


JUNK = (None, 0, -1, 1.5, True, "", "x", [], [1], {}, {"a": 1})


def test_validation_never_raises_whatever_a_field_holds():
    paths = [
        ("trigger",),
        ("trigger", "where"),
        ("trigger", "schedule"),
        ("goal",),
        ("goal", "where"),
        ("exitWhen",),
        ("moveWhen",),
        ("reactivation",),
        ("statuses",),
        ("quietHours",),
        ("start",),
        ("steps",),
    ]
    step_fields = (
        "kind",
        "id",
        "next",
        "yes",
        "no",
        "to",
        "timeoutNext",
        "branches",
        "resource",
        "template",
        "status",
        "where",
        "event",
        "seconds",
        "until",
        "timezone",
        "amount",
        "set",
        "url",
        "body",
        "timeoutSeconds",
    )
    count = 0
    for junk in JUNK:
        for path in paths:
            doc = copy.deepcopy(EXAMPLE)
            doc["reactivation"] = {"event": "login"}
            holder = doc
            for key in path[:-1]:
                holder = holder[key]
            holder[path[-1]] = copy.deepcopy(junk)
            assert all(isinstance(p, Problem) for p in validate(doc, catalog=CAT))
            compile(doc)
            count += 1
        for kind in REQUIRED:
            for name in step_fields:
                doc = api({"id": "s", "kind": kind, name: copy.deepcopy(junk)}, {"id": "t", "kind": "exit"})
                assert all(isinstance(p, Problem) for p in validate(doc, catalog=CAT))
                count += 1
    assert count == len(JUNK) * (len(paths) + len(REQUIRED) * len(step_fields))


def test_compile_reads_the_document_once_into_an_immutable_form():
    j = compile(EXAMPLE)
    assert list(j.steps) == ["welcome", "wait1", "deposited", "nudge", "bonus", "vip_offer"]
    assert j.start == "welcome" and j.trigger["event"] == "deposit" and j.goal["withinSeconds"] == 604800
    assert j.exit_when == ({"event": "self_exclusion"},) and j.move_when[0]["to"] == "vip_offer"
    assert dict(j.ladder) == {"Entered": 0, "Sent": 10} and j.quiet_hours == ("22:00", "08:00")
    assert j.reactivation is None and j.configured == frozenset(j.steps)
    with pytest.raises(TypeError):
        j.steps["x"] = {}  # type: ignore[index]
    with pytest.raises(AttributeError):
        j.start = "nudge"  # type: ignore[misc]
    assert dict(compile(api({"id": "s", "kind": "exit"})).ladder) == dict(DEFAULT_LADDER)
    assert compile("junk").steps == {} and compile("junk").start is None


def test_compile_lists_every_aggregate_the_engine_reads_but_not_the_segment():
    def count(name):
        return {"eventCount": {"name": name}, "op": "gte", "value": 1}

    doc = {
        "trigger": {"kind": "EVENT", "event": "deposit", "where": count("t")},
        "start": "c",
        "goal": {"event": "deposit", "where": count("g")},
        "exitWhen": [{"event": "x", "where": count("x")}],
        "moveWhen": [{"event": "y", "where": count("m"), "to": "c"}],
        "reactivation": {"event": "login", "where": count("r")},
        "steps": [
            {"id": "c", "kind": "condition", "where": {"any": [count("c"), count("c")]}, "yes": "w"},
            {"id": "w", "kind": "wait_for_event", "event": "bet", "where": count("w")},
        ],
    }
    assert {spec.name for spec in compile(doc).aggregates} == {"t", "g", "x", "m", "r", "c", "w"}
    assert len(compile(doc).aggregates) == 7  # the condition's two equal specs are one
    scheduled = {
        "trigger": {"kind": "SCHEDULED_SEGMENT", "schedule": {"cron": "* * * * *"}, "segment": count("s")},
        "start": "e",
        "steps": [{"id": "e", "kind": "exit"}],
    }
    assert compile(scheduled).aggregates == ()
    assert AggregateSpec("count", "c", None, None, None) in compile(doc).aggregates


def test_unconfigured_and_unknown_steps_are_not_in_the_configured_set():
    j = compile(
        api(
            {"id": "a", "kind": "send", "resource": "x", "next": "b"},
            {"id": "b", "kind": "send"},
            {"id": "c", "kind": "wait"},
            {"id": "d", "kind": "exit", "configured": False},
            {"id": "e", "kind": "fly"},
        )
    )
    assert j.configured == frozenset({"a"})


def test_is_configured_and_trigger_event_name():
    assert is_configured({"kind": "wait", "seconds": 0}) and is_configured({"kind": "wait", "until": "09:00"})
    assert not is_configured({"kind": "wait"}) and not is_configured({"kind": "send", "resource": ""})
    assert not is_configured({"kind": "send", "resource": "x", "configured": False})
    assert is_configured({"kind": "exit"}) and not is_configured({"kind": "split", "branches": []})
    assert trigger_event_name(EXAMPLE) == "deposit"
    assert trigger_event_name({"trigger": {"kind": "API", "event": "deposit"}}) is None
    assert trigger_event_name({"trigger": {"kind": "EVENT", "event": ""}}) is None
    assert trigger_event_name("junk") is None


# -- messages a newcomer can act on ---------------------------------------------------------------


def _only_error(doc):
    [(step_id, message)] = errors(doc)
    return step_id, message


def test_a_step_written_with_type_instead_of_kind_says_the_key_is_kind():
    step_id, message = _only_error(api({"id": "hello", "type": "send", "resource": "Welcome email"}))
    assert step_id == "hello"
    assert message.startswith("step 'hello': the key \"kind\" is missing")
    assert '(did you mean "kind" instead of "type"?)' in message
    assert "send, wait, wait_for_event, condition, split, bonus, points, set_status, update_profile" in message


def test_a_misspelt_kind_is_named_with_the_nearest_kinds():
    _, message = _only_error(api({"id": "w", "kind": "wiat", "seconds": 5}))
    assert message.startswith("step 'w': kind 'wiat' is not a step kind (did you mean 'wait'?)")


def test_no_start_names_the_key_and_the_step_ids():
    doc = {"trigger": {"kind": "API"}, "steps": [{"id": "first", "kind": "exit"}]}
    assert _only_error(doc) == (
        None,
        'the key "start" is missing: the id of the step entries begin at (step ids: first)',
    )


def test_a_trigger_written_as_a_text_is_refused_clearly():
    doc = {"trigger": "EVENT", "start": "s", "steps": [{"id": "s", "kind": "exit"}]}
    _, message = _only_error(doc)
    assert message == (
        '"trigger" must be an object, not the text \'EVENT\': write {"kind": "EVENT", ...} '
        "(kinds: API, EVENT, SCHEDULED_SEGMENT)"
    )
    _, message = _only_error({**doc, "trigger": {"kind": "event", "event": "x"}})
    assert "trigger.kind 'event' is not a trigger kind (did you mean 'EVENT'?)" in message
    _, message = _only_error({**doc, "trigger": {"type": "API"}})
    assert message.startswith('trigger.kind is missing (did you mean "kind" instead of "type"?)')


@pytest.mark.parametrize(
    "doc,step_id,says",
    [
        (
            api({"id": "s", "kind": "exit"}, goals={"event": "x"}),
            None,
            'unknown key "goals" in the journey document (did you mean "goal"?)',
        ),
        (
            api({"id": "s", "kind": "send", "resource": "Welcome email", "nxt": "s"}),
            "s",
            'unknown key "nxt" in a send step (did you mean "next"?); its keys are: kind, id, name, configured, resource, next',
        ),
        (api({"id": "s", "kind": "wait", "secs": 5}), "s", 'unknown key "secs" in a wait step'),
        (
            {
                "trigger": {"kind": "EVENT", "event": "x", "wher": {}},
                "start": "s",
                "steps": [{"id": "s", "kind": "exit"}],
            },
            None,
            'unknown key "wher" in a EVENT trigger (did you mean "where"?)',
        ),
        (
            api({"id": "s", "kind": "exit"}, goal={"event": "x", "within": 5}),
            None,
            'unknown key "within" in goal (did you mean "withinSeconds"?)',
        ),
        (
            api({"id": "s", "kind": "exit"}, quietHours={"start": "22:00", "end": "06:00", "zone": "UTC"}),
            None,
            'unknown key "zone" in quietHours',
        ),
        (
            api({"id": "s", "kind": "exit"}, reactivation={"event": "x", "wait": 5}),
            None,
            'unknown key "wait" in reactivation (did you mean "waitSeconds"?)',
        ),
        (
            api({"id": "s", "kind": "exit"}, exitWhen=[{"event": "x", "too": "s"}]),
            None,
            'unknown key "too" in an exitWhen rule',
        ),
        (
            api({"id": "s", "kind": "split", "branches": [{"name": "a", "percent": 100, "nexts": "s"}]}),
            "s",
            'unknown key "nexts" in a split branch (did you mean "next"?)',
        ),
        (
            api({"id": "s", "kind": "exit"}, statuses=[{"name": "A", "step": 0, "colour": "red"}]),
            None,
            'unknown key "colour" in a status of statuses',
        ),
    ],
)
def test_unknown_keys_are_refused_with_the_nearest_known_key(doc, step_id, says):
    found = errors(doc)
    assert any(sid == step_id and says in message for sid, message in found), found
