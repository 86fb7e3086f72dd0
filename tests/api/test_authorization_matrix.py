"""The authorization matrix, generated from the served schema: every Query and Mutation
root field, and every object field that loads another object, asked by each role
(operators of group "a"), by a manager of another group ("c"), with a player's user
token and with no token. Each cell is checked against the rule table
(graphql_schema/permissions.py) and the access groups:

- no operator token: UNAUTHENTICATED (401) and nothing runs, but for the public fields;
- a role below the field's rule: FORBIDDEN, and nothing is written;
- a role at or above it: an answer (a UserError at most), never a server error;
- another group's operator: the objects of groups "a" and "b" are missing (null,
  NOT_FOUND), by any path, and stay as they were.

The Subscription root fields, over WebSocket: test_authorization_matrix_subscriptions.py.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select, text

from backend.auth.policy import Role
from backend.models import BonusTemplate, Communication, Entry, Journey, Resource
from graphql_schema.ids import encode_id
from graphql_schema.permissions import PUBLIC, rule_for
from tests.api.group_data import seed_two_groups
from tests.api.schema_walk import (
    object_fields,
    required_args,
    root_call,
    root_queries,
    selected_fields,
    served_schema,
)
from tests.conftest import TABLES_IN_DELETE_ORDER, make_operator

GQL = "application/graphql-response+json"
CALLERS = ("ADMIN", "MANAGER", "ANALYST", "OTHER_GROUP", "USER_TOKEN", "NO_TOKEN")
ROLE_OF = {"ADMIN": Role.ADMIN, "MANAGER": Role.MANAGER, "ANALYST": Role.ANALYST, "OTHER_GROUP": Role.MANAGER}
# The object every root field with a required ID argument is asked about.
ID_TARGET = {
    "node": "Journey",
    "journey": "Journey",
    "entry": "Entry",
    "updateJourney": "Journey",
    "saveJourneyLayout": "Journey",
    "activateJourney": "Journey",
    "stopJourney": "Journey",
    "cloneJourney": "Journey",
    "deleteJourney": "Journey",
    "clearJourneyEntries": "Journey",
    "enterJourney": "Journey",
    "stopEntry": "Entry",
    "recordPopupAction": "Communication",
    "updateResource": "Resource",
    "grantBonus": "BonusTemplate",
}
# Reached only through a preview, whose input the walk does not invent.
NEEDS_ARGUMENTS = {"SegmentPreview.sample"}


def _root_fields(schema) -> list[tuple[str, str]]:
    return [("query", n) for n in schema.query_type.fields] + [("mutation", n) for n in schema.mutation_type.fields]


def test_every_root_field_with_an_id_argument_has_a_target():
    schema = served_schema()
    with_ids = {
        name
        for operation, name in _root_fields(schema)
        for arg in required_args((schema.query_type if operation == "query" else schema.mutation_type).fields[name])
        if arg in ("id", "journeyId", "communicationId", "templateId", "entryId")
    }
    assert with_ids == set(ID_TARGET)


async def _token_of(client, db, caller: str) -> str | None:
    if caller == "NO_TOKEN":
        return None
    if caller == "USER_TOKEN":
        make_operator(db, "issuer", "MANAGER")
        issuer = await client.login("issuer", "password-123")
        data = await client('mutation { issueUserToken(externalId: "u5") { token } }', token=issuer)
        return data["issueUserToken"]["token"]
    groups = ["c"] if caller == "OTHER_GROUP" else ([] if caller == "ADMIN" else ["a"])
    make_operator(db, "caller", ROLE_OF[caller].name, groups)
    return await client.login("caller", "password-123")


def _ids(db, seen: dict, hidden: dict, caller: str) -> dict[str, str]:
    """Group a's objects for its own operators, group b's for another group's."""
    with db.read() as s:
        template = s.scalar(select(BonusTemplate.id))
    return {**(hidden if caller == "OTHER_GROUP" else seen), "BonusTemplate": encode_id("BonusTemplate", template)}


def _given(ids: dict[str, str], field: str) -> dict[str, str]:
    given = {"externalId": '"u5"', "externalIds": '["u5"]', "username": '"nobody"', "password": '"wrong-password"'}
    if field in ID_TARGET:
        target = json.dumps(ids[ID_TARGET[field]])
        given |= {"id": target, "journeyId": target, "communicationId": target, "templateId": target}
    return given


def _row_counts(db) -> dict[str, int]:
    with db.read() as s:
        return {t: s.scalar(select(func.count()).select_from(text(t))) for t in TABLES_IN_DELETE_ORDER}


def _group_b_rows(db) -> list:
    with db.read() as s:
        journey = s.scalar(select(Journey).where(Journey.access_groups.is_not(None), Journey.name.like("Group B%")))
        return [
            (journey.name, journey.status, journey.deleted_at, journey.access_groups, journey.version, journey.layout),
            [(e.id, e.status) for e in s.scalars(select(Entry).where(Entry.journey_id == journey.id))],
            [(c.id, c.status) for c in s.scalars(select(Communication).where(Communication.journey_id == journey.id))],
            [
                (r.id, r.name, r.body, r.access_groups)
                for r in s.scalars(select(Resource).where(Resource.name.like("Hi%")).order_by(Resource.id))
            ],
        ]


def _codes(body: dict, field: str) -> tuple[list[str], list[str]]:
    """(codes of GraphQL errors, codes of the payload's UserErrors)."""
    errors = [(e.get("extensions") or {}).get("code") for e in body.get("errors") or []]
    payload = (body.get("data") or {}).get(field)
    user_errors = [e["code"] for e in payload.get("errors") or []] if isinstance(payload, dict) else []
    return errors, user_errors


@pytest.mark.parametrize("caller", CALLERS)
async def test_every_root_field_answers_each_caller_by_the_rule_table(client, db, caller):
    seen, hidden = seed_two_groups(db)
    token = await _token_of(client, db, caller)
    ids = _ids(db, seen, hidden, caller)
    schema = served_schema()
    group_b_before = _group_b_rows(db)
    for operation, field in _root_fields(schema):
        document = root_call(schema, operation, field, _given(ids, field))
        before = _row_counts(db)
        body = await client.raw(document, token=token or "")
        status = client.last_response.status_code
        errors, user_errors = _codes(body, field)
        cell = (caller, field, status, body)
        assert "INTERNAL_SERVER_ERROR" not in errors and status < 500, cell
        rule = rule_for("Mutation" if operation == "mutation" else "Query", field)
        if caller not in ROLE_OF:
            if rule is PUBLIC:
                assert "UNAUTHENTICATED" not in errors, cell
            else:
                assert (status, errors, "data" in body) == (401, ["UNAUTHENTICATED"], False), cell
                assert _row_counts(db) == before, cell
            continue
        if rule is not PUBLIC and not ROLE_OF[caller] >= rule:
            assert (errors if operation == "query" else user_errors) == ["FORBIDDEN"], cell
            assert _row_counts(db) == before, cell
            continue
        assert "FORBIDDEN" not in errors and "UNAUTHENTICATED" not in errors, cell
        if rule is not PUBLIC:
            assert "FORBIDDEN" not in user_errors or field in ("createOperator", "setLevels"), cell
        if caller == "OTHER_GROUP" and ID_TARGET.get(field) in ("Journey", "Entry", "Resource"):
            if operation == "query":
                assert body["data"][field] is None, cell
            else:
                assert user_errors == ["NOT_FOUND"], cell
    if caller == "OTHER_GROUP":
        assert _group_b_rows(db) == group_b_before


def _walk_arguments(ids: dict[str, str], role: Role | None):
    def arguments_for(name: str, field) -> list[str] | None:
        if role is not None and not role >= (rule_for("Query", name) or Role.ANALYST):
            return None  # the root field's refusal is the other test's
        if name.startswith("preview"):
            return None  # a document in, computed answers out: nothing stored is reached
        if name in ID_TARGET:
            return [f"{arg}: {json.dumps(ids[ID_TARGET[name]])}" for arg in required_args(field)]
        if name == "user":
            return ['externalId: "u5"']
        return None if required_args(field) else [""]

    return arguments_for


@pytest.mark.parametrize("caller", CALLERS)
async def test_every_object_field_below_the_roots_answers_each_caller(client, db, caller):
    seen, hidden = seed_two_groups(db)
    token = await _token_of(client, db, caller)
    schema = served_schema()
    role = ROLE_OF.get(caller)
    queries = root_queries(schema, hops=3, arguments_for=_walk_arguments(_ids(db, seen, hidden, caller), role))
    reached: set[str] = set()
    for root, query in queries:
        body = await client.raw(query, token=token or "")
        errors, _ = _codes(body, root)
        if role is None:
            # Refused before anything runs (a long document already by the small bounds of a caller without a token).
            refusal = (client.last_response.status_code, errors, "data" in body)
            assert refusal in ((401, ["UNAUTHENTICATED"], False), (400, ["DOCUMENT_TOO_LARGE"], False)), (caller, root)
            continue
        assert not body.get("errors"), (caller, root, body.get("errors"))
        answer = json.dumps(body)
        if caller == "OTHER_GROUP":
            leaked = [kind for kind in ("Journey", "Entry", "Communication", "Bonus") if seen[kind] in answer]
            leaked += [kind for kind, gid in hidden.items() if gid in answer]
            assert not leaked and "Group A journey" not in answer and "Group B" not in answer, (root, leaked)
        else:
            reached |= {kind for kind, gid in seen.items() if gid in answer}
    if caller in ("ADMIN", "MANAGER", "ANALYST"):
        assert reached == set(seen)  # the same paths do reach the operator's own group


def test_the_walk_asks_for_every_object_field_that_loads_an_object():
    schema = served_schema()
    asked: set[str] = set()
    ids = dict.fromkeys(("Journey", "Entry", "Communication", "Resource", "BonusTemplate"), "x")
    for _, query in root_queries(schema, hops=3, arguments_for=_walk_arguments(ids, Role.ADMIN)):
        asked |= selected_fields(schema, query)
    assert object_fields(schema) - asked == NEEDS_ARGUMENTS
