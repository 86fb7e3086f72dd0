"""status checks: each status column holds only the values its enum names; and
entries.frozen_reason, what a FROZEN entry said before it froze

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 09:15:00.000000

The values are written out here, as they were when this revision was made: a later
change of an enum comes with its own revision.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ENTRY = ("ACTIVE", "WAITING", "HALTED", "FROZEN", "COMPLETED", "STOPPED", "EXITED", "FAILED")
CHECKS: dict[str, list[tuple[str, tuple[str, ...], bool]]] = {
    # table: [(column, values, nullable)]
    "journeys": [("status", ("DRAFT", "ACTIVE", "STOPPED", "ARCHIVED"), False)],
    "entries": [("status", ENTRY, False), ("frozen_status", ENTRY, True)],
    "webhook_calls": [("status", ("PENDING", "SENT", "FAILED"), False)],
    "communications": [
        ("status", ("QUEUED", "SENDING", "SENT", "DELIVERED", "FAILED", "BOUNCED", "SUPPRESSED"), False)
    ],
    "bonuses": [("status", ("PENDING", "GRANTED", "FAILED", "CANCELLED"), False)],
}


def _condition(column: str, values: tuple[str, ...], nullable: bool) -> str:
    test = f"{column} IN ({', '.join(repr(v) for v in values)})"
    return f"{column} IS NULL OR {test}" if nullable else test


def upgrade() -> None:
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            if table == "entries":
                batch_op.add_column(sa.Column("frozen_reason", sa.Text(), nullable=True))
            for column, values, nullable in checks:
                batch_op.create_check_constraint(column, _condition(column, values, nullable))


def downgrade() -> None:
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, _values, _nullable in checks:
                batch_op.drop_constraint(op.f(f"ck_{table}_{column}"), type_="check")
            if table == "entries":
                batch_op.drop_column("frozen_reason")
