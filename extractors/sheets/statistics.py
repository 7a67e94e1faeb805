"""Statistical tables (country x year, as USGS and worldsteel publish them): not plant evidence.

Such a table counts whole countries' output by year; it names crude steel or cement and so looks
like a production record, but no row of it is a plant's month. It is refused with what showed
it (the header with its years, the places listed) instead of being read as "0 records". Words
in data/statistics.toml.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources

from extractors.sheets.grid import Cell, Sheet
from extractors.sheets.header import HEADER_SEARCH_ROWS

_YEAR = re.compile(r"^(19|20)\d{2}\s*[a-zA-Z]?$")  # 2023, 2023e, 2024p


@lru_cache(maxsize=1)
def spec() -> dict:
    text = resources.files("extractors").joinpath("data", "statistics.toml").read_text("utf-8")
    return tomllib.loads(text)


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\n", " ")).strip().lower().rstrip(":*")


def _years(row: list[Cell]) -> list[str]:
    """Cells printing a year (never with a thousands separator: '2,000' is an amount)."""
    return [c.text for c in row if _YEAR.match(c.text)]


def _is_place(cell: Cell) -> bool:
    text = re.sub(r"[\d()*,.]+$", "", _fold(cell.text)).strip()
    return isinstance(cell.value, str) and text in spec()["places"]


def statistical_table(sheet: Sheet) -> str | None:
    """What shows a sheet is a country x year table, or None."""
    s = spec()
    for r, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        years = _years(row)
        if len(years) < s["min_years"]:
            continue
        first = min(i for i, c in enumerate(row) if c.text in years)
        label_col = next((i for i in range(first) if row[i].text), 0)
        header = row[label_col].text if label_col < len(row) else ""
        places = [rw[label_col].text for rw in sheet.rows[r + 1:r + 80]
                  if label_col < len(rw) and _is_place(rw[label_col])]
        named = _fold(header) in s["place_headers"]
        if len(places) >= s["min_places"] or (named and places):
            shown = " / ".join(t for t in (header, *years[:4]) if t)
            more = f" ... {years[-1]}" if len(years) > 4 else ""
            return (f"sheet {sheet.name!r} row {r + 1}: {shown}{more}; rows "
                    + ", ".join(places[:4]))
    return None


def statistics_reason(sheets: list[Sheet]) -> str | None:
    """The reason a workbook is a statistical table, not plant evidence, or None."""
    for sheet in sheets:
        seen = statistical_table(sheet)
        if seen is not None:
            return ("a statistical table of countries by year, not plant evidence (" + seen
                    + "): national or world figures, no plant's month")
    return None
