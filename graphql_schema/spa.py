"""The backoffice's single-page app and the GraphiQL page, from the built bundle.

- `/assets/...`: hashed file names, so they are cached for a year and never revalidated.
- `/graphql` GET from a browser (Accept text/html, no `query` parameter): the GraphiQL
  page built from the project's own files (no CDN), so it works offline. Every other
  request to `/graphql` goes to the GraphQL view untouched.
- Any other GET that is neither an API path nor a file: `index.html`, so each screen of
  the app has an address that can be reloaded and shared. The HTML is never cached, so
  a new bundle is picked up on the next load.
"""

from __future__ import annotations

from pathlib import Path

from starlette.convertors import Convertor, register_url_convertor
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

# Paths that belong to the API: a GET there never answers the app's page (the API's
# routes answer them, a 405 for a wrong method, a 404 for the rest).
API_PATHS = ("graphql", "api", "t", "webhooks", "healthz", "metrics", "assets", "schema")
NO_CACHE = {"Cache-Control": "no-cache"}
LONG_CACHE = "public, max-age=31536000, immutable"


class PagePath(Convertor[str]):
    """Any path that is not the API's."""

    regex = "(?!(?:" + "|".join(API_PATHS) + ")(?:/|$)).*"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


class HashedAssets(StaticFiles):
    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code == 200:
            response.headers["Cache-Control"] = LONG_CACHE
        return response


class GraphiQLPage:
    """Answers a browser's GET of /graphql with the bundled GraphiQL page; the rest
    goes to the GraphQL app (queries over GET, POST, the WebSocket)."""

    def __init__(self, graphql_app: ASGIApp, page: Path):
        self.graphql_app = graphql_app
        self.page = page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self._wants_page(Request(scope)):
            await FileResponse(self.page, media_type="text/html", headers=NO_CACHE)(scope, receive, send)
            return
        await self.graphql_app(scope, receive, send)

    def _wants_page(self, request: Request) -> bool:
        return (
            request.method in ("GET", "HEAD")
            and "text/html" in request.headers.get("accept", "")
            and "query" not in request.query_params
            and self.page.is_file()
        )


def spa_routes(static_dir: Path) -> list[Route | Mount]:
    """The routes that serve the bundle; they go after the API's own routes."""
    index = static_dir / "index.html"
    root = static_dir.resolve()

    async def page_or_file(request: Request) -> Response:
        candidate = (static_dir / request.path_params["path"]).resolve()
        if candidate.is_relative_to(root) and candidate.is_file() and candidate.suffix not in (".py", ".pyc"):
            headers = NO_CACHE if candidate.suffix == ".html" else None
            return FileResponse(candidate, headers=headers)
        if not index.is_file():
            return PlainTextResponse("The backoffice bundle is missing (frontend_static/index.html)", status_code=404)
        return FileResponse(index, media_type="text/html", headers=NO_CACHE)

    routes: list[Route | Mount] = []
    if (static_dir / "assets").is_dir():
        routes.append(Mount("/assets", app=HashedAssets(directory=static_dir / "assets"), name="assets"))
    register_url_convertor("page", PagePath())
    routes.append(Route("/{path:page}", page_or_file, methods=["GET", "HEAD"]))
    return routes
