"""Every output of a run written to one directory: the contract of ARCHITECTURE.md.

The companions are written first (findings.json, records.json, workpapers.xlsx and the evidence
manifest), so that report.pdf can carry them as PDF/A-3 attachments: the archived PDF alone then
holds the statement and everything behind it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path

from pydantic import BaseModel

from verify.model.result import RunResult, to_findings_json
from verify.report.excerpts import SourceFiles
from verify.report.html import render_html
from verify.report.pdf import Attached, render_pdf
from verify.report.statement import Engagement, report_id
from verify.report.workpapers import write_workpapers

OUTPUT_NAMES = {
    "html": "report.html",
    "pdf": "report.pdf",
    "findings": "findings.json",
    "workpapers": "workpapers.xlsx",
    "records": "records.json",
    "manifest": "evidence-manifest.json",
}
ATTACHED = ("findings", "manifest", "workpapers")  # inside report.pdf, in this order
MANIFEST_SCHEMA = "carbon-verify/evidence-manifest/v1"


def records_json(records: Iterable[BaseModel]) -> list[dict]:
    """Records grouped by the file they were read from, in first-seen order."""
    by_file: dict[str, list[dict]] = defaultdict(list)
    for rec in records:
        by_file[rec.source.file].append(rec.model_dump(mode="json"))
    return [{"file": file, "records": recs} for file, recs in by_file.items()]


def evidence_manifest(result: RunResult, engagement: Engagement) -> dict:
    """Every file of the bundle with its full SHA-256, size, kind and status."""
    return {
        "schema": MANIFEST_SCHEMA,
        "report_id": report_id(result, engagement),
        "facility": {"id": result.facility.id, "name": result.facility.name},
        "period": result.period,
        "documents": [
            {"file": d.file, "sha256": d.sha256, "size": d.size, "kind": d.kind.value,
             "pages": d.pages, "status": d.status.value, "error": d.error}
            for d in result.documents
        ],
    }


def _write_json(data: object, path: Path) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def write_outputs(
    result: RunResult, records: Iterable[BaseModel], out_dir: Path, lang: str = "en",
    engagement: Engagement | None = None, files: Mapping[str, Path] | None = None,
) -> dict[str, Path]:
    """Write findings.json, records.json, workpapers.xlsx, evidence-manifest.json, then
    report.html and report.pdf (PDF/A-3b with the first three attached). `files` maps bundle
    names to paths on disk for the evidence excerpts (default: read from `result.bundle`)."""
    records = list(records)
    engagement = engagement or Engagement()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {key: out_dir / name for key, name in OUTPUT_NAMES.items()}
    _write_json(to_findings_json(result), paths["findings"])
    _write_json(records_json(records), paths["records"])
    write_workpapers(result, records, paths["workpapers"], lang)
    _write_json(evidence_manifest(result, engagement), paths["manifest"])
    sources = SourceFiles(result.bundle or None, files)
    try:
        html = render_html(result, records, lang, engagement, sources)
    finally:
        sources.close()
    paths["html"].write_text(html, encoding="utf-8")
    render_pdf(html, paths["pdf"], attachments=[Attached.of(paths[key]) for key in ATTACHED])
    return paths
