"""login failures and resource groups: failed logins counted for throttling; resources get access groups

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "login_failures",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("username", sa.String(length=150), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
    )
    op.create_index("ix_login_failures_username_failed_at", "login_failures", ["username", "failed_at"])
    op.create_index("ix_login_failures_address_failed_at", "login_failures", ["address", "failed_at"])
    op.create_index("ix_login_failures_failed_at", "login_failures", ["failed_at"])
    # Existing resources stay open to every operator, as they were (the default fills them).
    with op.batch_alter_table("resources", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("access_groups", JSON, nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("resources", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("access_groups")
    op.drop_table("login_failures")
