"""How the app serves the backoffice bundle and GraphiQL, next to the API."""

from __future__ import annotations

import re

from graphql_schema.app import STATIC_DIR


def _entry_script() -> str:
    html = (STATIC_DIR / "index.html").read_text()
    return re.search(r'src="(/assets/[^"]+\.js)"', html).group(1)


async def test_every_screen_address_answers_the_app_page_never_cached(client):
    for path in ("/", "/journeys", "/journeys/Sm91cm5leTox/users?period=LAST_7_DAYS", "/catalog/resources", "/x.js"):
        resp = await client.http.get(path, headers={"accept": "text/html"})
        assert resp.status_code == 200, path
        assert resp.headers["content-type"].startswith("text/html")
        assert resp.headers["cache-control"] == "no-cache"
        assert '<div id="root"></div>' in resp.text


async def test_hashed_assets_are_cached_for_a_year(client):
    resp = await client.http.get(_entry_script())
    assert resp.status_code == 200 and "javascript" in resp.headers["content-type"]
    assert resp.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert (await client.http.get("/assets/nothing-here.js")).status_code == 404


async def test_a_browser_gets_graphiql_from_the_bundle_and_clients_get_graphql(client):
    page = await client.http.get("/graphql", headers={"accept": "text/html,application/xhtml+xml"})
    assert page.status_code == 200 and page.headers["cache-control"] == "no-cache"
    assert "<title>Questline GraphiQL</title>" in page.text
    # Offline: the page loads only the project's own files.
    assert re.findall(r'(?:src|href)="([^"]+)"', page.text) and all(
        url.startswith("/assets/") for url in re.findall(r'(?:src|href)="([^"]+)"', page.text)
    )
    query = await client.http.get("/graphql", params={"query": "{ __typename }"}, headers={"accept": "text/html"})
    assert query.headers["content-type"].startswith("application/json")
    assert query.json() == {"data": {"__typename": "Query"}}


async def test_api_paths_keep_their_own_answers(client):
    assert (await client.http.get("/api/events")).status_code == 405
    assert (await client.http.get("/healthz")).json()["status"] == "ok"
    assert (await client.http.get("/webhooks/nothing")).status_code == 404
    assert '<div id="root">' not in (await client.http.get("/t/o/not-a-token")).text
    source = await client.http.get("/__init__.py")
    assert source.headers["content-type"].startswith("text/html")  # the page, never a Python file
