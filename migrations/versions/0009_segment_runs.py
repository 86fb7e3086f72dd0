"""segment runs: one row per capture of a scheduled segment, and a safe text-to-time cast

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A segment reads a time kept as text (an attribute) in SQL; a text shaped like an ISO
# time can still name no instant (February 30th), and a plain cast would stop the whole
# query with an error. This answers NULL instead, as the Python evaluator does.
TRY_TIMESTAMPTZ = """
CREATE OR REPLACE FUNCTION questline_try_timestamptz(t text) RETURNS timestamptz
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    RETURN t::timestamptz;
EXCEPTION WHEN others THEN
    RETURN NULL;
END
$$
"""


def upgrade() -> None:
    op.create_table(
        "segment_runs",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("journey_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("scheduled_for", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("matched", sa.Integer(), nullable=False),
        sa.Column("selected", sa.Integer(), nullable=False),
        sa.Column("entered", sa.Integer(), nullable=False),
        sa.Column("refused", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["journey_id"], ["journeys.id"], name=op.f("fk_segment_runs_journey_id_journeys"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_segment_runs")),
        sa.UniqueConstraint("journey_id", "scheduled_for", name=op.f("uq_segment_runs_journey_id_scheduled_for")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(TRY_TIMESTAMPTZ)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS questline_try_timestamptz(text)")
    op.drop_table("segment_runs")
