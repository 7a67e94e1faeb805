"""One verification run, end to end: bundle in, stored run and report files out.

Composes the extractors, the domain (`verify.domain.conclude`), storage and rendering. The Prefect flow
in `flows/` runs the same steps as tasks; both end in `finish`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
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
        started_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )


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


def finish(result: RunResult, records: list, options: RunOptions) -> dict[str, Path]:
    """Store the run whole and write the report files."""
    outputs: dict[str, Path] = {}
    if options.store:
        from verify.store import engine_for, save_run

        save_run(engine_for(options.db), result, records)
    if options.out is not None:
        from verify.report import write_outputs

        outputs = write_outputs(result, records, options.out, result.lang)
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
    found, config = discover_bundle(bundle)
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
