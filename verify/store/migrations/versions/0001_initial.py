"""The schema as it stood before migrations: runs, documents, records, findings.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("run_id", sa.String(64), primary_key=True),
        sa.Column("facility_id", sa.String(), nullable=False),
        sa.Column("facility_name", sa.String(), nullable=False),
        sa.Column("period", sa.String(), nullable=False),
        sa.Column("method", sa.String(), nullable=False),
        sa.Column("opinion", sa.String(), nullable=False),
        sa.Column("claimed_total", sa.Float(), nullable=False),
        sa.Column("verified_total", sa.Float(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("bundle", sa.String(), nullable=False),
        sa.Column("result_json", sa.JSON(), nullable=False),
    )
    op.create_index("ix_runs_facility_id", "runs", ["facility_id"])
    op.create_index("ix_runs_period", "runs", ["period"])
    op.create_table(
        "run_documents",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("run_id", sa.String(), sa.ForeignKey("runs.run_id"), nullable=False),
        sa.Column("file", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("error", sa.String(), nullable=True),
    )
    op.create_index("ix_run_documents_run_id", "run_documents", ["run_id"])
    op.create_index("ix_run_documents_sha256", "run_documents", ["sha256"])
    op.create_table(
        "run_records",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("run_id", sa.String(), sa.ForeignKey("runs.run_id"), nullable=False),
        sa.Column("file", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
    )
    op.create_index("ix_run_records_run_id", "run_records", ["run_id"])
    op.create_index("ix_run_records_sha256", "run_records", ["sha256"])
    op.create_table(
        "run_findings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("run_id", sa.String(), sa.ForeignKey("runs.run_id"), nullable=False),
        sa.Column("finding_id", sa.String(), nullable=False),
        sa.Column("rule", sa.String(), nullable=False),
        sa.Column("severity", sa.String(), nullable=False),
        sa.Column("stream", sa.String(), nullable=True),
        sa.Column("period", sa.String(), nullable=True),
        sa.Column("impact_tco2", sa.Float(), nullable=True),
        sa.Column("message", sa.String(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
    )
    op.create_index("ix_run_findings_run_id", "run_findings", ["run_id"])
    op.create_index("ix_run_findings_rule", "run_findings", ["rule"])


def downgrade() -> None:
    for table in ("run_findings", "run_records", "run_documents", "runs"):
        op.drop_table(table)
