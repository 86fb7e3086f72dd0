"""A PostgreSQL database of a benchmark's own, created on the local server and dropped
when the benchmark ends, however it ends."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.engine import make_url

from backend.persistence.database import make_engine

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@contextmanager
def scratch_database(server_url: str = DEFAULT_POSTGRES, prefix: str = "questline_bench") -> Iterator[str]:
    """Yields the URL of a new, empty database on the server of `server_url`."""
    admin = make_engine(server_url, isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def drop_redis_queues(redis_url: str, prefix: str) -> int:
    """Deletes a benchmark's Redis keys (queues, delay queues, acks) by their prefix, so
    hints a run left behind neither stay in Redis's memory nor meet a later run."""
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        keys = list(client.scan_iter(match=f"{prefix}*", count=1_000))
        return int(client.delete(*keys)) if keys else 0
    finally:
        client.close()
