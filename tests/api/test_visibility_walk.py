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
from backend.models import Bonus, BonusTemplate, Communication, Entry, Journey, Resource, User
from graphql_schema.ids import encode_id
from graphql_schema.permissions import rule_for
from tests.api.schema_walk import required_args, root_queries, served_schema
from tests.conftest import make_operator

DEFINITION = {"trigger": {"kind": "API"}, "start": "s", "steps": [{"id": "s", "kind": "send", "resource": "Hi"}]}
SECRET = "Group B secret journey"


def _journey_with_everything(s, name: str, groups: list[str], user: User, resource: Resource, template) -> dict:
    journey = Journey(name=name, definition=DEFINITION, status="ACTIVE", access_groups=groups, tags=[])
    s.add(journey)
    s.flush()
    entry = Entry(journey_id=journey.id, user_id=user.id, status="WAITING", current_step_id="s", visits={})
    s.add(entry)
    s.flush()
    comm = Communication(
        idempotency_key=f"c-{name}",
        user_id=user.id,
        resource_id=resource.id,
        journey_id=journey.id,
        entry_id=entry.id,
        channel="EMAIL",
        status="SENT",
        subject=f"subject of {name}",
        body=f"body of {name}",
    )
    bonus = Bonus(
        idempotency_key=f"b-{name}",
        user_id=user.id,
        template_id=template.id,
        entry_id=entry.id,
        journey_id=journey.id,
        source="journey",
        status="GRANTED",
    )
    s.add_all([comm, bonus])
    s.flush()
    return {
        "Journey": encode_id("Journey", journey.id),
        "Entry": encode_id("Entry", entry.id),
        "Communication": encode_id("Communication", comm.id),
        "Bonus": encode_id("Bonus", bonus.id),
        "Resource": encode_id("Resource", resource.id),
    }


def _seed(db) -> tuple[dict, dict]:
    with db.unit_of_work() as uow:
        s = uow.session
        user = User(
            external_id="u5",
            external_id_lc="u5",
            username="five",
            username_lc="five",
            email="five@example.com",
            email_lc="five@example.com",
            phone="+4915112345678",
            attributes={},
            opt_outs=[],
        )
        resource = Resource(name="Hi", channel="EMAIL", subject="Hi", body="Hello")
        # Resources have groups of their own: group b's text is not group a's to read.
        resource_b = Resource(name="Hi b", channel="EMAIL", subject="Hi", body="Hello of Group B", access_groups=["b"])
        template = BonusTemplate(name="Spins", kind="FREE_SPINS", amount=10)
        s.add_all([user, resource, resource_b, template])
        s.flush()
        seen = _journey_with_everything(s, "Group A journey", ["a"], user, resource, template)
        hidden = _journey_with_everything(s, SECRET, ["b"], user, resource_b, template)
    return seen, hidden


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
    seen, hidden = _seed(db)
    make_operator(db, "alice", role, ["a"])
    token = await client.login("alice", "password-123")
    reached_a: set[str] = set()
    for root, query in root_queries(served_schema(), hops=4, arguments_for=_arguments(seen, hidden, role)):
        body = await client.raw(query, token=token)
        assert not body.get("errors"), (root, body.get("errors"))
        text = json.dumps(body)
        leaked = [kind for kind, gid in hidden.items() if gid in text]
        assert not leaked and SECRET not in text and "of Group B" not in text, (root, leaked, query)
        reached_a |= {kind for kind, gid in seen.items() if gid in text}
    # The walk does reach the objects of the operator's own group, by the same paths.
    assert reached_a == set(seen)


async def test_the_reported_path_through_a_users_bonuses_shows_only_visible_journeys(client, db):
    seen, hidden = _seed(db)
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
