"""analyses.checks for the desk's triage; the unused passage_embeddings table goes

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 18:00:00

The write stage now stores a verified analysis as `written` with the facts the policy needs
(`checks`); the desk's triage stage publishes it or holds it. `passage_embeddings` was never
written or read.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("analyses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("checks", sa.JSON(), nullable=True))
    op.drop_table("passage_embeddings")


def downgrade() -> None:
    op.create_table(
        "passage_embeddings",
        sa.Column("passage_id", sa.String(length=40), nullable=False),
        sa.Column("model", sa.String(length=100), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["passage_id"], ["passages.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("passage_id"),
    )
    with op.batch_alter_table("analyses", schema=None) as batch_op:
        batch_op.drop_column("checks")
