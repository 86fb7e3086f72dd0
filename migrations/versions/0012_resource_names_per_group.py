"""resource names per access group: a resource's name is no longer unique across all
groups, only among resources one operator could see together (checked when a resource
is created, renamed or given groups); a plain index on the name serves look-ups by name

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 12:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("uq_resources_name"), type_="unique")
        batch_op.create_index(batch_op.f("ix_resources_name"), ["name"], unique=False)


def downgrade() -> None:
    # Fails if two groups have since been given resources of the same name: rename one first.
    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_resources_name"))
        batch_op.create_unique_constraint(batch_op.f("uq_resources_name"), ["name"])
