"""Spreadsheets as grids of cached cell values with their A1 references (XLSX, XLS, CSV).

Used where a reader needs whole small tables (the claim); reading stops after a run of empty
rows so that an inflated used range does not cost time.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field, replace
from pathlib import Path

from openpyxl.utils import get_column_letter

EMPTY_ROWS_STOP = 50
CSV_ENCODINGS = ("utf-8-sig", "gb18030")


@dataclass(frozen=True)
class Grid:
    """One sheet: its name, its rows of values and the document it came from."""

    name: str
    rows: list[list[object]]
    csv: bool = False
    doc: tuple[str, str] = ("", "")
    origin: tuple[int, int] = field(default=(1, 1))

    def ref(self, r: int, c: int) -> str:
        """The cell reference of row r, column c (0-based): "Fuels!E7", or "E7" in a CSV."""
        a1 = f"{get_column_letter(c + self.origin[1])}{r + self.origin[0]}"
        return a1 if self.csv else f"{self.name}!{a1}"

    def with_doc(self, doc: tuple[str, str]) -> Grid:
        return replace(self, doc=doc)


def _trim(rows: list[list[object]]) -> list[list[object]]:
    out, empty = [], 0
    for row in rows:
        if all(v in (None, "") for v in row):
            empty += 1
            if empty >= EMPTY_ROWS_STOP:
                break
        else:
            empty = 0
        out.append(list(row))
    while out and all(v in (None, "") for v in out[-1]):
        out.pop()
    return out


def _xlsx(path: Path, max_rows: int | None) -> list[Grid]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    grids = []
    for name in book.sheet_names:
        sheet = book.get_sheet_by_name(name)
        rows = sheet.to_python(skip_empty_area=False, nrows=max_rows)
        grids.append(Grid(name, _trim([[None if v == "" else v for v in r] for r in rows])))
    return grids


def _decode(data: bytes) -> str:
    for enc in CSV_ENCODINGS:
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise ValueError("CSV is neither UTF-8 nor GBK/GB18030 text")


def _csv(path: Path, max_rows: int | None) -> list[Grid]:
    text = _decode(path.read_bytes())
    rows = [[v if v != "" else None for v in r] for r in csv.reader(io.StringIO(text))]
    return [Grid(path.stem, _trim(rows[:max_rows] if max_rows else rows), csv=True)]


def read_grids(path: Path, max_rows: int | None = None) -> list[Grid]:
    """Every sheet of a workbook, or the one table of a CSV file."""
    if path.suffix.lower() == ".csv":
        return _csv(path, max_rows)
    return _xlsx(path, max_rows)
