"""engine isolation and statuses: the error of an event the engine put by

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-02 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("events", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("error", sa.Text(), nullable=True))


def downgrade() -> None:
    # In place: a batch rebuild of `events` on SQLite would lose nothing, but there is no need for one.
    with op.batch_alter_table("events", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("error")
