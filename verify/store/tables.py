"""The tables a run is stored in: one row per run, document, record and finding.

A run is stored whole and never updated: `RunRow.result_json` holds the complete RunResult, so
a stored run re-renders exactly; the other tables make runs, documents and findings queryable
across facilities and months. JSON columns use SQLAlchemy's JSON type (SQLite and PostgreSQL).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


class RunRow(SQLModel, table=True):
    """One verification run of one facility and period."""

    __tablename__ = "runs"

    run_id: str = Field(primary_key=True, max_length=64)
    facility_id: str = Field(index=True)
    facility_name: str = ""
    period: str = Field(index=True)
    method: str
    opinion: str
    claimed_total: float
    verified_total: float
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    bundle: str = ""
    result_json: dict = Field(sa_column=Column(JSON, nullable=False))


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
    payload: dict = Field(sa_column=Column(JSON, nullable=False))


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
    evidence: list = Field(sa_column=Column(JSON, nullable=False))
