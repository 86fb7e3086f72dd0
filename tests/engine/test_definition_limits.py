"""Validation refuses values the engine could never run: times past the calendar's end,
names longer than the columns that keep them. Each problem names the key and the step."""

from __future__ import annotations

import pytest

from backend.journeys.definition import Catalog, validate

CAT = Catalog(resources={"Mail": "EMAIL"}, bonus_templates=frozenset())
TEN_YEARS = 315_576_000


def _api(*steps, **extra):
    return {"trigger": {"kind": "API"}, "start": steps[0]["id"], "steps": list(steps), **extra}


def _errors(doc):
    return [(p.step_id, p.message) for p in validate(doc, catalog=CAT) if p.severity == "ERROR"]


@pytest.mark.parametrize(
    "doc, expected",
    [
        (_api({"id": "w", "kind": "wait", "seconds": 1e300}), ("w", "seconds must be at most 315,576,000 (10 years)")),
        (
            _api({"id": "w", "kind": "wait", "seconds": TEN_YEARS + 1}),
            ("w", "seconds must be at most 315,576,000 (10 years)"),
        ),
        (
            _api({"id": "e", "kind": "wait_for_event", "event": "deposit", "timeoutSeconds": 1e12}),
            ("e", "timeoutSeconds must be at most 315,576,000 (10 years)"),
        ),
        (
            _api({"id": "e", "kind": "wait_for_event", "event": "d" * 121}),
            ("e", "event is longer than 120 characters"),
        ),
        (
            _api({"id": "x" * 121, "kind": "exit"}),
            ("x" * 120, f"step id '{'x' * 20}...' is longer than 120 characters"),
        ),
        (_api({"id": "s", "kind": "exit", "name": "n" * 201}), ("s", "name is longer than 200 characters")),
        (
            _api({"id": "s", "kind": "set_status", "status": "s" * 121}),
            ("s", "status is longer than 120 characters"),
        ),
        (
            _api({"id": "s", "kind": "exit"}, goal={"event": "deposit", "withinSeconds": 1e300}),
            (None, "goal.withinSeconds must be at most 315,576,000 (10 years)"),
        ),
        (
            _api({"id": "s", "kind": "exit"}, reactivation={"event": "login", "waitSeconds": 1e20}),
            (None, "reactivation.waitSeconds must be at most 315,576,000 (10 years)"),
        ),
        (
            _api({"id": "s", "kind": "exit"}, exitWhen=[{"event": "e" * 121}]),
            (None, "exitWhen[0].event is longer than 120 characters"),
        ),
        (
            _api(
                {
                    "id": "c",
                    "kind": "condition",
                    "where": {"field": "user.financial.lastDepositAt", "op": "within_last", "value": 1e300},
                }
            ),
            ("c", "where: op 'within_last' takes at most 315,576,000 (10 years) seconds"),
        ),
        (
            _api(
                {"id": "s", "kind": "exit"}, statuses=[{"name": "Entered", "step": 0}, {"name": "Far", "step": 2**40}]
            ),
            (None, "statuses[1].step must be a whole number from -2,147,483,647 to 2,147,483,647"),
        ),
    ],
)
def test_a_value_the_engine_could_never_run_is_refused_naming_the_key_and_the_step(doc, expected):
    step_id, says = expected
    found = _errors(doc)
    assert any(sid == step_id and message.endswith(says) for sid, message in found), found


def test_the_largest_values_that_work_are_accepted():
    doc = _api(
        {"id": "w" * 120, "kind": "wait", "seconds": TEN_YEARS, "name": "n" * 200, "next": "e"},
        {"id": "e", "kind": "wait_for_event", "event": "d" * 120, "timeoutSeconds": TEN_YEARS},
        goal={"event": "deposit", "withinSeconds": TEN_YEARS},
    )
    assert _errors(doc) == []
