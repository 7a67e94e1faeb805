"""Every output of a run written to one directory: the contract of ARCHITECTURE.md."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel

from verify.model.result import RunResult, to_findings_json
from verify.report.html import render_html
from verify.report.pdf import render_pdf
from verify.report.workpapers import write_workpapers

OUTPUT_NAMES = {
    "html": "report.html",
    "pdf": "report.pdf",
    "findings": "findings.json",
    "workpapers": "workpapers.xlsx",
    "records": "records.json",
}


def records_json(records: Iterable[BaseModel]) -> list[dict]:
    """Records grouped by the file they were read from, in first-seen order."""
    by_file: dict[str, list[dict]] = defaultdict(list)
    for rec in records:
        by_file[rec.source.file].append(rec.model_dump(mode="json"))
    return [{"file": file, "records": recs} for file, recs in by_file.items()]


def _write_json(data: object, path: Path) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def write_outputs(
    result: RunResult, records: Iterable[BaseModel], out_dir: Path, lang: str = "en"
) -> dict[str, Path]:
    """Write report.html, report.pdf, findings.json, workpapers.xlsx and records.json."""
    records = list(records)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {key: out_dir / name for key, name in OUTPUT_NAMES.items()}
    html = render_html(result, records, lang)
    paths["html"].write_text(html, encoding="utf-8")
    render_pdf(html, paths["pdf"])
    _write_json(to_findings_json(result), paths["findings"])
    write_workpapers(result, records, paths["workpapers"], lang)
    _write_json(records_json(records), paths["records"])
    return paths
