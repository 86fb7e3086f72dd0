"""one index on communications by user: (user_id, queued_at) serves what (user_id,
channel, queued_at) served (a user's messages, paged by id; the frequency cap's count
of a user's messages of a channel today, a range of one day read per user), so the
wider one goes, one index fewer written for every message; segment runs left
unfinished (a scheduler stopped while a run wrote its parts) found by a partial index

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29 18:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("communications", schema=None) as batch_op:
        batch_op.drop_index("ix_communications_user_channel_queued")
    with op.batch_alter_table("segment_runs", schema=None) as batch_op:
        batch_op.create_index(
            "ix_segment_runs_unfinished",
            ["started_at"],
            unique=False,
            postgresql_where=sa.text("finished_at IS NULL"),
            sqlite_where=sa.text("finished_at IS NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("segment_runs", schema=None) as batch_op:
        batch_op.drop_index("ix_segment_runs_unfinished")
    with op.batch_alter_table("communications", schema=None) as batch_op:
        batch_op.create_index(
            "ix_communications_user_channel_queued", ["user_id", "channel", "queued_at"], unique=False
        )
