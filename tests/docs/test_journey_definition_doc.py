"""docs/journey-definition.md stays true: every example in it is a document the server
accepts, and the JSON Schema served at /schema/journey-definition.json accepts them,
the demo's journeys and the contract's example, and refuses what validation refuses."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from backend.journeys.definition import Catalog, validate
from backend.journeys.document_schema import STEP_KINDS, TRIGGER_KINDS, journey_definition_schema
from questline.demo.journeys import ALL as DEMO_JOURNEYS

DOC = Path(__file__).resolve().parents[2] / "docs" / "journey-definition.md"
RESOURCES = ("Welcome email", "Thank-you SMS", "Come back SMS", "VIP pop-up")
CATALOG = Catalog(resources=dict.fromkeys(RESOURCES, "EMAIL"), bonus_templates=frozenset({"10 free spins"}))


def _examples() -> list[dict]:
    """The ```json blocks of the page (a ```json fragment block is not a whole document)."""
    blocks = re.findall(r"^```json\n(.*?)^```", DOC.read_text(), flags=re.S | re.M)
    return [json.loads(block) for block in blocks]


EXAMPLES = _examples()
VALIDATOR = jsonschema.Draft202012Validator(journey_definition_schema())


def test_the_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(journey_definition_schema())


def test_the_page_has_an_example_of_every_trigger_and_every_step_kind():
    triggers = {doc["trigger"]["kind"] for doc in EXAMPLES}
    kinds = {step["kind"] for doc in EXAMPLES for step in doc["steps"]}
    assert triggers == set(TRIGGER_KINDS)
    assert kinds == set(STEP_KINDS)


@pytest.mark.parametrize("doc", EXAMPLES, ids=lambda d: d["start"])
def test_every_example_is_accepted_by_the_server_and_the_schema(doc):
    assert list(validate(doc, catalog=CATALOG)) == []
    assert [e.message for e in VALIDATOR.iter_errors(doc)] == []


@pytest.mark.parametrize("spec", DEMO_JOURNEYS, ids=lambda s: s.name)
def test_the_demo_journeys_match_the_schema(spec):
    assert [e.message for e in VALIDATOR.iter_errors(spec.definition)] == []


def test_the_contract_example_matches_the_schema():
    from tests.engine.test_definition import EXAMPLE

    assert [e.message for e in VALIDATOR.iter_errors(EXAMPLE)] == []


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.update(goals={"event": "x"}),
        lambda d: d["steps"][0].update(nxt="x"),
        lambda d: d["steps"][0].pop("kind") and d["steps"][0].update(type="send"),
        lambda d: d.update(trigger="EVENT"),
        lambda d: d["trigger"].update(kind="EVENTS"),
        lambda d: d["steps"].append({"id": "w", "kind": "wait", "seconds": -1}),
        lambda d: d["steps"].append({"id": "c", "kind": "condition", "where": {"field": "user.pionts", "op": "eq"}}),
    ],
)
def test_the_schema_refuses_what_validation_refuses(change):
    doc = json.loads(json.dumps(EXAMPLES[0]))
    change(doc)
    assert [p for p in validate(doc, catalog=CATALOG) if p.severity == "ERROR"]
    assert list(VALIDATOR.iter_errors(doc))


async def test_the_schema_is_served_without_a_token(client):
    response = await client.http.get("/schema/journey-definition.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/schema+json")
    served = response.json()
    assert served["$id"] == "http://questline.test/schema/journey-definition.json"
    assert {k: v for k, v in served.items() if k != "$id"} == journey_definition_schema()
