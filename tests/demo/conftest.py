"""The demo data set, loaded once per database kind by `questline demo` itself, and the
app serving it, so the tests read it through the GraphQL API as the backoffice does."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from backend.models import utcnow
from backend.persistence.database import Database, make_engine
from backend.queue import RecordingQueue
from backend.settings import load_settings
from questline.cli import main
from tests.conftest import GraphQLClient
from tests.services import POSTGRES_URL, require_service

PASSWORD = "demo-password-1"
PLAYERS = 150
SEED = 11


@dataclass
class Demo:
    url: str
    env: dict[str, str]
    db: Database
    app: Any
    started: datetime | None = None

    def run(self, *args: str) -> int:
        """`questline demo ...` against this database, as a shell would run it."""
        with pytest.MonkeyPatch.context() as mp:
            for name, value in self.env.items():
                mp.setenv(name, value)
            return main(["demo", *args])


@contextmanager
def fresh_database(kind: str, folder: Path) -> Iterator[str]:
    """An empty database of its own: the demo is the first to write to it."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'demo.db'}"
        return
    require_service("postgres")
    admin = make_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    name = f"questline_demo_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    from graphql_schema.app import create_app, make_services

    folder = tmp_path_factory.mktemp("demo")
    with fresh_database(request.param, folder) as url:
        env = {
            "QUESTLINE_DATABASE_URL": url,
            "QUESTLINE_SECRET_KEY": "demo-test-secret-key",
            "QUESTLINE_DATA_DIR": str(folder),
        }
        settings = load_settings(env)
        db = Database(url)
        loaded = Demo(url, env, db, create_app(settings, services=make_services(settings, RecordingQueue(), db)))
        try:
            loaded.started = utcnow()
            assert loaded.run("--players", str(PLAYERS), "--seed", str(SEED), "--password", PASSWORD) == 0
            yield loaded
        finally:
            db.dispose()


@pytest.fixture
async def api(demo: Demo) -> Any:
    """A GraphQL client logged in as the demo's ADMIN, with the password the command was given."""
    transport = httpx.ASGITransport(app=demo.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://questline.test") as http:
        client = GraphQLClient(http=http)
        client.token = await client.login("demo-admin", PASSWORD)
        yield client
