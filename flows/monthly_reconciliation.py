"""Prefect flow `monthly_reconciliation`: every facility's bundles in an inbox, verified once.

INBOX/<facility>/<YYYY-MM>/ holds one bundle each; OUTBOX/<facility>/<YYYY-MM>/ gets its report
files. A bundle is run when it is new or changed since its last verified run: its fingerprint
(every file's name and SHA-256, the readers, templates and settings) is looked up among the
stored complete runs whose report files still stand in its outbox folder. Changed bundles run
concurrently (at most `max_concurrent` at once, sharing `workers` reading processes); a bundle
that fails is stored as a failed run with its reason and the others go on; it is not run again
until its files change (or `refresh`): the portfolio says "failed, unchanged since <date>".
The portfolio (one row per facility: opinion, claimed, verified, material findings, change
since last month) is a table artifact and OUTBOX/portfolio.json and portfolio.xlsx, rewritten
only when it changed. The checks live in `flows.inbox`, free of Prefect, so the CLI can tell
that nothing is to do without starting a flow run.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from prefect import flow, tags, task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

from flows.inbox import (
    FAILED,
    UNCHANGED,
    VERIFIED,
    BundleRun,
    check,
    fill,
    portfolio_doc,
    said,
    walk_inbox,
)
from flows.verify_bundle import (
    IO_RETRIES,
    allow_worker_processes,
    artifact_key,
    flow_for,
    outcome_of,
)
from verify.model.periods import previous_month
from verify.pipeline import RunOptions


@dataclass
class Portfolio:
    rows: list[dict] = field(default_factory=list)  # one per facility
    bundles: list[BundleRun] = field(default_factory=list)
    message: str = ""

    @property
    def work_done(self) -> int:
        return sum(b.status != UNCHANGED and not b.failed_since for b in self.bundles)


def last_month(today: dt.date | None = None) -> str:
    """The month before `today`, as YYYY-MM."""
    first = (today or dt.date.today()).replace(day=1)
    prev = first - dt.timedelta(days=1)
    return f"{prev.year:04d}-{prev.month:02d}"


@task(cache_policy=NO_CACHE, task_run_name="check {run.facility} {run.period}", **IO_RETRIES)
def check_bundle(run: BundleRun, options: RunOptions) -> BundleRun:
    """Unchanged (a complete run of this fingerprint whose files stand in the outbox), failed
    before with these very files, or to do."""
    return check(run, options)


@task(cache_policy=NO_CACHE, task_run_name="verify {run.facility} {run.period}")
def verify_one(run: BundleRun, options: RunOptions, refresh: bool, dask: str | None) -> BundleRun:
    """Run the bundle's own flow; a failure is stored with its reason, never raised."""
    from verify.store import engine_for, latest_run, save_failed_run

    opts = replace(options, period=run.period, out=Path(run.out), fingerprint=run.fingerprint)
    try:
        with tags(f"facility:{run.facility}", f"period:{run.period}"):
            outcome = outcome_of(flow_for(opts, dask)(Path(run.bundle), opts, refresh=refresh,
                                                      facility=run.facility, period=run.period))
    except Exception as exc:
        reason = f"{type(exc).__name__}: {exc}" if not str(exc) else str(exc)
        engine = engine_for(options.db)
        try:
            run_id = save_failed_run(engine, run.facility, run.period, reason, bundle=run.bundle,
                                     fingerprint=run.fingerprint)
        finally:
            engine.dispose()
        return replace(run, status=FAILED, reason=reason, run_id=run_id)
    engine = engine_for(options.db)
    try:
        row = latest_run(engine, outcome.result.facility.id, outcome.result.period)
    finally:
        engine.dispose()
    return replace(fill(run, outcome.result, row.run_id if row else None), status=VERIFIED)


def _change(row: BundleRun, before: BundleRun | None) -> str:
    if before is None or before.verified_tco2 is None:
        return "no earlier month"
    if row.verified_tco2 is None:
        return f"failed (was {before.opinion})"
    delta = row.verified_tco2 - before.verified_tco2
    pct = 100.0 * delta / before.verified_tco2 if before.verified_tco2 else 0.0
    text = f"verified {delta:+,.2f} tCO2 ({pct:+.1f} %)"
    if row.opinion != before.opinion:
        text += f"; opinion {before.opinion} -> {row.opinion}"
    return text


def portfolio_rows(runs: list[BundleRun], options: RunOptions) -> list[dict]:
    """One row per facility: its latest month here, against the month before (here or stored)."""
    from verify.store import COMPLETE, engine_for, latest_run, load_run

    by_facility: dict[str, list[BundleRun]] = {}
    for r in runs:
        by_facility.setdefault(r.facility, []).append(r)
    rows = []
    engine = engine_for(options.db)
    try:
        for facility, months in sorted(by_facility.items()):
            months.sort(key=lambda r: r.period)
            row = months[-1]
            before = next((m for m in months if m.period == previous_month(row.period)), None)
            if before is None:
                stored = latest_run(engine, facility, previous_month(row.period), status=COMPLETE)
                if stored is not None and stored.result_json is not None:
                    before = fill(BundleRun(facility, stored.period, "", ""),
                                   load_run(engine, stored.run_id), stored.run_id)
            rows.append({
                # what stands for the month (verified or failed), not what this run did, so an
                # unchanged reconciliation leaves the portfolio as it was
                "facility": facility, "period": row.period, "run_id": row.run_id,
                "status": FAILED if row.status == FAILED else VERIFIED,
                "opinion": row.opinion or "-", "claimed_tco2": row.claimed_tco2,
                "verified_tco2": row.verified_tco2, "material": row.material,
                "material_findings": row.misstatements, "findings": row.findings,
                "change_since_last_month": _change(row, before),
                "reason": said(row),
            })
    finally:
        engine.dispose()
    return rows


def _write_atomic(path: Path, write) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    write(tmp)
    os.replace(tmp, path)


def write_portfolio(outbox: Path, portfolio: Portfolio) -> bool:
    """OUTBOX/portfolio.json and portfolio.xlsx; untouched (False) when nothing changed."""
    doc = portfolio_doc(portfolio.rows, portfolio.bundles)
    path = outbox / "portfolio.json"
    text = json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True)
    if path.exists() and (outbox / "portfolio.xlsx").exists() and path.read_text("utf-8") == text:
        return False
    outbox.mkdir(parents=True, exist_ok=True)
    _write_atomic(outbox / "portfolio.xlsx", lambda p: _xlsx(p, portfolio.rows))
    _write_atomic(path, lambda p: p.write_text(text, "utf-8"))
    return True


def _xlsx(path: Path, rows: list[dict]) -> None:
    from openpyxl import Workbook

    from verify.report.workpapers import inert

    book = Workbook()
    sheet = book.active
    sheet.title = "portfolio"
    columns = list(rows[0]) if rows else ["facility"]
    sheet.append(columns)
    for row in rows:
        sheet.append([inert(row[c]) for c in columns])  # bundle text never runs in Excel
    book.save(path)


def _run_name() -> str:
    from prefect.runtime import flow_run

    params = flow_run.parameters
    return f"reconcile {Path(params['inbox']).name} {params.get('period') or 'new or changed'}"


@flow(name="monthly_reconciliation", log_prints=True,
      flow_run_name=_run_name,
      task_runner=ThreadPoolTaskRunner(max_workers=2))
def monthly_reconciliation(inbox: str, outbox: str, period: str | None = None,
                           db: str | None = None, refresh: bool = False, workers: int = 2,
                           dask: str | None = None) -> Portfolio:
    """Verify every new or changed INBOX/<facility>/<YYYY-MM>/ bundle into OUTBOX; returns the
    portfolio (one row per facility) and what became of every bundle."""
    from prefect.artifacts import create_markdown_artifact, create_table_artifact

    from flows.crashed import claim_flow_run, reap

    claim_flow_run()
    inbox_path, outbox_path = Path(inbox).resolve(), Path(outbox).resolve()
    options = RunOptions(db=db, workers=workers)
    reap(options)
    found = walk_inbox(inbox_path, outbox_path, period)
    if not found:
        print(f"no bundle under {inbox_path}/<facility>/<YYYY-MM>/"
              + (f" for {period}" if period else ""))
        return Portfolio(message="no bundle")
    checked = [f.result() for f in check_bundle.map(found, options=options)]
    if refresh:
        checked = [replace(c, status="", failed_since="") for c in checked]
    todo = [c for c in checked if c.status != UNCHANGED and not c.failed_since]
    cluster = None
    if dask == "local" and todo:
        from distributed import LocalCluster

        allow_worker_processes()
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1)
        dask = cluster.scheduler_address
    try:
        futures = {id(c): verify_one.submit(c, options, refresh, dask) for c in todo}
        done = [futures[id(c)].result() if id(c) in futures else c for c in checked]
    finally:
        if cluster is not None:
            cluster.close()
    portfolio = Portfolio(rows=portfolio_rows(done, options), bundles=done)
    counts = {s: sum(b.status == s for b in done) for s in (VERIFIED, UNCHANGED, FAILED)}
    stale = sum(bool(b.failed_since) for b in done)
    if not todo:
        portfolio.message = (f"nothing to do: all {len(done)} bundles unchanged since their last "
                             + ("verified run" if not stale else
                                f"run ({stale} failed, not run again until their files change)"))
    else:
        portfolio.message = (f"{len(done)} bundles: {counts[VERIFIED]} verified, "
                             f"{counts[FAILED]} failed, {counts[UNCHANGED]} unchanged")
    print(portfolio.message)
    for b in done:
        if b.status == FAILED:
            print(f"{b.facility} {b.period}: failed"
                  + (f", unchanged since {b.failed_since}" if b.failed_since else "")
                  + f": {b.reason}")
    rewritten = write_portfolio(outbox_path, portfolio)
    key = artifact_key("portfolio", outbox_path.name, period or "all")
    create_table_artifact(portfolio.rows, key=key, description=portfolio.message)
    create_markdown_artifact(
        f"# Reconciliation of {inbox_path}\n\n{portfolio.message}.\n\n"
        + "".join(f"- {b.facility} {b.period}: {b.status}"
                  + (f", unchanged since {b.failed_since}" if b.failed_since else "")
                  + (f" ({b.reason})" if b.reason else "") + "\n" for b in done)
        + f"\nportfolio.json / portfolio.xlsx {'written' if rewritten else 'unchanged'}.",
        key=f"{key}-summary", description="What this reconciliation did")
    return portfolio


def reconcile(inbox: Path, outbox: Path, period: str | None = None, db: str | None = None,
              refresh: bool = False, workers: int = 2, max_concurrent: int = 2,
              dask: str | None = None) -> Portfolio:
    """Run the reconciliation once (the CLI's `reconcile`)."""
    runner = ThreadPoolTaskRunner(max_workers=max(1, max_concurrent))
    return monthly_reconciliation.with_options(task_runner=runner)(
        str(Path(inbox).resolve()), str(Path(outbox).resolve()), period=period, db=db,
        refresh=refresh, workers=workers, dask=dask)
