"""Saving and loading runs: a run is written whole, in one transaction, with its status.

A run's results and its status go in together: `running` when its report files are still to be
written (then `mark_complete` once they are in place), `complete` when there are none to write.
A run that could not be done is stored `failed` with the reason (`save_failed_run`). Results are
never overwritten; only the status of a running run moves on.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import uuid
from collections.abc import Callable, Iterable
from typing import get_args

from pydantic import BaseModel
from sqlalchemy import Engine, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from verify.model.records import Record
from verify.model.result import RunResult
from verify.store.chain import link_review, link_run, lock_chain
from verify.store.tables import (
    COMPLETE,
    CRASHED,
    FAILED,
    RUNNING,
    SUPERSEDED,
    DocumentRow,
    FindingRow,
    RecordRow,
    ReviewRow,
    RunRow,
)


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


def _next_run_no(session: Session, facility_id: str, period: str) -> int:
    query = select(func.max(RunRow.run_no)).where(RunRow.facility_id == facility_id,
                                                  RunRow.period == period)
    return (session.exec(query).one() or 0) + 1


def this_process() -> tuple[str, int]:
    """(host, pid) of the process storing a run."""
    return socket.gethostname(), os.getpid()


def _run_row(result: RunResult, run_id: str, **extra) -> RunRow:
    host, pid = this_process()
    return RunRow(
        **extra,
        host=host,
        pid=pid,
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


def _insert(engine: Engine, build, attempts: int = 5) -> str:
    """Insert a run numbered next in its facility and period; two processes that take the same
    number at once: the second tries again with the next one (the unique key decides)."""
    for attempt in range(attempts):
        try:
            with Session(engine) as session, session.begin():
                return build(session)
        except IntegrityError:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def save_run(engine: Engine, result: RunResult, records: Iterable[BaseModel] = (),
             status: str = COMPLETE, fingerprint: str | None = None,
             out_dir: str | None = None) -> str:
    """Store the run with its documents, records and findings and its status, in one
    transaction; returns the stored run id."""
    if status not in (RUNNING, COMPLETE):
        raise ValueError(f"a run with results is {RUNNING} or {COMPLETE}, not {status!r}")
    records = list(records)

    def build(session: Session) -> str:
        lock_chain(session)
        run_id = _new_run_id(session, result.run_id)
        run_no = _next_run_no(session, result.facility.id, result.period)
        session.add(_run_row(result, run_id, run_no=run_no, status=status,
                             fingerprint=fingerprint, out_dir=out_dir))
        session.flush()  # the run row exists before rows that reference it
        session.add_all(_child_rows(result, records, run_id))
        session.flush()
        link_run(session, run_id)
        return run_id

    return _insert(engine, build)


def mark_complete(engine: Engine, run_id: str) -> None:
    """A running run's report files are in place: it is complete."""
    with Session(engine) as session, session.begin():
        row = session.get(RunRow, run_id)
        if row is None:
            raise KeyError(f"no stored run {run_id!r}")
        row.status = COMPLETE
        row.finished_at = dt.datetime.now(dt.UTC)


def mark_crashed(engine: Engine, alive: Callable[[int], bool]) -> list[str]:
    """Runs left `running` by a process of this host that is gone (`alive(pid)` false) are
    `crashed`, with the reason: such a run never finishes, and its report files, if any, were
    never completed. Runs of other hosts are left to them. Returns the ids marked."""
    host, _ = this_process()
    with Session(engine) as session, session.begin():
        rows = session.exec(select(RunRow).where(RunRow.status == RUNNING,
                                                 RunRow.host == host)).all()
        gone = [row for row in rows if row.pid is not None and not alive(row.pid)]
        for row in gone:
            row.status = CRASHED
            row.error = (f"the process that ran it ({row.host}, pid {row.pid}) stopped before "
                         "its report files were in place (killed or crashed)")
            row.finished_at = dt.datetime.now(dt.UTC)
        return [row.run_id for row in gone]


def retire_outputs(engine: Engine, out_dir: str, keep: str | None = None) -> int:
    """Before a new run's files replace those in `out_dir`: the complete runs whose files they
    were are `superseded`, so no run stays complete once its files are gone. Returns how many."""
    with Session(engine) as session, session.begin():
        rows = session.exec(select(RunRow).where(RunRow.out_dir == out_dir,
                                                 RunRow.status == COMPLETE)).all()
        for row in rows:
            if row.run_id != keep:
                row.status = SUPERSEDED
        return sum(row.run_id != keep for row in rows)


def save_failed_run(engine: Engine, facility_id: str, period: str, reason: str,
                    bundle: str = "", fingerprint: str | None = None,
                    started_at: dt.datetime | None = None) -> str:
    """Record a run that could not be done, with the reason; returns its id."""

    def build(session: Session) -> str:
        lock_chain(session)
        run_id = str(uuid.uuid4())
        host, pid = this_process()
        session.add(RunRow(run_id=run_id, facility_id=facility_id, period=period,
                           host=host, pid=pid,
                           run_no=_next_run_no(session, facility_id, period), status=FAILED,
                           error=reason, bundle=bundle, fingerprint=fingerprint,
                           started_at=started_at, finished_at=dt.datetime.now(dt.UTC)))
        session.flush()
        link_run(session, run_id)
        return run_id

    return _insert(engine, build)


def latest_run(engine: Engine, facility_id: str, period: str,
               status: str | None = None) -> RunRow | None:
    """The highest-numbered run of a facility and period (of that status, if given)."""
    query = select(RunRow).where(RunRow.facility_id == facility_id, RunRow.period == period)
    if status is not None:
        query = query.where(RunRow.status == status)
    with Session(engine) as session:
        return session.exec(query.order_by(col(RunRow.run_no).desc())).first()


def runs_with_fingerprint(engine: Engine, fingerprint: str) -> list[RunRow]:
    """Runs of exactly this bundle content and settings, newest first."""
    query = (select(RunRow).where(RunRow.fingerprint == fingerprint)
             .order_by(col(RunRow.finished_at).desc()))
    with Session(engine) as session:
        return list(session.exec(query).all())


def load_run(engine: Engine, run_id: str) -> RunResult:
    """The stored RunResult of a run; KeyError when there is no such run."""
    with Session(engine) as session:
        row = session.get(RunRow, run_id)
        if row is None:
            raise KeyError(f"no stored run {run_id!r}")
        if row.result_json is None:
            raise KeyError(f"run {run_id!r} has no result: {row.status} ({row.error})")
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


def save_review(engine: Engine, reviewed: RunResult, out_dir: str | None = None) -> str:
    """Store a review (the re-issued result carrying its `review`) beside its run, chained, in
    one transaction; the run's own rows are not touched. Returns the review id."""
    review = reviewed.review
    if review is None:
        raise ValueError("a reviewed result carries its review")

    def build(session: Session) -> str:
        if session.get(RunRow, review.run_id) is None:
            raise KeyError(f"no stored run {review.run_id!r} to review")
        session.add(ReviewRow(
            review_id=review.review_id, run_id=review.run_id,
            reviewed_at=_utc(_parse_time(review.reviewed_at)), reviewers=", ".join(review.reviewers),
            opinion=reviewed.opinion.value,
            misstatement_tco2=reviewed.materiality.misstatement_tco2,
            verified_total=reviewed.verified_total_tco2, out_dir=out_dir,
            decisions=[c.model_dump(mode="json") for c in review.changes],
            reissued_json=reviewed.model_dump(mode="json")))
        session.flush()
        link_review(session, review.review_id)
        return review.review_id

    return _insert(engine, build)


def _utc(when: dt.datetime | None) -> dt.datetime | None:
    """A time without a zone is taken as UTC (the store keeps zoned times)."""
    return when.replace(tzinfo=dt.UTC) if when is not None and when.tzinfo is None else when


def list_reviews(engine: Engine, run_id: str | None = None) -> list[ReviewRow]:
    """Stored reviews, newest first, optionally of one run."""
    query = select(ReviewRow).order_by(col(ReviewRow.reviewed_at).desc())
    if run_id is not None:
        query = query.where(ReviewRow.run_id == run_id)
    with Session(engine) as session:
        return list(session.exec(query).all())


def load_review(engine: Engine, review_id: str) -> RunResult:
    """The re-issued result of a stored review; KeyError when there is none."""
    with Session(engine) as session:
        row = session.get(ReviewRow, review_id)
        if row is None:
            raise KeyError(f"no stored review {review_id!r}")
        return RunResult.model_validate(row.reissued_json)


def reviewed_runs(engine: Engine) -> dict[str, int]:
    """How many reviews each reviewed run has."""
    query = select(ReviewRow.run_id, func.count()).group_by(ReviewRow.run_id)
    with Session(engine) as session:
        return {run_id: n for run_id, n in session.exec(query).all()}
