"""One verification run, end to end: bundle in, stored run and report files out.

Composes the extractors, the domain (`verify.domain.conclude`), storage and rendering. The Prefect flow
in `flows/` runs the same steps as tasks; both end in `finish`.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path

from extractors.claim import read_claim
from extractors.discover import discover
from extractors.worker import extract_many
from verify.domain.conclude import RunSettings, conclude
from verify.domain.config import BundleConfig, parse_bundle_config
from verify.domain.thresholds import Thresholds, load_thresholds
from verify.model.errors import ClaimError, ConfigError, RunError
from verify.model.records import Claim, DocumentKind, DocumentStatus
from verify.model.result import RunResult


@dataclass(frozen=True)
class RunOptions:
    """What the user asked for on the command line."""

    period: str | None = None
    out: Path | None = None
    db: str | None = None
    lang: str | None = None
    materiality_pct: float | None = None
    method: str | None = None
    timeout_s: float = 120.0
    workers: int = 2
    store: bool = True
    thresholds: dict[str, float] = field(default_factory=dict)
    templates: tuple[Path, ...] = ()  # folders of supplier templates (--templates)
    started_at: str | None = None  # when the run began (set by the engine, before extraction)
    fingerprint: str | None = None  # the bundle's content and settings, stored with the run
    # the statement's parties and date (client, verifier, lead_verifier, statement_date, ...):
    # the command line's, completed from bundle.toml by `with_statement`
    statement: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RunOutcome:
    result: RunResult
    records: list
    outputs: dict[str, Path]
    warnings: tuple[str, ...] = ()  # supplier templates that could not be used, and why


def thresholds_for(config: BundleConfig, options: RunOptions) -> Thresholds:
    """Defaults, then bundle.toml, then the command line."""
    overrides: dict = {**config.thresholds, **options.thresholds}
    pct = options.materiality_pct if options.materiality_pct is not None else config.materiality_pct
    if pct is not None:
        overrides["materiality_override_pct"] = pct
    return load_thresholds(overrides)


def settings_for(config: BundleConfig, options: RunOptions, bundle: Path) -> RunSettings:
    return RunSettings(
        run_id=str(uuid.uuid4()), method=options.method or config.method,
        period=options.period or config.period, lang=options.lang or config.lang or "en",
        route=config.route, facility_name=config.facility_name, bundle=str(bundle),
        plan_streams=tuple(config.streams),
        started_at=options.started_at or now_text(),
    )


STATEMENT_FIELDS = ("installation_id", "client", "verifier", "lead_verifier", "statement_date",
                    "report_id", "assurance")


def with_statement(options: RunOptions, config: BundleConfig) -> RunOptions:
    """The options with the statement's parties and date: the command line's, else bundle.toml's."""
    from_config = {key: str(value) for key in STATEMENT_FIELDS
                   if (value := getattr(config, key)) is not None}
    given = {key: value for key, value in options.statement.items() if value}
    return replace(options, statement={**from_config, **given})


def now_text() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def started(options: RunOptions) -> RunOptions:
    """The options with the run's start time, taken before anything is read."""
    return options if options.started_at else replace(options, started_at=now_text())


def claim_of(extractions: list, paths: dict[str, Path]) -> Claim:
    """The claim: the one workbook read as a claim, else all claim tables read together."""
    docs = [e for e in extractions if e.document.kind == DocumentKind.CLAIM
            and e.document.status == DocumentStatus.PARSED]
    if not docs:
        raise RunError("the bundle holds no claim: add the claim spreadsheet "
                       "(`carbon-verify template claim claim.xlsx` writes a blank one)")
    claims = [r for e in docs for r in e.records if isinstance(r, Claim)]
    if len(docs) == 1 and len(claims) == 1:
        return claims[0]
    try:
        return read_claim([paths[e.document.file] for e in docs],
                          [(e.document.file, e.document.sha256) for e in docs])
    except ClaimError as exc:
        raise RunError(f"the claim cannot be read: {exc}") from exc


def evidence_records(extractions: list) -> list:
    """Every record but the claim's."""
    return [r for e in extractions for r in e.records if not isinstance(r, Claim)]


RUN_MARKER = "run.json"  # in an output folder: the stored run whose files these are


def outputs_of(out: Path) -> str | None:
    """The id of the run whose complete report files stand in `out` (None: none do)."""
    import json

    try:
        return json.loads((Path(out) / RUN_MARKER).read_text("utf-8"))["run_id"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def publish_outputs(result: RunResult, records: list, out: Path, run_id: str | None = None,
                    before_swap=None, statement: dict[str, str] | None = None) -> dict[str, Path]:
    """Write the report files into a hidden folder inside `out`, then move them in, each in
    one rename, `run.json` (naming the stored run) last and the earlier run's `run.json` first:
    while files are moved there is no `run.json`, so a folder whose `run.json` names a run
    holds that run's complete files, never a half-written set. Other files in `out` are left
    alone. `before_swap()` is called once the new files are written, before they move in."""
    import json

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / f".carbon-verify-tmp-{uuid.uuid4().hex[:8]}"
    try:
        written = write_outputs_to(result, records, tmp, statement)
        (tmp / RUN_MARKER).write_text(json.dumps({"run_id": run_id or result.run_id}), "utf-8")
        if before_swap is not None:
            before_swap()
        (out / RUN_MARKER).unlink(missing_ok=True)
        for path in written.values():
            os.replace(path, out / path.name)
        os.replace(tmp / RUN_MARKER, out / RUN_MARKER)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {key: out / path.name for key, path in written.items()}


def write_outputs_to(result: RunResult, records: list, folder: Path,
                     statement: dict[str, str] | None = None) -> dict[str, Path]:
    from verify.report import write_outputs
    from verify.report.statement import Engagement

    return write_outputs(result, records, folder, result.lang,
                         engagement=Engagement.of(statement or {}))


def store_result(result: RunResult, records: list, options: RunOptions) -> str | None:
    """Store the run whole with its status: `running` while report files are still to be
    written, else `complete`. Returns the stored run id (None when nothing is stored)."""
    if not options.store:
        return None
    from verify.store import COMPLETE, RUNNING, engine_for, save_run

    engine = engine_for(options.db)
    try:
        return save_run(engine, result, records,
                        status=RUNNING if options.out is not None else COMPLETE,
                        fingerprint=options.fingerprint,
                        out_dir=str(Path(options.out).resolve()) if options.out else None)
    finally:
        engine.dispose()


def retire_earlier_outputs(options: RunOptions, run_id: str | None) -> None:
    """The stored runs whose files stand in the output folder stop being complete (superseded)
    before this run's files replace them."""
    if run_id is None or options.out is None:
        return
    from verify.store import engine_for, retire_outputs

    engine = engine_for(options.db)
    try:
        retire_outputs(engine, str(Path(options.out).resolve()), keep=run_id)
    finally:
        engine.dispose()


def mark_run_complete(options: RunOptions, run_id: str | None) -> None:
    """The run's report files are in place: its stored status becomes complete."""
    if run_id is None or options.out is None:
        return
    from verify.store import engine_for, mark_complete

    engine = engine_for(options.db)
    try:
        mark_complete(engine, run_id)
    finally:
        engine.dispose()


def finish(result: RunResult, records: list, options: RunOptions) -> dict[str, Path]:
    """Store the run whole (running), write the report files aside, retire the runs whose files
    they replace, move them in (run.json last), then mark the run complete: a run is complete
    only while its outputs are in place."""
    run_id = store_result(result, records, options)
    outputs: dict[str, Path] = {}
    if options.out is not None:
        outputs = publish_outputs(result, records, options.out, run_id,
                                  before_swap=lambda: retire_earlier_outputs(options, run_id),
                                  statement=options.statement)
    mark_run_complete(options, run_id)
    return outputs


def discover_bundle(bundle: Path):
    """Every file of the bundle (hashed) and its bundle.toml; a zip is unpacked safely."""
    if not bundle.exists():
        raise RunError(f"bundle {bundle} does not exist: give a folder or a .zip of evidence")
    found = discover(bundle)
    try:
        text = found.bundle_toml.read_text("utf-8") if found.bundle_toml else None
        return found, parse_bundle_config(text)
    except ConfigError as exc:
        found.cleanup()
        raise RunError(str(exc)) from exc


def template_setup(found, config: BundleConfig, options: RunOptions):
    """The evidence entries (a template folder inside the bundle is not evidence), the template
    folders to read with (--templates, then bundle.toml's), and the templates that are unusable."""
    from extractors.templates import load_templates

    dirs = list(options.templates)
    if config.templates:
        folder = found.root / config.templates
        if not folder.resolve().is_relative_to(found.root.resolve()):
            raise RunError(f"bundle.toml: templates = {config.templates!r} is outside the "
                           "bundle; a bundle may only name a folder inside it (a folder "
                           "elsewhere is given with --templates)")
        if not folder.is_dir():
            raise RunError(f"bundle.toml: templates = {config.templates!r} is not a folder of "
                           "the bundle; give a folder relative to the bundle root")
        dirs.append(folder)
    entries = [(doc, path) for doc, path in found.entries
               if not any(path.resolve().is_relative_to(d.resolve()) for d in dirs)]
    return entries, tuple(dirs), load_templates(dirs).problems


def conclude_extractions(extractions: list, paths: dict[str, Path], config: BundleConfig,
                         options: RunOptions, bundle: Path) -> tuple[RunResult, list]:
    """The claim read, the evidence assessed, every rule run and judged; all records with it."""
    try:
        claim = claim_of(extractions, paths)
        records = evidence_records(extractions)
        result = conclude(claim, records, [e.document for e in extractions],
                          thresholds_for(config, options), settings_for(config, options, bundle))
    except (ConfigError, ValueError) as exc:
        raise RunError(str(exc)) from exc
    return result, [claim, *records]


def run_bundle(bundle: Path, options: RunOptions) -> RunOutcome:
    """Verify one bundle: the CLI's default engine."""
    options = started(options)
    found, config = discover_bundle(bundle)
    options = with_statement(options, config)
    try:
        entries, templates, warnings = template_setup(found, config, options)
        items = [(path, doc) for doc, path in entries]
        extractions = extract_many(items, timeout_s=options.timeout_s, workers=options.workers,
                                   templates=templates)
        paths = {doc.file: path for doc, path in entries}
        result, records = conclude_extractions(extractions, paths, config, options, bundle)
    finally:
        found.cleanup()
    return RunOutcome(result, records, finish(result, records, options), warnings)
