"""Fixtures: a migrated database on SQLite and on PostgreSQL, the app, a GraphQL client."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from backend.auth.service import create_operator
from backend.persistence.database import Database, make_engine
from backend.queue import RecordingQueue
from backend.settings import load_settings
from migrations.runner import upgrade
from tests.services import POSTGRES_URL, require_service

TABLES_IN_DELETE_ORDER = (
    "login_failures",
    "segment_runs",
    "webhook_calls",
    "badge_awards",
    "mission_progress",
    "points_ledger",
    "bonuses",
    "communications",
    "entry_steps",
    "entries",
    "journey_versions",
    "events",
    "missions",
    "badges",
    "levels",
    "bonus_templates",
    "resources",
    "journeys",
    "users",
    "operators",
    "metric_totals",
)


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'questline.db'}"
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A database of its own for this test run, dropped at the end."""
    require_service("postgres")
    admin = make_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    name = f"questline_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue(f"{request.param}_url")


def clean(db: Database) -> None:
    with db.engine.begin() as conn:
        if db.dialect == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(TABLES_IN_DELETE_ORDER)} RESTART IDENTITY CASCADE"))
        else:
            for table in TABLES_IN_DELETE_ORDER:
                conn.execute(text(f"DELETE FROM {table}"))


@pytest.fixture
def pg(postgres_url: str) -> Iterator[Database]:
    """An emptied PostgreSQL database, for what only PostgreSQL does."""
    database = Database(postgres_url)
    clean(database)
    yield database
    database.dispose()


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    clean(database)
    yield database
    database.dispose()


@pytest.fixture
def settings(tmp_path: Any, db_url: str):
    return load_settings(
        {
            "QUESTLINE_DATABASE_URL": db_url,
            "QUESTLINE_SECRET_KEY": "test-secret-key-not-for-production",
            "QUESTLINE_DATA_DIR": str(tmp_path),
            "QUESTLINE_WEBHOOK_SECRET": "test-webhook-secret",
        }
    )


@pytest.fixture
def queue() -> RecordingQueue:
    return RecordingQueue()


@pytest.fixture
def services(settings, db: Database, queue: RecordingQueue):
    from graphql_schema.app import make_services

    return make_services(settings, queue=queue, db=db)


@pytest.fixture
def app(settings, services):
    from graphql_schema.app import create_app

    return create_app(settings, services=services)


@dataclass
class GraphQLClient:
    """Speaks GraphQL over HTTP to the app in memory, as any client would."""

    http: httpx.AsyncClient
    token: str | None = None
    last_response: httpx.Response | None = field(default=None, repr=False)

    async def raw(self, query: str, variables: dict | None = None, token: str | None = None) -> dict:
        headers = {"content-type": "application/json", "accept": "application/graphql-response+json"}
        tok = token if token is not None else self.token
        if tok:
            headers["authorization"] = f"Bearer {tok}"
        resp = await self.http.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)
        self.last_response = resp
        return resp.json()

    async def __call__(self, query: str, variables: dict | None = None, token: str | None = None) -> dict:
        """The `data` of a request that must have no GraphQL errors."""
        body = await self.raw(query, variables, token)
        assert not body.get("errors"), body.get("errors")
        return body["data"]

    async def login(self, username: str, password: str) -> str:
        data = await self(
            "mutation($u:String!,$p:String!){login(username:$u,password:$p){token errors{code message}}}",
            {"u": username, "p": password},
            token="",
        )
        assert data["login"]["errors"] == [], data["login"]["errors"]
        return data["login"]["token"]


@pytest.fixture
async def client(app) -> Any:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://questline.test") as http:
        yield GraphQLClient(http=http)


def make_operator(
    db: Database, username: str, role: str, groups: list[str] | None = None, password: str = "password-123"
) -> None:
    with db.unit_of_work() as uow:
        create_operator(uow, username=username, password=password, role=role, access_groups=groups or [])


@pytest.fixture
async def admin(client: GraphQLClient, db: Database) -> GraphQLClient:
    """The client, logged in as an ADMIN."""
    make_operator(db, "admin", "ADMIN")
    client.token = await client.login("admin", "password-123")
    return client


# Keep stray environment from changing what the tests see (where the UI tests write
# their screenshots changes nothing they see).
for _name in list(os.environ):
    if _name.startswith("QUESTLINE_") and not _name.startswith("QUESTLINE_TEST_") and _name != "QUESTLINE_SCREENSHOTS":
        del os.environ[_name]
