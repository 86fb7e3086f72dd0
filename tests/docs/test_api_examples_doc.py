"""docs/api-examples.md stays true: each of its operations, run in order against the
app as a client would send it, answers without errors."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path
from typing import Any

from tests.conftest import make_operator

DOC = Path(__file__).resolve().parents[2] / "docs" / "api-examples.md"
PLACEHOLDER = re.compile(r"^<([A-Za-z]+(?:\.[A-Za-z]+)+)>$")


def _examples() -> list[tuple[str, dict[str, Any]]]:
    """(operation, variables) pairs: each ```graphql block and the ```json block after it."""
    blocks = re.findall(r"^```(graphql|json)\n(.*?)^```", DOC.read_text(), flags=re.S | re.M)
    pairs = []
    for (kind, text), (next_kind, next_text) in itertools.pairwise(blocks):
        if kind == "graphql":
            assert next_kind == "json", f"the operation {text[:40]!r} needs its variables after it"
            pairs.append((text, json.loads(next_text)))
    return pairs


def _resolve(value: Any, answers: dict[str, Any]) -> Any:
    """Replaces "<createJourney.journey.id>" with that value of an earlier answer."""
    if isinstance(value, dict):
        return {k: _resolve(v, answers) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, answers) for v in value]
    match = PLACEHOLDER.match(value) if isinstance(value, str) else None
    if match is None:
        return value
    found: Any = answers
    for part in match[1].split("."):
        found = found[part]
    return found


def _payload_errors(data: dict[str, Any]) -> list[Any]:
    return [e for payload in data.values() if isinstance(payload, dict) for e in payload.get("errors", [])]


def test_the_page_covers_the_common_tasks():
    operations = " ".join(op for op, _ in _examples())
    for root in ("login", "createResource", "upsertUsers", "trackEvents", "createJourney", "activateJourney"):
        assert f"{root}(" in operations


async def test_every_example_runs_in_order_without_errors(client, db):
    make_operator(db, "admin", "ADMIN", password="change-me-now")
    answers: dict[str, Any] = {}
    for operation, variables in _examples():
        body = await client.raw(operation, _resolve(variables, answers))
        assert "errors" not in body, (operation[:60], body.get("errors"))
        data = body["data"]
        assert _payload_errors(data) == [], (operation[:60], data)
        answers.update(data)
        if "login" in data:
            client.token = data["login"]["token"]
    assert answers["activateJourney"]["journey"]["status"] == "ACTIVE"
    assert answers["createJourney"]["journey"]["problems"] == []
    assert answers["trackEvents"] == {"accepted": 2, "duplicates": 0, "errors": []}
    assert answers["upsertUsers"]["created"] == 2
    assert answers["journey"]["name"] == "Deposit thank-you"
