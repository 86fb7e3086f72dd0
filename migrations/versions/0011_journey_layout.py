"""journeys.layout: where the editor draws each step ({step id: {x, y}}), kept beside
the definition so every operator's editor shows the same layout

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 11:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("journeys", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("layout", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("journeys", schema=None) as batch_op:
        batch_op.drop_column("layout")
