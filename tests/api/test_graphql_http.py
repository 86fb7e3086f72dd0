"""GraphQL over HTTP as the spec describes it, as a client library would see it."""

from __future__ import annotations

from sqlalchemy import func, select

from backend.models import Operator
from tests.conftest import make_operator

GQL = "application/graphql-response+json"
JSON = "application/json"
ME = "{ me { username } }"
CREATE_OP = 'createOperator(input: {username: "eve", password: "long-password", role: ADMIN, accessGroups: []}) { errors { code } }'


async def _post(client, body, accept=GQL, token=None, content_type=JSON):
    headers = {"accept": accept}
    if content_type is not None:
        headers["content-type"] = content_type
    if token:
        headers["authorization"] = f"Bearer {token}"
    return await client.http.post(
        "/graphql",
        content=body if isinstance(body, str) else None,
        json=None if isinstance(body, str) else body,
        headers=headers,
    )


def _operators(db) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Operator))


async def test_parse_error_is_400_with_graphql_response_json_and_200_with_json(admin):
    strict = await _post(admin, {"query": "{ me {"}, token=admin.token)
    assert strict.status_code == 400 and strict.headers["content-type"] == f"{GQL}; charset=utf-8"
    assert "data" not in strict.json() and strict.json()["errors"][0]["message"].startswith("Syntax Error")
    legacy = await _post(admin, {"query": "{ me {"}, accept=JSON, token=admin.token)
    assert legacy.status_code == 200 and legacy.headers["content-type"] == f"{JSON}; charset=utf-8"
    assert "data" not in legacy.json() and legacy.json()["errors"]


async def test_validation_and_variable_errors_are_request_errors(admin):
    invalid = await _post(admin, {"query": "{ me { nope } }"}, token=admin.token)
    assert invalid.status_code == 400 and "data" not in invalid.json()
    legacy = await _post(admin, {"query": "{ me { nope } }"}, accept=JSON, token=admin.token)
    assert legacy.status_code == 200 and "data" not in legacy.json() and legacy.json()["errors"]
    bad_var = await _post(
        admin, {"query": "query($id: ID!) { journey(id: $id) { name } }", "variables": {"id": None}}, token=admin.token
    )
    assert bad_var.status_code == 400 and "data" not in bad_var.json()
    unknown_op = await _post(admin, {"query": "query A { me { username } }", "operationName": "B"}, token=admin.token)
    assert unknown_op.status_code == 400 and "data" not in unknown_op.json()


async def test_a_good_request_is_200_with_data(admin):
    ok = await _post(admin, {"query": ME}, token=admin.token)
    assert ok.status_code == 200 and ok.json() == {"data": {"me": {"username": "admin"}}}
    assert ok.headers["content-type"] == f"{GQL}; charset=utf-8"
    chosen = await _post(
        admin, {"query": "query A { __typename } query B { me { username } }", "operationName": "B"}, token=admin.token
    )
    assert chosen.status_code == 200 and chosen.json() == {"data": {"me": {"username": "admin"}}}


async def test_accept_negotiation(admin):
    for accept, media in (
        ("*/*", JSON),
        ("", JSON),
        (JSON, JSON),
        (f"{JSON};q=0.5, {GQL}", GQL),
        (f"text/html, {GQL};q=0.9", GQL),
    ):
        resp = await _post(admin, {"query": ME}, accept=accept, token=admin.token)
        assert resp.status_code == 200 and resp.headers["content-type"] == f"{media}; charset=utf-8", accept
    refused = await _post(admin, {"query": ME}, accept="text/plain", token=admin.token)
    assert refused.status_code == 406 and refused.json()["errors"][0]["message"]
    refused_q0 = await _post(admin, {"query": ME}, accept=f"{GQL};q=0, text/plain", token=admin.token)
    assert refused_q0.status_code == 406


async def test_mutation_over_get_is_405_and_does_not_run(admin, db):
    headers = {"authorization": f"Bearer {admin.token}", "accept": GQL}
    get_query = await admin.http.get("/graphql", params={"query": ME}, headers=headers)
    assert get_query.status_code == 200 and get_query.json()["data"]["me"]["username"] == "admin"
    before = _operators(db)
    get_mutation = await admin.http.get("/graphql", params={"query": f"mutation {{ {CREATE_OP} }}"}, headers=headers)
    assert get_mutation.status_code == 405 and get_mutation.headers["allow"] == "POST"
    assert get_mutation.json()["errors"][0]["message"]
    assert _operators(db) == before
    # The same mutation over POST does run.
    post = await _post(admin, {"query": f"mutation {{ {CREATE_OP} }}"}, token=admin.token)
    assert post.json()["data"]["createOperator"]["errors"] == [] and _operators(db) == before + 1


async def test_other_methods_are_405(client):
    for method in ("PUT", "DELETE", "PATCH"):
        resp = await client.http.request(method, "/graphql", json={"query": "{ __typename }"})
        assert resp.status_code == 405 and resp.headers["allow"] == "GET, POST", method
        assert resp.json()["errors"][0]["message"]


async def test_subscription_over_http_is_a_request_error(admin):
    query = 'subscription { journeyLiveStats(journeyId: "Sm91cm5leTox") { __typename } }'
    strict = await _post(admin, {"query": query}, token=admin.token)
    assert strict.status_code == 400 and "data" not in strict.json()
    assert "WebSocket" in strict.json()["errors"][0]["message"]
    legacy = await _post(admin, {"query": query}, accept=JSON, token=admin.token)
    assert legacy.status_code == 200 and "data" not in legacy.json()


async def test_bodies_that_are_not_graphql_requests_are_4xx_with_a_json_error(admin):
    cases = [
        ("{not json", JSON, 400),
        ('"just a string"', JSON, 400),
        ("null", JSON, 400),
        ('{"variables": {}}', JSON, 400),  # no query
        ('{"query": 5}', JSON, 400),
        ('{"query": "{ __typename }", "operationName": {"x": 1}}', JSON, 400),
        ('{"query": "{ __typename }", "variables": [1]}', JSON, 400),
        ('{"query": "{ __typename }"}', "text/plain", 415),
        ('{"query": "{ __typename }"}', None, 415),
        ("query={__typename}", "application/x-www-form-urlencoded", 415),
    ]
    for body, content_type, status in cases:
        resp = await _post(admin, body, content_type=content_type, token=admin.token)
        assert resp.status_code == status, (body, content_type, resp.status_code)
        assert resp.headers["content-type"] == f"{GQL}; charset=utf-8" and resp.json()["errors"][0]["message"]


async def test_no_token_is_401_unauthenticated_with_no_data_and_nothing_runs(admin, db):
    before = _operators(db)
    for query in (
        ME,
        "{ __schema { queryType { name } } }",
        '{ __type(name: "Query") { name } }',
        f'mutation {{ login(username: "x", password: "y") {{ token }} {CREATE_OP} }}',
    ):
        resp = await _post(admin, {"query": query})
        assert resp.status_code == 401 and resp.headers["www-authenticate"] == "Bearer", query
        assert resp.headers["content-type"] == f"{GQL}; charset=utf-8"
        assert resp.json() == {
            "errors": [{"message": resp.json()["errors"][0]["message"], "extensions": {"code": "UNAUTHENTICATED"}}]
        }
    assert _operators(db) == before


async def test_bad_token_is_unauthenticated_like_no_token(admin):
    for header in ("Bearer garbage", f"Bearer {admin.token[:-2]}xx", "Basic YWRtaW46c2VjcmV0", "Bearer"):
        resp = await admin.http.post("/graphql", json={"query": ME}, headers={"accept": GQL, "authorization": header})
        assert resp.status_code == 401 and "data" not in resp.json(), header
        assert [e["extensions"]["code"] for e in resp.json()["errors"]] == ["UNAUTHENTICATED"]


async def test_no_token_with_application_json_is_200_with_only_the_error(client):
    resp = await _post(client, {"query": ME}, accept=JSON)
    assert resp.status_code == 200 and resp.headers["www-authenticate"] == "Bearer"
    assert "data" not in resp.json()
    assert [e["extensions"]["code"] for e in resp.json()["errors"]] == ["UNAUTHENTICATED"]
    over_get = await client.http.get("/graphql", params={"query": ME}, headers={"accept": GQL})
    assert over_get.status_code == 401 and "data" not in over_get.json()


async def test_public_fields_need_no_token(client, db):
    make_operator(db, "ana", "ANALYST")
    resp = await _post(client, {"query": 'mutation { login(username: "ana", password: "password-123") { token } }'})
    assert resp.status_code == 200 and resp.json()["data"]["login"]["token"]
    typename = await _post(client, {"query": "{ __typename }"})
    assert typename.status_code == 200 and typename.json() == {"data": {"__typename": "Query"}}
    # The operation that is selected is the one that counts.
    chosen = await _post(client, {"query": "query Me { me { username } } query T { __typename }", "operationName": "T"})
    assert chosen.status_code == 200 and chosen.json() == {"data": {"__typename": "Query"}}
    other = await _post(client, {"query": "query Me { me { username } } query T { __typename }", "operationName": "Me"})
    assert other.status_code == 401


async def test_graphiql_page_is_served_without_a_token(client):
    resp = await client.http.get("/graphql", headers={"accept": "text/html"})
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/html")
    assert "graphiql" in resp.text.lower()


async def test_graphiql_says_a_token_is_needed_before_it_can_introspect(client):
    import re

    page = await client.http.get("/graphql", headers={"accept": "text/html"})
    script = re.search(r'<script type="module" crossorigin src="(/assets/graphiql-[^"]+\.js)"', page.text)
    assert script, "the GraphiQL page loads its script from the bundle"
    bundle = (await client.http.get(script[1])).text
    assert "A token is needed to introspect the schema" in bundle
    # And an anonymous introspection is refused with how to get one.
    anonymous = await client.http.post("/graphql", json={"query": "{ __schema { types { name } } }"})
    [error] = anonymous.json()["errors"]
    assert error["extensions"]["code"] == "UNAUTHENTICATED" and "login mutation" in error["message"]


async def test_deep_or_costly_queries_are_refused_before_they_run(admin):
    deep = "{ me { " * 1 + "username }" + " }"
    assert (await admin.raw(deep))["data"]["me"]["username"] == "admin"
    nested = "{ journeys { edges { node { entries { edges { node { user { entries { edges { node { user { entries { edges { node { id } } } } } } } } } } } } } } }"
    body = await admin.raw(nested)
    assert "data" not in body and body["errors"][0]["extensions"]["code"] in ("QUERY_TOO_DEEP", "QUERY_TOO_COSTLY")
    assert admin.last_response.status_code == 400
    costly = "{ journeys(first: 500) { edges { node { entries(first: 500) { edges { node { id } } } } } } }"
    body = await admin.raw(costly)
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COSTLY"
    fine = "{ journeys(first: 20) { edges { node { entries(first: 50) { edges { node { id status } } } } } } }"
    assert "errors" not in await admin.raw(fine)


async def test_a_refused_query_argument_carries_its_code(admin):
    body = await admin.raw('{ journeys(after: "not-a-cursor") { totalCount } }')
    [error] = body["errors"]
    assert error["extensions"]["code"] == "INVALID_CURSOR" and "cursor" in error["message"]
    assert error["path"] == ["journeys"]


async def test_an_unexpected_failure_is_logged_and_reaches_the_client_without_its_text(admin, monkeypatch, caplog):
    from backend.reports import journeys as reads

    def broken(*args, **kwargs):
        raise RuntimeError("connection to postgresql://app:hunter2@db failed")

    monkeypatch.setattr(reads, "visible_journey_ids", broken)
    body = await admin.raw("{ journeys { totalCount } }")
    [error] = body["errors"]
    assert error["message"] == "internal error" and error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "hunter2" not in str(body)
    assert any("unexpected error in journeys" in r.getMessage() for r in caplog.records)
