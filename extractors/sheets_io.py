"""Spreadsheets as plain grids of values with A1 references, for readers of whole small tables.

A thin view over `extractors.sheets.grid` (one reader of XLSX, XLS and CSV for the project).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from openpyxl.utils import get_column_letter

from extractors.sheets.grid import read_sheets
from extractors.sniff import file_format


@dataclass(frozen=True)
class Grid:
    """One sheet: its name, its rows of values (row 0 is spreadsheet row 1) and its document."""

    name: str
    rows: list[list[object]]
    csv: bool = False
    doc: tuple[str, str] = ("", "")

    def ref(self, r: int, c: int) -> str:
        """The cell reference of row r, column c (0-based): "Fuels!E7", or "E7" in a CSV."""
        a1 = f"{get_column_letter(c + 1)}{r + 1}"
        return a1 if self.csv else f"{self.name}!{a1}"

    def with_doc(self, doc: tuple[str, str]) -> Grid:
        return replace(self, doc=doc)


def read_grids(path: Path, max_rows: int | None = None) -> list[Grid]:
    """Every sheet of a workbook, or the one table of a CSV file."""
    kind = file_format(path)
    if kind not in ("csv", "xlsx", "xls"):
        raise ValueError(f"{path.name} is not a spreadsheet (content looks like {kind})")
    return [Grid(s.name, [[c.value for c in row] for row in s.rows[:max_rows]], csv=kind == "csv")
            for s in read_sheets(path, kind)]
