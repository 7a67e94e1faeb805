"""One verification run, end to end: bundle in, stored run and report files out.

Composes the extractors, the domain (`verify.domain.conclude`), storage and rendering. The Prefect flow
in `flows/` runs the same steps as tasks; both end in `finish`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from extractors import caps
from extractors.caps import Caps
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
    reuse: bool = True  # local engine: reuse kept extractions and report files still current
    refresh: bool = False  # read every file and write the report again (--refresh)
    cache: Path | None = None  # folder of kept extractions (None: extractors.cache.cache_dir)
    # the statement's parties and date (client, verifier, lead_verifier, statement_date, ...):
    # the command line's, completed from bundle.toml by `with_statement`
    statement: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RunOutcome:
    result: RunResult
    records: list
    outputs: dict[str, Path]
    warnings: tuple[str, ...] = ()  # supplier templates that could not be used, and why
    reused: tuple[str, ...] = ()  # files whose kept extraction was used: not read again
    rendered: bool = True  # False: the report files in `out` already showed this result
    seconds: dict[str, float] = field(default_factory=dict)  # wall time of each stage


def caps_for(options: RunOptions | None = None, config: BundleConfig | None = None) -> Caps:
    """The run's caps: data/caps.toml, then bundle.toml's [caps] (the reader caps, up to their
    ceilings), then --threshold (any cap). Before bundle.toml is read (discovery), without it."""
    cli = {k: v for k, v in (options.thresholds if options else {}).items() if k in caps.names()}
    try:
        chosen = caps.defaults()
        if config is not None and config.caps:
            chosen = caps.with_overrides(chosen, dict(config.caps), "bundle.toml [caps]",
                                         from_bundle=True)
        return caps.with_overrides(chosen, cli, "--threshold")
    except ConfigError as exc:
        raise RunError(str(exc)) from exc


def thresholds_for(config: BundleConfig, options: RunOptions) -> Thresholds:
    """Defaults, then bundle.toml, then the command line (the caps' keys are caps, not rule
    thresholds)."""
    cli = {k: v for k, v in options.thresholds.items() if k not in caps.names()}
    overrides: dict = {**config.thresholds, **cli}
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
                    before_swap=None, content: str | None = None,
                    statement: dict[str, str] | None = None) -> dict[str, Path]:
    """Write the report files into a hidden folder inside `out`, then move them in, each in
    one rename, `run.json` (naming the stored run) last and the earlier run's `run.json` first:
    while files are moved there is no `run.json`, so a folder whose `run.json` names a run
    holds that run's complete files, never a half-written set. Other files in `out` are left
    alone. `before_swap()` is called once the new files are written, before they move in.
    `content` (`report_content`) is kept in `run.json`, so a later run showing the same can
    leave the files as they are."""
    import json

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / f".carbon-verify-tmp-{uuid.uuid4().hex[:8]}"
    try:
        written = write_outputs_to(result, records, tmp, statement)
        marker = {"run_id": run_id or result.run_id, "started_at": result.started_at,
                  "content": content, "files": {k: p.name for k, p in written.items()}}
        (tmp / RUN_MARKER).write_text(json.dumps(marker), "utf-8")
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


def process_alive(pid: int) -> bool:
    """Whether a process of this host still runs (a zombie, killed but not yet reaped, does
    not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it runs
        return True
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):  # no /proc: the signal said it runs
        return True


def mark_crashed_runs(options: RunOptions) -> list[str]:
    """Before a run: stored runs left `running` by a process of this host that is gone are
    marked `crashed` (they would otherwise stay running for ever). Returns their ids."""
    if not options.store:
        return []
    from verify.store import engine_for, mark_crashed

    engine = engine_for(options.db)
    try:
        return mark_crashed(engine, process_alive)
    finally:
        engine.dispose()


def discover_bundle(bundle: Path, options: RunOptions | None = None):
    """Every file of the bundle (hashed) and its bundle.toml; a zip is unpacked safely, within
    the command line's caps."""
    if not bundle.exists():
        raise RunError(f"bundle {bundle} does not exist: give a folder or a .zip of evidence")
    found = discover(bundle, caps_for(options).limits())
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


class StageClock:
    """Wall seconds spent in each stage of one run (discover, read, conclude, store, render),
    handed back in the outcome for `bench/`; reading includes classifying."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - t0


def extract_reusing(items: list, options: RunOptions, templates: tuple[Path, ...],
                    caps: Caps | None = None) -> tuple[list, tuple[str, ...]]:
    """Every (path, document) read, except those whose kept extraction (same content, readers
    and templates) can be used; a successful read is kept for the next run. Returns the
    extractions in input order and the files that were not read again."""
    from extractors.cache import ExtractionCache

    cache = ExtractionCache(options.cache, templates, caps=caps) if options.reuse else None
    kept: dict[int, object] = {}
    if cache is not None and not options.refresh:
        for i, (_, doc) in enumerate(items):
            if (found := cache.get(doc)) is not None:
                kept[i] = found
    todo = [i for i in range(len(items)) if i not in kept]
    read = extract_many([items[i] for i in todo], timeout_s=options.timeout_s,
                        workers=options.workers, templates=templates, caps=caps) if todo else []
    if cache is not None:
        for extraction in read:
            cache.put(extraction)
    results = {**kept, **dict(zip(todo, read, strict=True))}
    return [results[i] for i in range(len(items))], tuple(items[i][1].file for i in sorted(kept))


def renderer_version() -> str:
    """A digest of the code and templates that write the report files."""
    import importlib.util

    from extractors.cache import code_digest

    spec = importlib.util.find_spec("report_templates")
    roots = [Path(__file__).parent / "report"]
    if spec is not None and spec.submodule_search_locations:
        roots += [Path(p) for p in spec.submodule_search_locations]
    return code_digest(roots, (".py", ".toml", ".csv", ".yml", ".yaml", ".html", ".css",
                               ".j2", ".svg", ".ttf", ".otf", ".woff", ".woff2"))


def report_content(result: RunResult, records: list,
                   statement: dict[str, str] | None = None) -> str:
    """What the report files show: the result (but for the run's id and start time), the
    records, the statement's parties and date, and the renderer. Equal digests give equal
    files."""
    import hashlib
    import json

    body = [result.model_dump(mode="json", exclude={"run_id", "started_at"}),
            [r.model_dump(mode="json") for r in records], renderer_version(),
            dict(sorted((statement or {}).items()))]
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def current_outputs(result: RunResult, options: RunOptions, content: str):
    """The run.json of `out` when its files already show this content and, with storage on, its
    run is stored complete for this folder: (marker, files). Else None: write the report."""
    import json

    if options.out is None or options.refresh or not options.reuse:
        return None
    out = Path(options.out)
    try:
        marker = json.loads((out / RUN_MARKER).read_text("utf-8"))
        files = {k: out / name for k, name in marker["files"].items()}
        same = marker["content"] == content and all(p.is_file() for p in files.values())
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    if not same or (options.store and not stored_complete(options, result, marker["run_id"])):
        return None
    return marker, files


def stored_complete(options: RunOptions, result: RunResult, run_id: str) -> bool:
    """Whether the run is stored complete, its files in the output folder."""
    from verify.store import COMPLETE, engine_for, list_runs

    engine = engine_for(options.db)
    try:
        out = str(Path(options.out).resolve())
        return any(r.run_id == run_id and r.status == COMPLETE and r.out_dir == out
                   for r in list_runs(engine, result.facility.id))
    finally:
        engine.dispose()


def finish_reusing(result: RunResult, records: list, options: RunOptions,
                   clock: StageClock) -> tuple[RunResult, dict[str, Path], bool]:
    """`finish`, unless the report files in `out` already show this result: then nothing is
    stored or written again, and the result is that run's (its id and start time)."""
    with clock.stage("reuse check"):
        content = report_content(result, records, options.statement)
        current = current_outputs(result, options, content)
    if current is not None:
        marker, files = current
        return (result.model_copy(update={"run_id": marker["run_id"],
                                          "started_at": marker.get("started_at") or ""}),
                files, False)
    with clock.stage("store"):
        run_id = store_result(result, records, options)
    outputs: dict[str, Path] = {}
    if options.out is not None:
        with clock.stage("render"):
            outputs = publish_outputs(result, records, options.out, run_id,
                                      before_swap=lambda: retire_earlier_outputs(options, run_id),
                                      content=content, statement=options.statement)
    with clock.stage("store"):
        mark_run_complete(options, run_id)
    return result, outputs, True


def run_bundle(bundle: Path, options: RunOptions) -> RunOutcome:
    """Verify one bundle: the CLI's default engine. A file read before (same content, readers
    and templates) is not read again, and report files that already show the result are not
    written again (`--refresh` does both anew)."""
    options = started(options)
    clock = StageClock()
    with clock.stage("store"):
        mark_crashed_runs(options)
    with clock.stage("discover"):
        found, config = discover_bundle(bundle, options)
    options = with_statement(options, config)
    try:
        entries, templates, warnings = template_setup(found, config, options)
        items = [(path, doc) for doc, path in entries]
        with clock.stage("read"):
            extractions, reused = extract_reusing(items, options, templates,
                                                  caps_for(options, config))
        paths = {doc.file: path for doc, path in entries}
        with clock.stage("conclude"):
            result, records = conclude_extractions(extractions, paths, config, options, bundle)
    finally:
        found.cleanup()
    result, outputs, rendered = finish_reusing(result, records, options, clock)
    return RunOutcome(result, records, outputs, warnings, reused=reused, rendered=rendered,
                      seconds=dict(clock.seconds))


@dataclass(frozen=True)
class ReadBundle:
    """A bundle discovered and read, before any claim is judged: what a pre-check concludes
    from, once per language if need be."""

    bundle: Path
    config: BundleConfig
    extractions: list
    paths: dict[str, Path]
    warnings: tuple[str, ...] = ()


def read_bundle(bundle: Path, options: RunOptions) -> ReadBundle:
    """Discover and read every document of the bundle (no claim judged, nothing stored)."""
    found, config = discover_bundle(bundle, options)
    try:
        entries, templates, warnings = template_setup(found, config, options)
        items = [(path, doc) for doc, path in entries]
        extractions, _ = extract_reusing(items, options, templates, caps_for(options, config))
        paths = {doc.file: path for doc, path in entries}
    finally:
        found.cleanup()
    return ReadBundle(bundle, config, extractions, paths, tuple(warnings))


def precheck_read(read: ReadBundle, options: RunOptions):
    """The plant's pre-check of a read bundle: the verifier's rules, then the fix list and the
    monitoring plan's gaps in the options' language (nothing stored, no report written)."""
    from verify.domain.precheck import precheck

    options = started(options)
    result, records = conclude_extractions(read.extractions, read.paths, read.config, options,
                                           read.bundle)
    return precheck(result, read.config.streams, records, result.lang)


def precheck_bundle(bundle: Path, options: RunOptions):
    """Read a bundle and pre-check it (`carbon-verify precheck`)."""
    return precheck_read(read_bundle(bundle, options), options)


REVIEW_FILE = "review.json"


@dataclass(frozen=True)
class ReviewOutcome:
    result: RunResult  # the re-issued result, carrying its review
    outputs: dict[str, Path]


def review_run(run_id: str, decisions_file: Path, out: Path | None, db: str | None = None
               ) -> ReviewOutcome:
    """Re-issue a stored run's report with the verifier's decisions (workpapers.xlsx or
    decisions.yml): stored as a review beside the run, which is never altered; the report files
    and review.json written to `out`. ReviewError for decisions that cannot be applied,
    KeyError for a run that is not stored."""
    import json

    from verify.domain.review import apply_review
    from verify.report.review_columns import read_decisions
    from verify.store import engine_for, load_records, load_run, record_models, save_review

    decisions = read_decisions(decisions_file)
    engine = engine_for(db)
    try:
        result = load_run(engine, run_id)
        records = record_models(load_records(engine, run_id))
        reviewed = apply_review(result, decisions, str(uuid.uuid4()), now_text())
        save_review(engine, reviewed, str(Path(out).resolve()) if out else None)
    finally:
        engine.dispose()
    outputs: dict[str, Path] = {}
    if out is not None:
        outputs = write_outputs_to(reviewed, records, Path(out))
        review = Path(out) / REVIEW_FILE
        review.write_text(json.dumps(reviewed.review.model_dump(mode="json"), ensure_ascii=False,
                                     indent=2) + "\n", "utf-8")
        outputs["review"] = review
    return ReviewOutcome(reviewed, outputs)


def write_bundle_template(root: Path, lang: str = "en") -> list[Path]:
    """A ready bundle folder: the layout (folders, README.txt, bundle.toml) and a blank claim
    workbook in claim/ (`carbon-verify template bundle`)."""
    from extractors.claim_template import write_claim_workbook
    from verify.report.precheck_template import CLAIM_FOLDER, write_layout

    written = write_layout(root, lang)
    claim = Path(root) / CLAIM_FOLDER / "claim.xlsx"
    if not claim.exists():
        written.append(write_claim_workbook(claim, lang))
    return written
