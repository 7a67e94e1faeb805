"""Write the claim template as XLSX: blank for a plant to fill, or filled for tests and samples.

Labels come from the same data file the reader uses, so the two cannot drift apart.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from extractors.claim import template

LANGS = {"en": 0, "zh": 1}


def _label(labels: list[str], lang: str) -> str:
    return labels[LANGS[lang]]


def write_claim_workbook(out: Path, lang: str = "en", summary: dict | None = None,
                         fuels: list[dict] = (), process: list[dict] = (),
                         products: list[dict] = ()) -> Path:
    """The claim template with optional values; keys are the template's field names."""
    t = template()
    book = Workbook()
    sheet = book.active
    sheet.title = _label(t["summary"]["sheet"], lang)
    for field, labels in t["summary"]["rows"].items():
        sheet.append([_label(labels, lang), (summary or {}).get(field)])
    sheet.column_dimensions["A"].width = 28
    for key, rows in (("fuels", fuels), ("process", process), ("products", products)):
        ws = book.create_sheet(_label(t["sheets"][key], lang))
        columns = t[key]
        ws.append([_label(c["labels"], lang) for c in columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append([row.get(c["field"]) for c in columns])
        ws.freeze_panes = "A2"
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)
    return out
