"""Prefect flow `verify_bundle`: the pipeline's steps as tasks, extraction mapped over documents.

Holds no domain logic: each task is one call into `extractors` or `verify`. Extraction is cached
by file SHA-256, so a re-run reads only new or changed files.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from prefect import flow, task, unmapped
from prefect.cache_policies import NO_CACHE

import extractors
import verify
from extractors.templates import digest
from extractors.worker import extract_isolated
from verify.pipeline import (
    RunError,
    RunOptions,
    RunOutcome,
    conclude_extractions,
    discover_bundle,
    finish,
    template_setup,
)


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """A digest of the code and data that turn a file into records: a changed reader, vocabulary
    or record model invalidates every cached extraction, an unchanged one reuses them."""
    digest = hashlib.sha256()
    home = Path(verify.__file__).parent
    roots = [Path(extractors.__file__).parent, home / "model", home / "data"]
    files: list[Path] = []
    for root in roots:
        files += sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".py", ".toml", ".csv", ".yml"))
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _document_key(context, parameters) -> str:
    """Cache extraction by content and extractor version, not by file name."""
    doc = parameters["document"]
    templates = digest(parameters["templates"]) if parameters.get("templates") else "none"
    return f"extract-{extractor_version()}-{templates}-{doc.sha256}-{hashlib.sha256(doc.file.encode()).hexdigest()[:16]}"


@task(cache_policy=NO_CACHE)
def discover_task(bundle: Path):
    return discover_bundle(bundle)


@task(cache_key_fn=_document_key, persist_result=True, retries=0)
def extract_document(path: Path, document, timeout_s: float, templates: tuple[Path, ...] = ()):
    return extract_isolated(path, document, timeout_s=timeout_s, templates=templates)


@task(cache_policy=NO_CACHE)
def conclude_run(extractions: list, paths: dict, config, options: RunOptions, bundle: Path):
    return conclude_extractions(extractions, paths, config, options, bundle)


@task(cache_policy=NO_CACHE)
def store_and_report(result, records: list, options: RunOptions):
    return finish(result, records, options)


@flow(name="verify_bundle", log_prints=True)
def verify_bundle(bundle: Path, options: RunOptions) -> RunOutcome:
    """1 discover  2 extract (mapped)  3 conclude  4 store and report."""
    found, config = discover_task(bundle)
    try:
        entries, templates, warnings = template_setup(found, config, options)
        paths = [path for _, path in entries]
        docs = [doc for doc, _ in entries]
        futures = extract_document.map(paths, docs, timeout_s=options.timeout_s,
                                       templates=unmapped(templates))
        extractions = [f.result() for f in futures]
        result, records = conclude_run(extractions, {d.file: p for d, p in entries},
                                       config, options, bundle)
    finally:
        found.cleanup()
    outputs = store_and_report(result, records, options)
    return RunOutcome(result, records, outputs, warnings)


def run_with_prefect(bundle: Path, options: RunOptions) -> RunOutcome:
    """The CLI's `--engine prefect`: a missing bundle is said before any flow run starts."""
    if not bundle.exists():
        raise RunError(f"bundle {bundle} does not exist: give a folder or a .zip of evidence")
    return verify_bundle(bundle, options)
