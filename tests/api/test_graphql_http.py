"""GraphQL over HTTP as the spec describes it, as a client library would see it."""
from __future__ import annotations

GQL = "application/graphql-response+json"


async def _post(client, body, accept=GQL, token=None, content_type="application/json"):
    headers = {"content-type": content_type, "accept": accept}
    if token:
        headers["authorization"] = f"Bearer {token}"
    return await client.http.post("/graphql", content=body if isinstance(body, str) else None,
                                   json=None if isinstance(body, str) else body, headers=headers)


async def test_parse_error_is_400_with_graphql_response_json_and_200_with_json(admin):
    strict = await _post(admin, {"query": "{ me {"}, token=admin.token)
    assert strict.status_code == 400 and strict.headers["content-type"].startswith(GQL)
    assert "data" not in strict.json() and strict.json()["errors"]
    legacy = await _post(admin, {"query": "{ me {"}, accept="application/json", token=admin.token)
    assert legacy.status_code == 200 and legacy.headers["content-type"].startswith("application/json")
    assert "data" not in legacy.json()


async def test_validation_and_variable_errors_are_request_errors(admin):
    invalid = await _post(admin, {"query": "{ me { nope } }"}, token=admin.token)
    assert invalid.status_code == 400 and "data" not in invalid.json()
    bad_var = await _post(admin, {"query": "query($id: ID!) { journey(id: $id) { name } }", "variables": {"id": None}}, token=admin.token)
    assert bad_var.status_code == 400 and "data" not in bad_var.json()
    unknown_op = await _post(admin, {"query": "query A { me { username } }", "operationName": "B"}, token=admin.token)
    assert unknown_op.status_code == 400


async def test_a_good_request_is_200_with_data(admin):
    ok = await _post(admin, {"query": "{ me { username } }"}, token=admin.token)
    assert ok.status_code == 200 and ok.json() == {"data": {"me": {"username": "admin"}}}
    assert ok.headers["content-type"].startswith(GQL)


async def test_accept_negotiation(admin):
    anything = await _post(admin, {"query": "{ me { username } }"}, accept="*/*", token=admin.token)
    assert anything.status_code == 200 and anything.headers["content-type"].startswith("application/json")
    refused = await _post(admin, {"query": "{ me { username } }"}, accept="text/plain", token=admin.token)
    assert refused.status_code == 406


async def test_mutation_over_get_is_refused_and_query_over_get_works(admin):
    headers = {"authorization": f"Bearer {admin.token}", "accept": GQL}
    get_query = await admin.http.get("/graphql", params={"query": "{ me { username } }"}, headers=headers)
    assert get_query.status_code == 200 and get_query.json()["data"]["me"]["username"] == "admin"
    get_mutation = await admin.http.get("/graphql", params={"query": 'mutation { setLevels(levels: []) { errors { code } } }'}, headers=headers)
    assert get_mutation.status_code == 405


async def test_wrong_body_shapes_are_4xx(admin):
    not_json = await _post(admin, "{not json", token=admin.token)
    assert 400 <= not_json.status_code < 500
    no_query = await _post(admin, {"variables": {}}, token=admin.token)
    assert no_query.status_code == 400
    bad_name = await _post(admin, {"query": "{ me { username } }", "operationName": {"x": 1}}, token=admin.token)
    assert bad_name.status_code == 400


async def test_no_token_is_401_unauthenticated_with_no_data_and_nothing_runs(client):
    for query in ("{ me { username } }", "{ __schema { queryType { name } } }",
                  'mutation { login(username: "x", password: "y") { token } setLevels(levels: []) { errors { code } } }'):
        resp = await _post(client, {"query": query})
        assert resp.status_code == 401 and resp.headers["www-authenticate"] == "Bearer"
        body = resp.json()
        assert "data" not in body
        assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]


async def test_login_needs_no_token(client, db):
    from tests.conftest import make_operator

    make_operator(db, "ana", "ANALYST")
    resp = await _post(client, {"query": 'mutation { login(username: "ana", password: "password-123") { token } }'})
    assert resp.status_code == 200 and resp.json()["data"]["login"]["token"]


async def test_graphiql_page_is_served_without_a_token(client):
    resp = await client.http.get("/graphql", headers={"accept": "text/html"})
    assert resp.status_code == 200 and "graphiql" in resp.text.lower()
