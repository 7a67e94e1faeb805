"""workpapers.xlsx: the report's tables as a verifier's working papers, numbers as numbers.

One sheet per table (Summary, Streams, Findings, Documents and one per evidence table), header
row bold and frozen, every number a cell value with a number format, every evidence row with its
file, page, box or cell and SHA-256 so it can be filtered and traced in Excel.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from verify.model.records import Provenance
from verify.model.result import Compared, RunResult
from verify.report.evidence import EvidenceTable, evidence_tables
from verify.report.formatting import Formatter
from verify.report.review_columns import add_review_columns
from verify.report.settings import strings

Column = tuple[str, str]  # (header, number kind or "text")
WIDTH_MAX = 60
# A text starting with one of these is run by a spreadsheet as a formula, in the workbook or
# once exported to CSV (OWASP CSV injection): =, +, -, @, tab, CR, and their full-width forms.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # no XML 1.0 cell may hold these


def inert(value: object) -> object:
    """A value as a cell holds it: text from a document (a seller, a goods name, a file name)
    that a spreadsheet would run is kept as text behind a leading apostrophe, and control
    characters a PDF may carry are written as escapes (`\\x1f`); numbers stay numbers."""
    if not isinstance(value, str):
        return value
    value = CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _sheet(
    wb: Workbook, title: str, columns: Sequence[Column], rows: Iterable[Sequence], fmt: Formatter
) -> Worksheet:
    """A sheet with a bold frozen header, numbers formatted by kind, columns sized to fit."""
    ws = wb.create_sheet(title)
    ws.append([header for header, _ in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    for row in rows:
        ws.append([inert(value) for value in row])
    for idx, (_, kind) in enumerate(columns, start=1):
        letter = get_column_letter(idx)
        if kind != "text":
            for (cell,) in ws.iter_rows(min_row=2, min_col=idx, max_col=idx):
                cell.number_format = fmt.excel_format(kind)
        width = max(
            (
                len(str(c.value))
                for (c,) in ws.iter_rows(min_col=idx, max_col=idx)
                if c.value is not None
            ),
            default=8,
        )
        ws.column_dimensions[letter].width = min(WIDTH_MAX, width + 2)
    return ws


def _where(t: dict) -> list[Column]:
    c = t["col"]
    return [
        (c["file"], "text"),
        (c["page"], "text"),
        (c["bbox"], "text"),
        (c["cell"], "text"),
        (c["ocr_confidence"], "confidence"),
        (c["sha256"], "text"),
    ]


def _where_values(p: Provenance, fmt: Formatter) -> list:
    return [p.file, p.page, fmt.bbox(p.bbox) or None, p.cell,
            p.confidence if p.ocr else None, p.sha256]


def _pair(c: Compared | None) -> list:
    return [None, None, None] if c is None else [c.claimed, c.evidenced, c.unit]


def _summary(wb: Workbook, r: RunResult, t: dict, fmt: Formatter) -> None:
    m = r.materiality
    rows = [
        (t["facility_id"], r.facility.id),
        (t["facility_name"], r.facility.name),
        (t["period"], r.period),
        (t["method"], r.method),
        (t["run_id"], r.run_id),
        (t["opinion_heading"], t["opinion"][r.opinion.value]),
        (t["reason"], r.opinion_reason),
        (t["claimed_total"], r.claimed_total_tco2),
        (t["verified_total"], r.verified_total_tco2),
        (t["threshold"] + " (%)", m.threshold_pct),
        (t["misstatement_reported"], m.reported_tco2),
        (t["misstatement_within_tolerance"], m.within_tolerance_tco2),
        (t["misstatement_tieout"], m.tieout_tco2),
        (t["misstatement_omitted"], m.omitted_tco2),
        (t["misstatement"], m.misstatement_tco2),
        (t["misstatement_pct"], m.misstatement_pct),
        (t["material"], t["yes"] if m.material else t["no"]),
        (t["crude_steel"], r.crude_steel_t),
    ] + [(key, value) for key, value in r.thresholds.items()]
    ws = _sheet(
        wb,
        t["sheet"]["summary"],
        [(t["col"]["label"], "text"), (t["col"]["item_value"], "text")],
        rows,
        fmt,
    )
    for (cell,) in ws.iter_rows(min_row=2, min_col=2, max_col=2):
        if isinstance(cell.value, float):
            cell.number_format = fmt.excel_format("tco2")


def _streams(wb: Workbook, r: RunResult, t: dict, fmt: Formatter) -> None:
    c = t["col"]
    columns = [
        (c["stream"], "text"),
        (c["label"], "text"),
        (c["kind"], "text"),
        (c["period"], "text"),
        (f"{c['activity']} {c['claimed']}", "activity"),
        (f"{c['activity']} {c['evidenced']}", "activity"),
        (c["unit"], "text"),
        (f"{c['ncv']} {c['claimed']}", "ncv"),
        (f"{c['ncv']} {c['evidenced']}", "ncv"),
        (f"{c['ncv']} {c['unit']}", "text"),
        (f"{c['cc']} {c['claimed']}", "carbon_content"),
        (f"{c['cc']} {c['evidenced']}", "carbon_content"),
        (f"{c['cc']} {c['unit']}", "text"),
        (c["tco2_claimed"], "tco2"),
        (c["tco2_verified"], "tco2"),
        (c["difference"], "tco2"),
        (c["basis"], "text"),
    ]
    rows = [
        [
            s.name,
            s.label,
            s.kind,
            s.period or r.period,
            *_pair(s.activity),
            *_pair(s.ncv),
            *_pair(s.carbon_content),
            s.claimed_tco2,
            s.verified_tco2,
            round(s.claimed_tco2 - s.verified_tco2, 6),
            s.basis,
        ]
        for s in r.streams
    ]
    _sheet(wb, t["sheet"]["streams"], columns, rows, fmt)


def _findings(wb: Workbook, r: RunResult, t: dict, fmt: Formatter) -> None:
    """One row per (finding, evidence reference); a finding without evidence has one row."""
    c = t["col"]
    columns = [
        (c["id"], "text"),
        (c["rule"], "text"),
        (c["severity"], "text"),
        (c["stream"], "text"),
        (c["period"], "text"),
        (c["message"], "text"),
        (c["impact"], "tco2"),
        (c["claimed"], "general"),
        (c["evidenced"], "general"),
        (c["difference"], "general"),
        *_where(t),
    ]
    rows = []
    for i, f in enumerate(r.findings):
        head = [
            r.finding_id(i),
            f.rule,
            f.severity.value,
            f.stream,
            f.period or r.period,
            f.message,
            f.impact_tco2,
            f.claimed,
            f.evidenced,
            f.difference,
        ]
        refs = [_where_values(p, fmt) for p in f.evidence] or [[None] * 5]
        rows.extend(head + ref for ref in refs)
    _sheet(wb, t["sheet"]["findings"], columns, rows, fmt)
    add_review_columns(wb[t["sheet"]["findings"]], r, t)


def _documents(wb: Workbook, r: RunResult, t: dict, fmt: Formatter) -> None:
    c = t["col"]
    columns = [
        (c["no"], "text"),
        (c["file"], "text"),
        (c["doc_kind"], "text"),
        (c["pages"], "text"),
        (c["status"], "text"),
        (c["error"], "text"),
        (c["sha256"], "text"),
    ]
    rows = [
        [n, d.file, d.kind.value, d.pages, d.status.value, d.error, d.sha256]
        for n, d in enumerate(r.documents, start=1)
    ]
    _sheet(wb, t["sheet"]["documents"], columns, rows, fmt)


def _evidence(wb: Workbook, table: EvidenceTable, t: dict, fmt: Formatter) -> None:
    columns = [(t["col"][key], kind) for key, kind in table.columns] + _where(t)
    rows = [
        [row.values[key] for key, _ in table.columns] + _where_values(row.source, fmt)
        for row in table.rows
    ]
    _sheet(wb, t["sheet"][table.name], columns, rows, fmt)


def write_workpapers(
    result: RunResult, records: Iterable[object], out: Path, lang: str = "en"
) -> Path:
    """Write workpapers.xlsx for a run; headers in `lang`, sheet names stable."""
    t = strings(lang)
    fmt = Formatter(t)
    wb = Workbook()
    wb.remove(wb.active)
    for write in (_summary, _streams, _findings, _documents):
        write(wb, result, t, fmt)
    for table in evidence_tables(records):
        _evidence(wb, table, t, fmt)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out
