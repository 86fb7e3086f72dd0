"""The cost limit counts the objects a query may load (list items times the lists above
them), not its scalar fields."""

from __future__ import annotations

from graphql import parse

from graphql_schema.limits import LIST_ITEMS, MAX_COST, limit_problems
from graphql_schema.schema import build_schema

ENTRY_SCALARS = (
    "id round version status inControlGroup enteredAt convertedAt stoppedAt stopReason currentStepId wakeAt "
    "progress blockedReason payload"
)
USER_SCALARS = "id externalId username email phone timezone attributes optOuts createdAt"


SCHEMA = build_schema()._schema


def _codes(query: str, variables: dict | None = None) -> list[str]:
    document = parse(query)
    operation = document.definitions[0]
    return [e.extensions["code"] for e in limit_problems(SCHEMA, document, operation, variables)]


def test_a_full_page_of_entries_with_thirty_scalar_fields_is_allowed():
    query = f"""query($j: ID!) {{ journey(id: $j) {{ entries(first: 500) {{ totalCount
      pageInfo {{ hasNextPage endCursor hasPreviousPage startCursor }}
      edges {{ cursor node {{ {ENTRY_SCALARS} user {{ {USER_SCALARS} financial {{ depositCount }} }} }} }} }} }} }}"""
    assert len((ENTRY_SCALARS + " " + USER_SCALARS).split()) >= 23
    assert _codes(query) == []


def test_nested_lists_multiply():
    # 500 journeys x 500 entries each: 250,000 entries.
    query = "{ journeys(first: 500) { edges { node { entries(first: 500) { edges { node { id } } } } } } }"
    assert _codes(query) == ["QUERY_TOO_COSTLY"]
    # The same through a variable and `last`.
    query = "query($n: Int) { journeys(last: $n) { edges { node { entries(last: $n) { nodes: edges { node { id } } } } } } }"
    assert _codes(query, {"n": 500}) == ["QUERY_TOO_COSTLY"]
    assert _codes(query, {"n": 100}) == []
    # A plain list of objects (an entry's steps) counts as a page of its own.
    query = (
        "{ journeys(first: 100) { edges { node { entries(first: 100) { edges { node { steps { stepId } } } } } } } }"
    )
    assert 100 * 100 * LIST_ITEMS > MAX_COST and _codes(query) == ["QUERY_TOO_COSTLY"]


def test_fragments_and_type_conditions_are_followed():
    query = """query($id: ID!) { node(id: $id) { ... on Journey { ...Many } } }
      fragment Many on Journey { entries(first: 500) { edges { node { user {
        entries(first: 500) { edges { node { id } } } } } } } }"""
    assert _codes(query) == ["QUERY_TOO_COSTLY"]
    assert (
        _codes(query.replace("entries(first: 500) { edges { node { id", "entries(first: 100) { edges { node { id"))
        == []
    )


async def test_the_server_runs_a_large_flat_page_and_refuses_a_nested_one(admin):
    flat = (
        f"{{ users(first: 500) {{ edges {{ node {{ {USER_SCALARS} financial {{ depositCount depositTotal }} }} }} }} }}"
    )
    assert "errors" not in await admin.raw(flat)
    nested = "{ users(first: 500) { edges { node { entries(first: 500) { edges { node { id } } } } } } }"
    body = await admin.raw(nested)
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COSTLY" and "data" not in body
