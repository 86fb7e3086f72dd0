"""Access groups hold on every object a query can reach, not only on the root fields.

An operator of group "a" asks, from every root field, for every object field below it
(generated from the served schema); nothing of the group-"b" journey may come back:
not the journey, its entries, its communications or its bonuses, nor a resource of
group "b", by any path.
"""

from __future__ import annotations

import json

import pytest

from backend.auth.policy import Role
from graphql_schema.permissions import rule_for
from tests.api.group_data import SECRET, seed_two_groups
from tests.api.schema_walk import required_args, root_queries, served_schema
from tests.conftest import make_operator


def _arguments(seen: dict, hidden: dict, role: str):
    every_id = [*seen.values(), *hidden.values()]

    def arguments_for(name: str, field) -> list[str] | None:
        if not Role[role] >= (rule_for("Query", name) or Role.ANALYST):
            return None  # refused to this role as a whole (tested with the roles)
        if name == "node":
            return [f'id: "{i}"' for i in every_id]
        if name == "journey":
            return [f'id: "{seen["Journey"]}"', f'id: "{hidden["Journey"]}"']
        if name == "entry":
            return [f'id: "{seen["Entry"]}"', f'id: "{hidden["Entry"]}"']
        if name == "user":
            return ['externalId: "u5"']
        if name.startswith("preview"):
            return None  # a document in, computed answers out: nothing stored is reached
        return None if required_args(field) else [""]

    return arguments_for


@pytest.mark.parametrize("role", ["ANALYST", "MANAGER"])
async def test_an_operator_reaches_nothing_of_another_groups_journey_by_any_path(client, db, role):
    seen, hidden = seed_two_groups(db)
    make_operator(db, "alice", role, ["a"])
    token = await client.login("alice", "password-123")
    reached_a: set[str] = set()
    for root, query in root_queries(served_schema(), hops=3, arguments_for=_arguments(seen, hidden, role)):
        body = await client.raw(query, token=token)
        assert not body.get("errors"), (root, body.get("errors"))
        text = json.dumps(body)
        leaked = [kind for kind, gid in hidden.items() if gid in text]
        assert not leaked and SECRET not in text and "of Group B" not in text, (root, leaked, query)
        reached_a |= {kind for kind, gid in seen.items() if gid in text}
    # The walk does reach the objects of the operator's own group, by the same paths.
    assert reached_a == set(seen)


async def test_the_reported_path_through_a_users_bonuses_shows_only_visible_journeys(client, db):
    seen, hidden = seed_two_groups(db)
    make_operator(db, "mia", "MANAGER", ["a"])
    token = await client.login("mia", "password-123")
    data = await client(
        """{ user(externalId: "u5") { bonuses { id entry { id journey { name
             entries(first: 10) { edges { node { user { email phone } } } } } } } } }""",
        token=token,
    )
    assert [b["id"] for b in data["user"]["bonuses"]] == [seen["Bonus"]]
    assert data["user"]["bonuses"][0]["entry"]["journey"]["name"] == "Group A journey"
    by_node = await client(
        "query($id: ID!) { node(id: $id) { ... on Bonus { entry { journey { name } } } } }",
        {"id": hidden["Bonus"]},
        token=token,
    )
    assert by_node["node"] is None
    admin_sees = await client(
        "query($id: ID!) { node(id: $id) { ... on Bonus { entry { journey { name } } } } }",
        {"id": hidden["Bonus"]},
        token=await _admin_token(client, db),
    )
    assert admin_sees["node"]["entry"]["journey"]["name"] == SECRET


async def _admin_token(client, db) -> str:
    make_operator(db, "root", "ADMIN")
    return await client.login("root", "password-123")
