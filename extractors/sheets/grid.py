"""Read a workbook or CSV into sheets of cells, each cell knowing its "B7" reference.

Formulas are read as their cached values; reading stops after a run of empty rows so an
inflated used range (a stray format on row 1,048,576) costs nothing. A sheet longer or wider
than the caps is read up to them and says what was left (`Sheet.cut`), so the verifier is told.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import io
import math
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from openpyxl.utils import get_column_letter

from extractors.caps import active, how_to_raise
from extractors.sheets.html_table import declared_charset, html_rows, looks_like_html

MAX_EMPTY_ROWS = 50


@dataclass(frozen=True)
class Cell:
    """A cell's value (str, float, date or None) and its reference."""

    value: object
    ref: str

    @property
    def text(self) -> str:
        if self.value is None:
            return ""
        if isinstance(self.value, float) and self.value.is_integer():
            return str(int(self.value))
        if isinstance(self.value, dt.datetime):
            return self.value.date().isoformat()
        return str(self.value).strip()


@dataclass
class Sheet:
    name: str
    rows: list[list[Cell]]
    cut: str | None = None  # what a cap left unread, e.g. "rows after 5000"


def _as_read(value: object) -> object:
    """A cell's value as readers may take it: "" as empty, and a non-finite number (an XLSX may
    store 1e999 or NaN, which no plant measured) as its text, so no reader takes it as a figure."""
    if value == "":
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


def _filled(values) -> bool:
    return any(v not in (None, "") for v in values)


def _sheet(name: str, values, max_rows: int | None = None) -> Sheet:
    """A sheet of cells from rows of values, stopping after many empty rows; rows past the
    sheet_rows cap and columns past sheet_cols that hold values are named in `cut`."""
    max_rows = max_rows or active().sheet_rows
    max_cols = active().sheet_cols
    rows, empty, wide = [], 0, False
    values = iter(values)
    for r, row in enumerate(values, start=1):
        row = list(row)
        wide = wide or _filled(row[max_cols:])
        cells = [Cell(_as_read(v), f"{get_column_letter(c)}{r}")
                 for c, v in enumerate(row[:max_cols], start=1)]
        if all(c.value is None for c in cells):
            empty += 1
            if empty >= MAX_EMPTY_ROWS:
                break
        else:
            empty = 0
        rows.append(cells)
        if r >= max_rows:
            break
    # rows left past the cap count when one holds a value before the empty-row stop would come
    more = len(rows) >= max_rows and any(_filled(row) for row in islice(values, MAX_EMPTY_ROWS))
    while rows and all(c.value is None for c in rows[-1]):
        rows.pop()
    cut = []
    if more:
        cut.append(f"rows after {max_rows} ({how_to_raise('sheet_rows')})")
    if wide:
        cut.append(f"columns after {get_column_letter(max_cols)} ({how_to_raise('sheet_cols')})")
    return Sheet(name, rows, "; ".join(cut) or None)


def read_xlsx(path: Path) -> list[Sheet]:
    """Sheets of an XLSX workbook (cached values of formulas), read-only."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        return [_sheet(ws.title, ws.iter_rows(values_only=True)) for ws in wb.worksheets]
    finally:
        wb.close()


def read_calamine(path: Path) -> list[Sheet]:
    """Sheets of an XLS (or any format calamine reads)."""
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    return [_sheet(name, wb.get_sheet_by_name(name).to_python(skip_empty_area=False))
            for name in wb.sheet_names]


def decode(data: bytes) -> str:
    """Text-table bytes as text: UTF-16 by its BOM (Excel's "Unicode text"), UTF-8 (with or
    without BOM), the charset an HTML page declares, else GB18030 (a superset of GBK)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", declared_charset(data), "gb18030"):
        try:
            if encoding:
                return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return str(best) if best is not None else data.decode("latin-1")


def read_csv(path: Path) -> list[Sheet]:
    """A text table as one sheet named after the file: delimited text, or the tables of an HTML
    page (what many ERP systems save as .xls; see `html_table`)."""
    text = decode(path.read_bytes())
    if looks_like_html(text):
        return [_sheet(path.stem, html_rows(text))]
    return [_sheet(path.stem, csv.reader(io.StringIO(text), _dialect(text)))]


def _dialect(text: str) -> type[csv.Dialect]:
    """csv's sniffer, else the separator most of the first lines carry, a tab first (the sniffer
    gives up on tab-separated text whose numbers print as 12,000)."""
    with contextlib.suppress(csv.Error):
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    lines = text[:4096].splitlines()
    sep = max("\t;,", key=lambda d: sum(d in line for line in lines))
    return csv.excel_tab if sep == "\t" else type("sniffed", (csv.excel,), {"delimiter": sep})


def read_sheets(path: Path, kind: str) -> list[Sheet]:
    """Sheets of a spreadsheet file whose format was recognised by its bytes."""
    if kind == "csv":
        return read_csv(path)
    if kind == "xlsx":
        return read_xlsx(path)
    return read_calamine(path)
