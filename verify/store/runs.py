"""Saving and loading runs: a run is written whole, in one transaction, and never overwritten."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import get_args

from pydantic import BaseModel
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from verify.model.records import Record
from verify.model.result import RunResult
from verify.store.tables import DocumentRow, FindingRow, RecordRow, RunRow


def _parse_time(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def _new_run_id(session: Session, wanted: str) -> str:
    """The run's own id when it is free, else a fresh UUID: an earlier run is never replaced."""
    if wanted and session.get(RunRow, wanted) is None:
        return wanted
    return str(uuid.uuid4())


def _run_row(result: RunResult, run_id: str) -> RunRow:
    return RunRow(
        run_id=run_id,
        facility_id=result.facility.id,
        facility_name=result.facility.name,
        period=result.period,
        method=result.method,
        opinion=result.opinion.value,
        claimed_total=result.claimed_total_tco2,
        verified_total=result.verified_total_tco2,
        started_at=_parse_time(result.started_at),
        finished_at=dt.datetime.now(dt.UTC),
        bundle=result.bundle,
        result_json=result.model_copy(update={"run_id": run_id}).model_dump(mode="json"),
    )


def _child_rows(result: RunResult, records: Iterable[BaseModel], run_id: str) -> list:
    docs = [
        DocumentRow(
            run_id=run_id,
            file=d.file,
            sha256=d.sha256,
            kind=d.kind.value,
            pages=d.pages,
            status=d.status.value,
            error=d.error,
        )
        for d in result.documents
    ]
    recs = [
        RecordRow(
            run_id=run_id,
            file=r.source.file,
            sha256=r.source.sha256,
            kind=type(r).__name__,
            payload=r.model_dump(mode="json"),
        )
        for r in records
    ]
    finds = [
        FindingRow(
            run_id=run_id,
            finding_id=result.finding_id(i),
            rule=f.rule,
            severity=f.severity.value,
            stream=f.stream,
            period=f.period or result.period,
            impact_tco2=f.impact_tco2,
            message=f.message,
            evidence=[p.model_dump(mode="json") for p in f.evidence],
        )
        for i, f in enumerate(result.findings)
    ]
    return [*docs, *recs, *finds]


def save_run(engine: Engine, result: RunResult, records: Iterable[BaseModel] = ()) -> str:
    """Store the run with its documents, records and findings; returns the stored run id."""
    with Session(engine) as session, session.begin():
        run_id = _new_run_id(session, result.run_id)
        session.add(_run_row(result, run_id))
        session.flush()  # the run row exists before rows that reference it
        session.add_all(_child_rows(result, records, run_id))
    return run_id


def load_run(engine: Engine, run_id: str) -> RunResult:
    """The stored RunResult of a run; KeyError when there is no such run."""
    with Session(engine) as session:
        row = session.get(RunRow, run_id)
        if row is None:
            raise KeyError(f"no stored run {run_id!r}")
        return RunResult.model_validate(row.result_json)


def list_runs(engine: Engine, facility_id: str | None = None) -> list[RunRow]:
    """Stored runs, newest first, optionally of one facility."""
    query = select(RunRow).order_by(col(RunRow.finished_at).desc())
    if facility_id is not None:
        query = query.where(RunRow.facility_id == facility_id)
    with Session(engine) as session:
        return list(session.exec(query).all())


def load_records(engine: Engine, run_id: str) -> list[dict]:
    """The run's records in stored order: {"kind", "file", "sha256", "payload"} each."""
    query = select(RecordRow).where(RecordRow.run_id == run_id).order_by(col(RecordRow.id))
    with Session(engine) as session:
        return [
            {"kind": r.kind, "file": r.file, "sha256": r.sha256, "payload": r.payload}
            for r in session.exec(query).all()
        ]


RECORD_KINDS: dict[str, type[BaseModel]] = {cls.__name__: cls for cls in get_args(Record)}


def record_models(rows: Iterable[dict]) -> list[BaseModel]:
    """Typed records back from `load_records` rows (FuelInvoice, LabReport, ...)."""
    return [RECORD_KINDS[row["kind"]].model_validate(row["payload"]) for row in rows]
