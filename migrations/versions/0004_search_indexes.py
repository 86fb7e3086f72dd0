"""search indexes: byte-order prefix indexes on the user search keys, phone digits

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 04:17:41.616470
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LOWERED_KEYS = ("username_lc", "email_lc", "external_id_lc")
PATTERN_OPS = "varchar_pattern_ops"

# Every mark a stored phone may hold besides digits (phones are checked against
# ^\+?[0-9 ()\-.]{5,40}$ on the way in), taken out with a spelling both databases know.
PHONE_DIGITS_SQL = (
    "NULLIF(replace(replace(replace(replace(replace(replace("
    "phone, '+', ''), ' ', ''), '(', ''), ')', ''), '-', ''), '.', ''), '')"
)


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("phone_digits", sa.String(length=40), nullable=True))
    op.execute(f"UPDATE users SET phone_digits = {PHONE_DIGITS_SQL} WHERE phone IS NOT NULL")
    op.drop_index("ix_users_phone", table_name="users")
    op.create_index("ix_users_phone_digits", "users", ["phone_digits"], postgresql_ops={"phone_digits": PATTERN_OPS})
    # The same indexes with the byte-order operator class on PostgreSQL (a prefix search
    # cannot use one in a linguistic collation); on SQLite they come back as they were.
    for key in LOWERED_KEYS:
        op.drop_index(f"ix_users_{key}", table_name="users")
        op.create_index(f"ix_users_{key}", "users", [key], postgresql_ops={key: PATTERN_OPS})


def downgrade() -> None:
    for key in LOWERED_KEYS:
        op.drop_index(f"ix_users_{key}", table_name="users")
        op.create_index(f"ix_users_{key}", "users", [key])
    op.drop_index("ix_users_phone_digits", table_name="users")
    op.create_index("ix_users_phone", "users", ["phone"])
    # In place: a batch rebuild of `users` on SQLite would cascade-delete every row
    # that refers to a user (SQLite has had ALTER TABLE DROP COLUMN since 3.35).
    with op.batch_alter_table("users", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("phone_digits")
