"""The inbox of a reconciliation, without the orchestrator: which bundles there are, and which
are new or changed since their last run (by their fingerprint in the store).

Kept free of Prefect, so `carbon-verify reconcile` can tell that nothing is to do (every bundle
unchanged, the portfolio as it stands) in a fraction of a second, without starting a flow run.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from extractors.cache import extractor_version, templates_digest
from verify.pipeline import (
    RunOptions,
    discover_bundle,
    mark_crashed_runs,
    outputs_of,
    template_setup,
)

PERIOD = re.compile(r"^\d{4}-\d{2}$")
VERIFIED, UNCHANGED, FAILED = "verified", "unchanged", "failed"


@dataclass
class BundleRun:
    """What became of one bundle in a reconciliation."""

    facility: str
    period: str
    bundle: str
    out: str
    status: str = ""  # verified | unchanged | failed
    reason: str = ""
    run_id: str | None = None
    opinion: str = ""
    claimed_tco2: float | None = None
    verified_tco2: float | None = None
    material: bool | None = None
    misstatements: int = 0
    findings: int = 0
    fingerprint: str = ""
    failed_since: str = ""  # failed before with these very files (a date): not run again


def walk_inbox(inbox: Path, outbox: Path, period: str | None = None) -> list[BundleRun]:
    """Every INBOX/<facility>/<YYYY-MM>/ folder (of one month, if given), in order."""
    runs = []
    for facility in sorted(p for p in inbox.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for month in sorted(p for p in facility.iterdir() if p.is_dir() and PERIOD.match(p.name)):
            if period and month.name != period:
                continue
            runs.append(BundleRun(facility.name, month.name, str(month),
                                  str(outbox / facility.name / month.name)))
    return runs


def fill(run: BundleRun, result, run_id: str | None) -> BundleRun:
    from verify.model.records import Severity

    return replace(run, run_id=run_id or result.run_id, opinion=result.opinion.value,
                   claimed_tco2=result.claimed_total_tco2,
                   verified_tco2=result.verified_total_tco2,
                   material=result.materiality.material, findings=len(result.findings),
                   misstatements=sum(f.severity == Severity.MISSTATEMENT
                                     for f in result.findings))


def bundle_fingerprint(bundle: Path, options: RunOptions) -> str:
    """What a run of this bundle depends on: every file's name and SHA-256, the readers, the
    templates and the settings. Equal fingerprints give equal runs."""
    found, config = discover_bundle(bundle, options)
    try:
        entries, templates, _ = template_setup(found, config, options)
        files = sorted((doc.file, doc.sha256) for doc, _ in entries)
        toml = found.bundle_toml.read_bytes() if found.bundle_toml else b""
    finally:
        found.cleanup()
    settings = {"period": options.period, "lang": options.lang, "method": options.method,
                "materiality": options.materiality_pct, "thresholds": options.thresholds,
                "templates": templates_digest(templates), "readers": extractor_version(),
                "bundle_toml": hashlib.sha256(toml).hexdigest(), "files": files}
    text = json.dumps(settings, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def check(run: BundleRun, options: RunOptions) -> BundleRun:
    """Unchanged (a complete run of this fingerprint whose files stand in the outbox), failed
    before with these very files, or to do (status "")."""
    from verify.store import COMPLETE, FAILED, engine_for, load_run, runs_with_fingerprint

    try:
        fingerprint = bundle_fingerprint(Path(run.bundle), replace(options, period=run.period))
    except Exception as exc:  # an unreadable bundle: it will fail in the run and say why
        return replace(run, reason=str(exc))
    run = replace(run, fingerprint=fingerprint)
    engine = engine_for(options.db)
    try:
        out = str(Path(run.out).resolve())
        for row in runs_with_fingerprint(engine, fingerprint):
            if row.status == COMPLETE and row.out_dir == out and outputs_of(out) == row.run_id:
                return replace(fill(run, load_run(engine, row.run_id), row.run_id),
                               status=UNCHANGED)
            if row.status == FAILED:
                since = row.finished_at.date().isoformat() if row.finished_at else "before"
                return replace(run, status=FAILED, reason=row.error or "", run_id=row.run_id,
                               failed_since=since)
    finally:
        engine.dispose()
    return run


def said(run: BundleRun) -> str:
    """The reason shown for a bundle: a failure not run again says since when."""
    if run.failed_since:
        return f"failed, unchanged since {run.failed_since}: {run.reason}"
    return run.reason



def portfolio_doc(rows: list[dict], bundles: list[BundleRun]) -> dict:
    """What OUTBOX/portfolio.json holds: the rows, and every bundle as it stands (verified or
    failed, not what this reconciliation did)."""
    def stands(b: BundleRun) -> dict:
        d = {k: v for k, v in asdict(b).items() if k != "fingerprint"}
        d["status"] = FAILED if b.status == FAILED else VERIFIED
        d["reason"] = said(b)
        return d

    return {"rows": rows, "bundles": [stands(b) for b in bundles]}


def nothing_to_do(inbox: Path, outbox: Path, period: str | None = None,
                  db: str | None = None) -> tuple[dict, list[BundleRun]] | None:
    """(portfolio.json, bundles) when every bundle of the inbox is unchanged since its last
    run (verified, or failed with the same files) and portfolio.json says so already; else
    None: there is work, or a portfolio to write."""
    inbox, outbox = Path(inbox).resolve(), Path(outbox).resolve()
    found = walk_inbox(inbox, outbox, period)
    if not found:
        return None
    options = RunOptions(db=db)
    if mark_crashed_runs(options):  # the flow marks their Prefect runs too
        return None
    checked = [check(run, options) for run in found]
    if any(c.status != UNCHANGED and not c.failed_since for c in checked):
        return None
    try:
        standing = json.loads((outbox / "portfolio.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not (outbox / "portfolio.xlsx").exists():
        return None
    if standing.get("bundles") != portfolio_doc([], checked)["bundles"]:
        return None
    return standing, checked
