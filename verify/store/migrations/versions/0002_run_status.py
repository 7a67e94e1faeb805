"""Run status, error, number within (facility, period) unique with them, the bundle's
fingerprint and output folder; totals and result nullable (a failed run has none); JSONB on
PostgreSQL.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON_COLUMNS = (("runs", "result_json"), ("run_records", "payload"), ("run_findings", "evidence"))


def upgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("run_no", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("status", sa.String(), nullable=False,
                                   server_default="complete"))
        batch.add_column(sa.Column("error", sa.String(), nullable=True))
        batch.add_column(sa.Column("fingerprint", sa.String(), nullable=True))
        batch.add_column(sa.Column("out_dir", sa.String(), nullable=True))
        batch.alter_column("claimed_total", existing_type=sa.Float(), nullable=True)
        batch.alter_column("verified_total", existing_type=sa.Float(), nullable=True)
        batch.alter_column("result_json", existing_type=sa.JSON(), nullable=True)
    # Runs stored before numbering: numbered by when they finished, within facility and period.
    op.execute(
        "UPDATE runs SET run_no = (SELECT count(*) FROM runs r2 "
        "WHERE r2.facility_id = runs.facility_id AND r2.period = runs.period "
        "AND (coalesce(r2.finished_at, r2.started_at) < coalesce(runs.finished_at, runs.started_at) "
        "OR (coalesce(r2.finished_at, r2.started_at) IS NOT DISTINCT FROM "
        "coalesce(runs.finished_at, runs.started_at) AND r2.run_id <= runs.run_id)))"
        if op.get_bind().dialect.name == "postgresql" else
        "UPDATE runs SET run_no = (SELECT count(*) FROM runs r2 "
        "WHERE r2.facility_id = runs.facility_id AND r2.period = runs.period "
        "AND (coalesce(r2.finished_at, r2.started_at, '') < coalesce(runs.finished_at, runs.started_at, '') "
        "OR (coalesce(r2.finished_at, r2.started_at, '') = coalesce(runs.finished_at, runs.started_at, '') "
        "AND r2.run_id <= runs.run_id)))"
    )
    with op.batch_alter_table("runs") as batch:
        batch.create_index("ix_runs_status", ["status"])
        batch.create_index("ix_runs_fingerprint", ["fingerprint"])
        batch.create_unique_constraint("uq_runs_facility_period_run",
                                       ["facility_id", "period", "run_no"])
    if op.get_bind().dialect.name == "postgresql":
        for table, column in JSON_COLUMNS:
            op.alter_column(table, column, type_=JSONB(), existing_type=sa.JSON(),
                            postgresql_using=f"{column}::jsonb")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, column in JSON_COLUMNS:
            op.alter_column(table, column, type_=sa.JSON(), existing_type=JSONB(),
                            postgresql_using=f"{column}::json")
    with op.batch_alter_table("runs") as batch:
        batch.drop_constraint("uq_runs_facility_period_run", type_="unique")
        batch.drop_index("ix_runs_fingerprint")
        batch.drop_index("ix_runs_status")
        for column in ("out_dir", "fingerprint", "error", "status", "run_no"):
            batch.drop_column(column)
