"""The verifier's reviews of stored runs, and the append-only chain of links over runs,
reviews and evidence hashes (`carbon-verify audit`).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _json() -> sa.types.TypeEngine:
    return sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "run_reviews",
        sa.Column("review_id", sa.String(64), primary_key=True),
        sa.Column("run_id", sa.String(64), sa.ForeignKey("runs.run_id"), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewers", sa.String(), nullable=False, server_default=""),
        sa.Column("opinion", sa.String(), nullable=False, server_default=""),
        sa.Column("misstatement_tco2", sa.Float(), nullable=True),
        sa.Column("verified_total", sa.Float(), nullable=True),
        sa.Column("out_dir", sa.String(), nullable=True),
        sa.Column("decisions", _json(), nullable=False),
        sa.Column("reissued_json", _json(), nullable=False),
    )
    op.create_index("ix_run_reviews_run_id", "run_reviews", ["run_id"])
    op.create_table(
        "chain_links",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("ref", sa.String(), nullable=False),
        sa.Column("content_hash", sa.String(), nullable=False),
        sa.Column("prev_hash", sa.String(), nullable=False, unique=True),
        sa.Column("link_hash", sa.String(), nullable=False, unique=True),
    )
    op.create_index("ix_chain_links_ref", "chain_links", ["ref"])


def downgrade() -> None:
    op.drop_index("ix_chain_links_ref", "chain_links")
    op.drop_table("chain_links")
    op.drop_index("ix_run_reviews_run_id", "run_reviews")
    op.drop_table("run_reviews")
