"""The `carbon-verify` command: a shell over the library (docs/architecture.md).

Exit codes: 0 verified as satisfactory (with or without comments), 1 not verified, 2 the run
could not be done. Heavy libraries are imported inside the commands so `--help` stays quick.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Verify a plant's monthly CO2 emissions from its evidence bundle.")
template_app = typer.Typer(no_args_is_help=True, help="Write blank templates.")
app.add_typer(template_app, name="template")
db_app = typer.Typer(no_args_is_help=True, help="The database runs are stored in.")
app.add_typer(db_app, name="db")

EXIT_VERIFIED, EXIT_NOT_VERIFIED, EXIT_FAILED = 0, 1, 2

Db = Annotated[str | None, typer.Option(help="SQLAlchemy URL; default $CARBON_VERIFY_DB or "
                                             "sqlite:///carbon-verify.db")]
Out = Annotated[Path, typer.Option(help="Folder for report.pdf, report.html, findings.json, "
                                        "workpapers.xlsx")]
Templates = Annotated[list[Path] | None, typer.Option(
    "--templates", exists=True, file_okay=False, dir_okay=True,
    help="A folder of supplier templates (*.yml), tried before the shipped ones; repeatable")]


def _fail(message: str) -> typer.Exit:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    return typer.Exit(EXIT_FAILED)


@contextmanager
def _readers_loaded() -> Iterator[None]:
    """Import what reads documents; a reader that fails to import stops the command (exit 2)
    with the reader and the reason, never a run that silently reads no document of its kind."""
    try:
        yield
    except ImportError as exc:  # a ReaderImportError names the reader; any other, the module
        raise _fail(f"{exc} (reinstall the package, or fix that module)") from exc


def _warn(problems) -> None:
    """Supplier templates that cannot be used: said on stderr, the run goes on without them."""
    for problem in problems:
        typer.secho(f"warning: {problem}", fg=typer.colors.YELLOW, err=True)


def _print_outcome(outcome) -> int:
    from verify.model.result import Opinion

    _warn(outcome.warnings)
    r = outcome.result
    typer.echo(f"facility:  {r.facility.id} {r.facility.name}")
    typer.echo(f"period:    {r.period}   method: {r.method}")
    typer.echo(f"claimed:   {r.claimed_total_tco2:,.2f} tCO2")
    typer.echo(f"verified:  {r.verified_total_tco2:,.2f} tCO2")
    m = r.materiality
    typer.echo(f"misstated: {m.misstatement_tco2:,.2f} tCO2 ({m.misstatement_pct:.2f}% "
               f"against {m.threshold_pct}%)")
    typer.echo(f"findings:  {len(r.findings)}")
    for f in r.findings:
        typer.echo(f"  - {f.rule} [{f.severity.value}] {f.message}")
    typer.echo(f"opinion:   {r.opinion.value} ({r.opinion_reason})")
    verb = "wrote" if outcome.rendered else "unchanged"  # the files already showed this run
    for name, path in outcome.outputs.items():
        typer.echo(f"{verb} {name}: {path}")
    return EXIT_NOT_VERIFIED if r.opinion == Opinion.NOT_VERIFIED else EXIT_VERIFIED


def _threshold_overrides(pairs: list[str]) -> dict[str, float]:
    """--threshold KEY=VALUE pairs as numbers; a malformed one is a usage error."""
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        try:
            out[key.strip()] = float(value)
        except ValueError:
            sep = ""
        if not sep:
            raise _fail(f"--threshold takes KEY=NUMBER, e.g. lab_tolerance_pct=1.0, not {pair!r}")
    return out


def _statement_options(**given: str | None) -> dict[str, str]:
    """--client, --verifier, --lead-verifier, --statement-date as given; a date that is not
    YYYY-MM-DD is a usage error."""
    import datetime as dt

    date = given.get("statement_date")
    if date:
        try:
            dt.date.fromisoformat(date)
        except ValueError as exc:
            raise _fail(f"--statement-date must be YYYY-MM-DD, not {date!r}") from exc
    return {key: value.strip() for key, value in given.items() if value and value.strip()}


@app.command()
def run(
    bundle: Annotated[Path, typer.Argument(help="Evidence bundle: a folder or a .zip")],
    period: Annotated[str | None, typer.Option(help="YYYY-MM; default: the claim's period")] = None,
    out: Out = Path("out"),
    db: Db = None,
    lang: Annotated[str | None, typer.Option(help="en or zh")] = None,
    materiality: Annotated[float | None, typer.Option(help="Materiality threshold, %")] = None,
    method: Annotated[str | None, typer.Option(help="cn-steel-2025 | cn-steel-2013 | eu-mrr")] = None,
    engine: Annotated[str, typer.Option(help="local (no server) or prefect")] = "local",
    threshold: Annotated[list[str] | None, typer.Option(
        help="Override a rule threshold or a reader cap, KEY=VALUE (see `carbon-verify rules`); repeatable")] = None,
    templates: Templates = None,
    refresh: Annotated[bool, typer.Option(
        "--refresh", help="Read every file again, not from the cache, and write the report "
        "again")] = False,
    workers: Annotated[int, typer.Option(help="Documents read at once (worker processes)")] = 2,
    dask: Annotated[str | None, typer.Option(
        help="--engine prefect: read on a Dask cluster, ADDRESS or 'local'")] = None,
    client: Annotated[str | None, typer.Option(
        help="Who the statement is addressed to; default bundle.toml's client")] = None,
    verifier: Annotated[str | None, typer.Option(
        help="The verification body; default bundle.toml's verifier")] = None,
    lead_verifier: Annotated[str | None, typer.Option(
        help="The lead verifier who signs; default bundle.toml's lead_verifier")] = None,
    statement_date: Annotated[str | None, typer.Option(
        help="Date of the statement, YYYY-MM-DD; default bundle.toml's statement_date")] = None,
) -> None:
    """Verify a bundle and write the report."""
    from verify.model.errors import RunError

    with _readers_loaded():
        from verify.pipeline import RunOptions, run_bundle

    if lang not in (None, "en", "zh"):
        raise _fail(f"--lang must be en or zh, not {lang!r}")
    options = RunOptions(period=period, out=out, db=db, lang=lang, materiality_pct=materiality,
                         method=method, thresholds=_threshold_overrides(threshold or []),
                         templates=tuple(templates or ()), workers=max(1, workers),
                         refresh=refresh,
                         statement=_statement_options(client=client, verifier=verifier,
                                                      lead_verifier=lead_verifier,
                                                      statement_date=statement_date))
    if engine != "prefect" and dask:
        raise _fail("--dask goes with --engine prefect")
    try:
        if engine == "prefect":
            from flows.verify_bundle import run_with_prefect
            from flows.workers import close_workers

            try:
                outcome = run_with_prefect(bundle, options, refresh=refresh, dask=dask)
            finally:
                close_workers()
        elif engine == "local":
            outcome = run_bundle(bundle, options)
        else:
            raise _fail(f"--engine must be local or prefect, not {engine!r}")
    except RunError as exc:
        raise _fail(str(exc)) from exc
    raise typer.Exit(_print_outcome(outcome))


@app.command()
def demo(out: Out = Path("out"), db: Db = None,
         lang: Annotated[str | None, typer.Option(help="en or zh")] = None) -> None:
    """Run `run` on the shipped sample bundle."""
    from fixtures import sample_bundle

    run(sample_bundle(), out=out, db=db, lang=lang, period=None, materiality=None, method=None,
        engine="local", threshold=None, templates=None, refresh=False, workers=2, dask=None,
        client=None, verifier=None, lead_verifier=None, statement_date=None)


@app.command()
def precheck(
    bundle: Annotated[Path, typer.Argument(help="Evidence bundle: a folder or a .zip")],
    out: Annotated[Path | None, typer.Option(
        help="Folder for precheck.xlsx and precheck.json (default: the list only)")] = None,
    lang: Annotated[str | None, typer.Option(help="en or zh")] = None,
    period: Annotated[str | None, typer.Option(help="YYYY-MM; default: the claim's period")] = None,
    templates: Templates = None,
    workers: Annotated[int, typer.Option(help="Documents read at once (worker processes)")] = 2,
) -> None:
    """The plant's pre-check: a fix list, most costly first, before the bundle is sent.

    Exit 0 when nothing blocks, 1 when something would be a misstatement or a limitation of
    scope, 2 when the bundle could not be checked."""
    from verify.model.errors import RunError

    with _readers_loaded():
        from verify.pipeline import RunOptions, precheck_bundle
    from verify.report.precheck_outputs import print_precheck, write_precheck

    if lang not in (None, "en", "zh"):
        raise _fail(f"--lang must be en or zh, not {lang!r}")
    options = RunOptions(period=period, out=None, lang=lang, store=False,
                         templates=tuple(templates or ()), workers=max(1, workers))
    try:
        result = precheck_bundle(bundle, options)
    except RunError as exc:
        raise _fail(str(exc)) from exc
    print_precheck(result)
    if out is not None:
        for name, path in write_precheck(result, out).items():
            typer.echo(f"wrote {name}: {path}")
    raise typer.Exit(EXIT_NOT_VERIFIED if result.blocking else EXIT_VERIFIED)


@template_app.command("claim")
def template_claim(out: Annotated[Path, typer.Argument(help="Where to write the .xlsx")],
                   lang: Annotated[str, typer.Option(help="en or zh labels")] = "en") -> None:
    """Write a blank claim workbook in the project's claim template."""
    from extractors.claim_template import write_claim_workbook

    write_claim_workbook(out, lang)
    typer.echo(f"wrote {out}")


@template_app.command("bundle")
def template_bundle(
        out: Annotated[Path, typer.Argument(help="The folder to make (kept files stay)")],
        lang: Annotated[str, typer.Option(help="en or zh")] = "en") -> None:
    """Write a bundle folder to fill: a folder per document kind with a README.txt, a
    commented bundle.toml and a blank claim workbook."""
    if lang not in ("en", "zh"):
        raise _fail(f"--lang must be en or zh, not {lang!r}")
    from verify.pipeline import write_bundle_template

    for path in write_bundle_template(out, lang):
        typer.echo(f"wrote {path}")


@app.command()
def extract(
    file: Annotated[Path, typer.Argument(help="One PDF, XLSX, XLS or CSV file")],
    explain: Annotated[bool, typer.Option(
        "--explain", help="Say where each value was found and why each expected one was not")] = False,
    png: Annotated[Path | None, typer.Option(
        help="Folder for one PNG per page with the box of every value drawn")] = None,
    templates: Templates = None,
) -> None:
    """Print the records one file yields, as JSON (or explained, with --explain)."""
    with _readers_loaded():
        from extractors import cli_json
        from extractors.sniff import file_format
        from extractors.templates import load_templates

    if not file.is_file():
        raise _fail(f"{file} is not a file")
    if png is not None and file_format(file) != "pdf":
        raise _fail(f"--png draws the pages of a PDF; {file.name} is not a PDF")
    dirs = tuple(templates or ())
    _warn(load_templates(dirs).problems)
    if not explain and png is None:
        typer.echo(cli_json(file, dirs))
        return
    from extractors.explain import explain_file

    explanation = explain_file(file, dirs)
    document = explanation.extraction.document
    if png is not None and document.status.value == "unreadable":
        raise _fail(f"--png cannot draw {file.name}: {document.error}")
    if explain:
        from verify.report.explain_view import print_explanation

        print_explanation(explanation)
    else:
        typer.echo(json.dumps(explanation.extraction.model_dump(mode="json"), ensure_ascii=False,
                              indent=2))
    if png is not None:
        _write_pngs(file, explanation, png, to_stderr=not explain)


def _write_pngs(file: Path, explanation, out: Path, to_stderr: bool) -> None:
    """The pages with the found boxes drawn and named."""
    from extractors.pdf.overlay import draw_pages

    for path in draw_pages(file, explanation.boxes(), out):
        typer.echo(f"wrote {path}", err=to_stderr)


@app.command()
def rules(as_json: Annotated[bool, typer.Option("--json", help="Machine-readable")] = False) -> None:
    """List the rule catalogue: ids, severities, thresholds and reasons."""
    from verify.domain.rules import catalogue
    from verify.domain.thresholds import load_thresholds

    t = load_thresholds().model_dump()
    rows = catalogue()
    for r in rows:
        r["thresholds"] = {p: t[p] for p in r["parameters"]}
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        first = str(r["doc"]).splitlines()[0]
        limits = ", ".join(f"{k}={v}" for k, v in r["thresholds"].items()) or "-"
        typer.echo(f"{r['id']:<22} {r['severity']:<15} {limits:<28} {first}")


Inbox = Annotated[Path, typer.Option(help="INBOX: <facility>/<YYYY-MM>/ bundle folders")]
Outbox = Annotated[Path, typer.Option(help="OUTBOX: reports go to <facility>/<YYYY-MM>/")]


def _stop_if_reconciled(inbox: Path, outbox: Path, period: str | None, db: str | None) -> None:
    """Every bundle unchanged since its last run and the portfolio saying so: print it as it
    stands and stop (exit 0, or 1 with a failed bundle) without starting a flow run."""
    from flows.inbox import FAILED, nothing_to_do

    try:
        standing = nothing_to_do(inbox, outbox, period, db)
    except Exception:  # a store or bundle that cannot be read: the flow will say what it is
        return
    if standing is None:
        return
    doc, bundles = standing
    for row in doc["rows"]:
        verified = "-" if row["verified_tco2"] is None else f"{row['verified_tco2']:,.2f}"
        typer.echo(f"{row['facility']:<14} {row['period']}  {'unchanged':<9} "
                   f"{row['opinion']:<28} verified {verified:>14}  {row['change_since_last_month']}")
    failed = [b for b in bundles if b.status == FAILED]
    for b in failed:
        typer.echo(f"failed, unchanged since {b.failed_since}: {b.facility} {b.period}: "
                   f"{b.reason}", err=True)
    typer.echo(f"nothing to do: all {len(bundles)} bundles unchanged since their last run"
               + (f" ({len(failed)} failed, not run again until their files change)"
                  if failed else "") + f"; {Path(outbox) / 'portfolio.json'} stands as it was")
    raise typer.Exit(EXIT_NOT_VERIFIED if failed else EXIT_VERIFIED)


@app.command()
def reconcile(
    inbox: Annotated[Path, typer.Argument(help="INBOX: <facility>/<YYYY-MM>/ bundle folders")],
    outbox: Annotated[Path, typer.Argument(help="OUTBOX: reports to <facility>/<YYYY-MM>/")],
    period: Annotated[str | None, typer.Option(help="Only this month, YYYY-MM")] = None,
    db: Db = None,
    refresh: Annotated[bool, typer.Option(
        "--refresh", help="Run every bundle and read every file again")] = False,
    workers: Annotated[int, typer.Option(help="Documents read at once (worker processes)")] = 2,
    concurrent: Annotated[int, typer.Option(help="Bundles verified at once")] = 2,
    dask: Annotated[str | None, typer.Option(
        help="Read on a Dask cluster: ADDRESS (tcp://host:8786) or 'local'")] = None,
) -> None:
    """Verify every new or changed bundle of the inbox once (the monthly reconciliation).

    Exit 0 when every bundle was verified or unchanged, 1 when one failed."""
    if not inbox.is_dir():
        raise _fail(f"{inbox} is not a folder of <facility>/<YYYY-MM>/ bundles")
    if not refresh:
        _stop_if_reconciled(inbox, outbox, period, db)
    with _readers_loaded():
        from flows.monthly_reconciliation import FAILED
        from flows.monthly_reconciliation import reconcile as run_reconciliation

    from flows.workers import close_workers

    try:
        portfolio = run_reconciliation(inbox, outbox, period=period, db=db, refresh=refresh,
                                       workers=max(1, workers),
                                       max_concurrent=max(1, concurrent), dask=dask)
    finally:
        close_workers()
    did = {(b.facility, b.period): b.status for b in portfolio.bundles}
    for row in portfolio.rows:
        verified = "-" if row["verified_tco2"] is None else f"{row['verified_tco2']:,.2f}"
        status = did.get((row["facility"], row["period"]), row["status"])
        typer.echo(f"{row['facility']:<14} {row['period']}  {status:<9} "
                   f"{row['opinion']:<28} verified {verified:>14}  {row['change_since_last_month']}")
    for b in portfolio.bundles:
        if b.status == FAILED:
            typer.echo(f"failed: {b.facility} {b.period}: {b.reason}", err=True)
    typer.echo(portfolio.message)
    raise typer.Exit(EXIT_NOT_VERIFIED if any(b.status == FAILED for b in portfolio.bundles)
                     else EXIT_VERIFIED)


@app.command()
def serve(
    inbox: Inbox,
    outbox: Outbox,
    cron: Annotated[str, typer.Option(help="Cron schedule")] = "0 6 5 * *",
    timezone: Annotated[str, typer.Option(help="Time zone of the schedule")] = "Asia/Shanghai",
    db: Db = None,
    workers: Annotated[int, typer.Option(help="Documents read at once")] = 2,
) -> None:
    """Register and serve the monthly reconciliation deployment (needs a Prefect server:
    PREFECT_API_URL); runs its scheduled flow runs in this process until stopped."""
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise _fail(f"--timezone {timezone!r} is not a known time zone (e.g. Asia/Shanghai)") from exc
    with _readers_loaded():
        from flows.deployments import serve_monthly

    serve_monthly(inbox, outbox, cron=cron, timezone=timezone, db=db, workers=workers)


@app.command()
def review(
    run_id: Annotated[str, typer.Argument(help="The stored run to review (see `carbon-verify runs`)")],
    decisions: Annotated[Path, typer.Option(
        help="workpapers.xlsx with Decision, Adjusted impact, Comment and Reviewer filled, "
             "or decisions.yml")],
    out: Out = Path("out"),
    db: Db = None,
) -> None:
    """Re-issue a run's report with the verifier's decisions (the original run is kept).

    Exit 0 verified, 1 not verified, 2 decisions that cannot be applied or no such run."""
    from verify.model.review import ReviewError
    from verify.pipeline import review_run

    try:
        outcome = review_run(run_id, decisions, out, db)
    except ReviewError as exc:
        raise _fail(f"decisions: {exc}") from exc
    except KeyError as exc:
        raise _fail(str(exc.args[0] if exc.args else exc)) from exc
    r, rv = outcome.result, outcome.result.review
    typer.echo(f"review:    {rv.review_id} of run {rv.run_id}")
    for c in rv.changes:
        after = "-" if c.impact_after is None else f"{c.impact_after:,.2f}"
        before = "-" if c.impact_before is None else f"{c.impact_before:,.2f}"
        typer.echo(f"  - {c.finding_id} {c.rule} {c.decision.value}: {before} -> {after} tCO2 "
                   f"({c.reviewer}) {c.comment}")
    typer.echo(f"misstated: {rv.misstatement_before_tco2:,.2f} -> "
               f"{rv.misstatement_after_tco2:,.2f} tCO2")
    typer.echo(f"opinion:   {rv.opinion_before} -> {r.opinion.value} ({r.opinion_reason})")
    for name, path in outcome.outputs.items():
        typer.echo(f"wrote {name}: {path}")
    from verify.model.result import Opinion

    raise typer.Exit(EXIT_NOT_VERIFIED if r.opinion == Opinion.NOT_VERIFIED else EXIT_VERIFIED)


def _stored(db: str | None):
    """An engine on the store; a store that cannot be opened stops the command (exit 2)."""
    from verify.store import engine_for

    try:
        return engine_for(db)
    except Exception as exc:  # no server, bad URL, ...: said with the reason
        raise _fail(f"cannot open the store: {exc}") from exc


@app.command()
def runs(facility: Annotated[str | None, typer.Option(help="Only this facility id")] = None,
         db: Db = None) -> None:
    """List stored runs: facility, period, opinion, when, and whether reviewed."""
    from verify.store import list_runs, reviewed_runs

    engine = _stored(db)
    try:
        rows, reviewed = list_runs(engine, facility), reviewed_runs(engine)
    finally:
        engine.dispose()
    for row in rows:
        when = row.finished_at.isoformat(timespec="seconds") if row.finished_at else "-"
        n = reviewed.get(row.run_id, 0)
        mark = f"reviewed x{n}" if n else "not reviewed"
        typer.echo(f"{row.run_id}  {row.facility_id:<12} {row.period:<8} #{row.run_no:<3} "
                   f"{row.status:<10} {row.opinion or '-':<27} {when}  {mark}")
    if not rows:
        typer.echo("no stored runs")


@app.command()
def show(run_id: Annotated[str, typer.Argument(help="A stored run id (see `carbon-verify runs`)")],
         db: Db = None) -> None:
    """Print one stored run: totals, findings, opinion, and its reviews."""
    from verify.store import list_reviews, load_run

    engine = _stored(db)
    try:
        try:
            r = load_run(engine, run_id)
        except KeyError as exc:
            raise _fail(str(exc.args[0])) from exc
        reviews = list_reviews(engine, run_id)
    finally:
        engine.dispose()
    typer.echo(f"run:       {r.run_id}   started {r.started_at}")
    typer.echo(f"facility:  {r.facility.id} {r.facility.name}")
    typer.echo(f"period:    {r.period}   method: {r.method}")
    typer.echo(f"claimed:   {r.claimed_total_tco2:,.2f} tCO2")
    typer.echo(f"verified:  {r.verified_total_tco2:,.2f} tCO2")
    typer.echo(f"misstated: {r.materiality.misstatement_tco2:,.2f} tCO2 "
               f"({r.materiality.misstatement_pct:.2f}% against {r.materiality.threshold_pct}%)")
    for i, f in enumerate(r.findings):
        typer.echo(f"  {r.finding_id(i)} {f.rule} [{f.severity.value}] {f.message}")
    typer.echo(f"opinion:   {r.opinion.value} ({r.opinion_reason})")
    for rv in reviews:
        when = rv.reviewed_at.isoformat(timespec="seconds") if rv.reviewed_at else "-"
        typer.echo(f"review:    {rv.review_id} {when} by {rv.reviewers or '-'}: "
                   f"{rv.opinion}, misstated {rv.misstatement_tco2:,.2f} tCO2")
    if not reviews:
        typer.echo("review:    not reviewed")


@app.command()
def audit(db: Db = None) -> None:
    """Verify the store's chain of runs, reviews and evidence hashes.

    Exit 0 when every link holds, 1 naming the first broken link."""
    from sqlmodel import Session

    from verify.store.chain import audit as audit_chain

    engine = _stored(db)
    try:
        with Session(engine) as session:
            found = audit_chain(session)
    finally:
        engine.dispose()
    if not found.ok:
        typer.secho(f"broken at link {found.broken_seq} ({found.broken_kind} {found.broken_ref}): "
                    f"{found.reason}", fg=typer.colors.RED)
        typer.echo(f"{found.links} link(s) before it hold")
        raise typer.Exit(EXIT_NOT_VERIFIED)
    typer.echo(f"chain holds: {found.links} link(s) of runs, reviews and evidence hashes")
    if found.unchained_runs:
        typer.echo(f"{found.unchained_runs} run(s) stored before the chain are not covered")


@db_app.command("upgrade")
def db_upgrade(db: Db = None,
               revision: Annotated[str, typer.Option(help="Migration to go to")] = "head") -> None:
    """Bring the database's schema to the latest migration (safe beside running processes)."""
    from sqlmodel import create_engine

    from verify.store import upgrade
    from verify.store.engine import database_url

    engine = create_engine(database_url(db))
    try:
        typer.echo(f"schema at {upgrade(engine, revision)}")
    except Exception as exc:  # no server, bad URL, ...: said with the reason
        raise _fail(f"cannot upgrade {engine.url.render_as_string()}: {exc}") from exc
    finally:
        engine.dispose()


if __name__ == "__main__":  # pragma: no cover
    app()
