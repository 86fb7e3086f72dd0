"""resource name search and metric totals: a trigram index on lower(resources.name) on
PostgreSQL; the table of totals that outlive their rows

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 08:50:00.000000

The communication log's `resourceName` matches any part of a resource's name, ignoring
case (`lower(name) LIKE '%term%'`). On PostgreSQL a GIN index with pg_trgm's operator
class serves such a search; where the extension cannot be installed (a managed database
without it, a role without the right), a B-tree on lower(name) takes its place, which
serves prefix searches only. SQLite has no index for a match inside a string.

`metric_totals` keeps how many rows of a kind were removed (the steps of a deleted
journey's entries), so that a counter /metrics reads from the database never goes down.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_resources_name_search"


def _trigrams_available(bind: sa.engine.Connection) -> bool:
    """Installs pg_trgm if it can; False when it cannot (the DDL is undone, nothing else)."""
    if bind.scalar(sa.text("SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'")):
        return True
    if not bind.scalar(sa.text("SELECT count(*) FROM pg_available_extensions WHERE name = 'pg_trgm'")):
        return False
    savepoint = bind.begin_nested()
    try:
        bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError:
        savepoint.rollback()
        return False
    savepoint.commit()
    return True


def upgrade() -> None:
    op.create_table(
        "metric_totals",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_metric_totals")),
    )
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    if _trigrams_available(bind):
        op.execute(f"CREATE INDEX {INDEX} ON resources USING gin (lower(name) gin_trgm_ops)")
    else:
        op.execute(f"CREATE INDEX {INDEX} ON resources (lower(name))")


def downgrade() -> None:
    # The extension stays: other databases' objects on this server may use it.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {INDEX}")
    op.drop_table("metric_totals")
