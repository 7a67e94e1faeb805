"""The tables a run is stored in: one row per run, document, record and finding.

A run's results are stored whole, in one transaction, with its status (`running` while its
outputs are being written, `complete` once they are in place, `failed` with the reason when the
run could not be done, `crashed` when the process that ran it was gone before it finished):
`RunRow.result_json` holds the complete RunResult, so a stored run
re-renders exactly; the other tables make runs, documents and findings queryable across
facilities and months. A run is numbered within its facility and period (`run_no`, unique with
them). JSON columns are JSONB on PostgreSQL, JSON elsewhere. The schema is made by the Alembic
migrations in `verify/store/migrations/`, never by `create_all`.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

JSONType = JSON().with_variant(JSONB(), "postgresql")

RUNNING, COMPLETE, FAILED = "running", "complete", "failed"
SUPERSEDED = "superseded"  # was complete; a later run's files have replaced its files
CRASHED = "crashed"  # was running; the process that ran it is gone (killed) before it finished


class RunRow(SQLModel, table=True):
    """One verification run of one facility and period."""

    __tablename__ = "runs"
    __table_args__ = (UniqueConstraint("facility_id", "period", "run_no",
                                       name="uq_runs_facility_period_run"),)

    run_id: str = Field(primary_key=True, max_length=64)
    facility_id: str = Field(index=True)
    facility_name: str = ""
    period: str = Field(index=True)
    run_no: int = 1
    status: str = Field(default=COMPLETE, index=True)
    error: str | None = None
    fingerprint: str | None = Field(default=None, index=True)
    out_dir: str | None = None
    method: str = ""
    opinion: str = ""
    claimed_total: float | None = None
    verified_total: float | None = None
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    bundle: str = ""
    result_json: dict | None = Field(default=None, sa_column=Column(JSONType, nullable=True))
    host: str | None = None  # the process that stored it: told apart from one still running
    pid: int | None = None


class DocumentRow(SQLModel, table=True):
    """One file of the run's bundle, as discovered and read."""

    __tablename__ = "run_documents"

    id: int | None = Field(default=None, primary_key=True)
    run_id: str = Field(foreign_key="runs.run_id", index=True)
    file: str
    sha256: str = Field(index=True)
    kind: str
    pages: int | None = None
    status: str
    error: str | None = None


class RecordRow(SQLModel, table=True):
    """One typed record read from a document, with every provenance, as JSON."""

    __tablename__ = "run_records"

    id: int | None = Field(default=None, primary_key=True)
    run_id: str = Field(foreign_key="runs.run_id", index=True)
    file: str
    sha256: str = Field(index=True)
    kind: str  # record class name: FuelInvoice, LabReport, ...
    payload: dict = Field(sa_column=Column(JSONType, nullable=False))


class FindingRow(SQLModel, table=True):
    """One finding of a run, with its evidence references as JSON."""

    __tablename__ = "run_findings"

    id: int | None = Field(default=None, primary_key=True)
    run_id: str = Field(foreign_key="runs.run_id", index=True)
    finding_id: str  # F-001
    rule: str = Field(index=True)
    severity: str
    stream: str | None = None
    period: str | None = None
    impact_tco2: float | None = None
    message: str
    evidence: list = Field(sa_column=Column(JSONType, nullable=False))


class ReviewRow(SQLModel, table=True):
    """One verifier's review of a stored run: the decisions and the re-issued result.

    The reviewed run's own row is never altered; a run may be reviewed more than once."""

    __tablename__ = "run_reviews"

    review_id: str = Field(primary_key=True, max_length=64)
    run_id: str = Field(foreign_key="runs.run_id", index=True)
    reviewed_at: dt.datetime | None = None
    reviewers: str = ""
    opinion: str = ""
    misstatement_tco2: float | None = None
    verified_total: float | None = None
    out_dir: str | None = None
    decisions: list = Field(sa_column=Column(JSONType, nullable=False))
    reissued_json: dict = Field(sa_column=Column(JSONType, nullable=False))


class ChainLink(SQLModel, table=True):
    """One link of the append-only chain over stored runs, reviews and evidence hashes.

    `content_hash` is the SHA-256 of the linked record's canonical content, `prev_hash` the
    hash of the link before (unique: two writers cannot both extend the same head, the chain
    cannot fork), `link_hash` the SHA-256 of this link's own canonical content, previous hash
    included. `carbon-verify audit` recomputes them all and names the first broken link."""

    __tablename__ = "chain_links"

    seq: int | None = Field(default=None, primary_key=True)
    kind: str  # run | review | evidence
    ref: str = Field(index=True)  # run_id, review_id, or run_id/document row id
    content_hash: str
    prev_hash: str = Field(unique=True)
    link_hash: str = Field(unique=True)
