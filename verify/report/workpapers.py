"""workpapers.xlsx: the verification as a workbook that recalculates, numbers as numbers.

Sheets, in order: Summary (totals and materiality as formulas over the stream sheets), one
recalculation sheet per stream (named in the report's language; verify/report/
workpapers_streams.py), Findings, Documents and one sheet per evidence table. Every stored
figure holds what the report prints; every evidence row names its file, page, box or cell and
SHA-256; text from documents is written as text (`inert`), so the only formulas are the ones
built here.

The Findings sheet's title follows the language (strings [sheet] findings); its code name is
"Findings" in every language (workpapers.toml [sheets] findings_code), its first column holds
the stable finding id of findings.json ("F-001"), and `_findings` returns the sheet so that
further columns can be added to it by one call.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from verify.model.records import Finding, Provenance
from verify.model.result import RunResult
from verify.report.evidence import EvidenceTable, evidence_tables
from verify.report.formatting import Formatter
from verify.report.review_columns import add_review_columns
from verify.report.settings import strings
from verify.report.workpapers_cells import (
    FORMULA_STARTS,
    conventions,
    fit_columns,
    header,
    inert,
    printable,
    put,
    sheet_title,
)
from verify.report.workpapers_streams import stream_name, stream_sheets
from verify.report.workpapers_summary import summary_sheet

__all__ = ["FORMULA_STARTS", "inert", "write_workpapers"]

Column = tuple[str, str]  # (header, number kind, "text" or "id")
TEXT_KINDS = ("text", "id")  # written as text, never as a number


def sheet_name(t: dict, key: str) -> str:
    """A fixed sheet's name in the report's language (strings [wp.sheet], else [sheet])."""
    return t["wp"].get("sheet", {}).get(key) or t["sheet"][key]


def _sheet(wb: Workbook, title: str, columns: Sequence[Column], rows: Iterable[Sequence],
           fmt: Formatter, taken: set[str]) -> Worksheet:
    """A sheet with a bold frozen header, figures rounded as printed, columns sized to fit."""
    ws = wb.create_sheet(sheet_title(title, taken))
    header(ws, 1, [label for label, _ in columns])
    ws.freeze_panes = "A2"
    for r, row in enumerate(rows, start=2):
        for c, (value, (_, kind)) in enumerate(zip(row, columns, strict=True), start=1):
            places = None if kind in TEXT_KINDS else fmt.decimals[kind]
            put(ws, r, c, float(value) if isinstance(value, int | float) and places is not None
                and not isinstance(value, bool) else value, places)
    fit_columns(ws)
    return ws


def _where(t: dict) -> list[Column]:
    c = t["col"]
    return [(c["file"], "text"), (c["page"], "text"), (c["bbox"], "text"), (c["cell"], "text"),
            (c["ocr_confidence"], "confidence"), (c["sha256"], "text")]


def _where_values(p: Provenance, fmt: Formatter) -> list:
    return [p.file, p.page, fmt.bbox(p.bbox) or None, p.cell,
            p.confidence if p.ocr else None, p.sha256]


def _evidence_text(f: Finding, fmt: Formatter) -> tuple[str | None, str | None]:
    """A finding's evidence in one cell (file and position, one per line) and the SHA-256 of
    each file, in the same order."""
    groups = fmt.grouped(f.evidence)
    if not groups:
        return None, None
    where = "\n".join(f"{file} {' '.join(positions)}".strip() for file, _sha, positions in groups)
    return where, "\n".join(sha for _file, sha, _positions in groups)


def _findings(wb: Workbook, r: RunResult, t: dict, fmt: Formatter, taken: set[str]) -> Worksheet:
    """One row per finding, its stable id ("F-001", as in findings.json) in the first column."""
    c = t["col"]
    columns = [(t["wp"]["finding_id"], "text"), (c["rule"], "text"), (c["severity"], "text"),
               (c["stream"], "text"), (c["period"], "text"), (c["message"], "text"),
               (c["impact"], "tco2"), (c["claimed"], "general"), (c["evidenced"], "general"),
               (c["difference"], "general"), (t["wp"]["evidence"], "text"),
               (c["sha256"], "text")]
    rows = [[r.finding_id(i), f.rule, t["severity"].get(f.severity.value, f.severity.value),
             stream_name(f.stream, t) if f.stream else None, f.period or r.period, f.message,
             f.impact_tco2, f.claimed, f.evidenced, f.difference, *_evidence_text(f, fmt)]
            for i, f in enumerate(r.findings)]
    ws = _sheet(wb, sheet_name(t, "findings"), columns, rows, fmt, taken)
    ws.sheet_properties.codeName = conventions()["sheets"]["findings_code"]
    add_review_columns(ws, r, t)
    return ws


def _documents(wb: Workbook, r: RunResult, t: dict, fmt: Formatter, taken: set[str]) -> None:
    c = t["col"]
    columns = [(c["no"], "text"), (c["file"], "text"), (c["doc_kind"], "text"),
               (c["pages"], "text"), (c["status"], "text"), (c["error"], "text"),
               (c["sha256"], "text")]
    rows = [[n, d.file, t["doc_kind"].get(d.kind.value, d.kind.value), d.pages,
             t["doc_status"].get(d.status.value, d.status.value), d.error, d.sha256]
            for n, d in enumerate(r.documents, start=1)]
    _sheet(wb, sheet_name(t, "documents"), columns, rows, fmt, taken)


def _evidence(wb: Workbook, table: EvidenceTable, t: dict, fmt: Formatter,
              taken: set[str]) -> None:
    columns = [(t["col"][key], kind) for key, kind in table.columns] + _where(t)
    rows = [[row.values[key] for key, _ in table.columns] + _where_values(row.source, fmt)
            for row in table.rows]
    _sheet(wb, sheet_name(t, table.name), columns, rows, fmt, taken)


def write_workpapers(
    result: RunResult, records: Iterable[object], out: Path, lang: str = "en"
) -> Path:
    """Write workpapers.xlsx for a run: labels and sheet names in `lang`, the recalculation as
    live formulas."""
    t = strings(lang)
    fmt = Formatter(t)
    records = list(records)
    wb = Workbook()
    wb.remove(wb.active)
    taken = {sheet_name(t, "summary")}  # the Summary is put first once the streams are known
    sheets = stream_sheets(wb, result, records, t, fmt, taken)
    summary_sheet(wb, result, t, fmt, sheet_name(t, "summary"), sheets)
    _findings(wb, result, t, fmt, taken)
    _documents(wb, result, t, fmt, taken)
    for table in evidence_tables(records):
        _evidence(wb, table, t, fmt, taken)
    for ws in wb.worksheets:
        printable(ws)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out
