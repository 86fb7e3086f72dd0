"""Alembic environment: the models' metadata, rendered with portable types."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import context

from backend.models import Json, UTCDateTime, metadata
from backend.persistence.database import make_engine

config = context.config


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Write the shared column types as plain SQLAlchemy types, so a migration does
    not depend on the models module staying as it is."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and obj is Json:
        autogen_context.imports.add("from sqlalchemy.dialects import postgresql")
        return "sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')"
    return False


def run_migrations_online() -> None:
    engine = make_engine(config.get_main_option("sqlalchemy.url"), poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            # A batch migration rebuilds a table (copy, drop, rename); with foreign keys on,
            # dropping it would cascade-delete the rows that refer to it. The pragma only
            # takes effect outside a transaction, so it goes to the driver's connection
            # before SQLAlchemy begins one; NullPool throws the connection away after.
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_item=render_item,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; run `questline migrate`")
run_migrations_online()
