"""Finding a table's header row below title rows, and what each column names.

A header row is the first row (of the first rows) where enough cells name known columns; a
header split over two rows (a merged group cell above) is read as the two texts joined.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from extractors.sheets.grid import Cell, Sheet
from extractors.values.dates import parse_date, parse_period
from verify.model.units import is_known

HEADER_SEARCH_ROWS = 30
_BRACKET = re.compile(r"[（(\[]([^）)\]]+)[)）\]]")
DATE_WORDS = ("日期", "date", "day", "日")
TOTAL_WORDS = ("合计", "总计", "月计", "本月合计", "累计", "total", "sum", "month total")


def texts_with_group(sheet: Sheet, r: int) -> list[str]:
    """Header texts of row r, each prefixed by the (forward-filled) group cell above it."""
    row = [c.text for c in sheet.rows[r]]
    if r == 0:
        return row
    above, filled, last = sheet.rows[r - 1], [], ""
    if sum(1 for c in above if c.text) < 2:
        return row
    for c in above:
        last = c.text or last
        filled.append(last)
    return [f"{a} {b}".strip() if a and a != b else b for a, b in zip(filled, row, strict=False)]


def merged_down(sheet: Sheet, r: int) -> list[str]:
    """Header texts of row r, an empty cell reading as its group text above (a header cell
    merged over both rows keeps its text in the upper one)."""
    row = [c.text for c in sheet.rows[r]]
    return [t or g for t, g in zip(row, texts_with_group(sheet, r), strict=False)]


def find_header(sheet: Sheet, score: Callable[[list[str]], int], minimum: int) -> int | None:
    """Index of the first row whose header texts score at least `minimum`, read alone or with
    the group cells above it (a header over two rows, its cells merged)."""
    for r in range(min(HEADER_SEARCH_ROWS, len(sheet.rows))):
        row = [c.text for c in sheet.rows[r]]
        if max(score(row), score(texts_with_group(sheet, r))) >= minimum:
            return r
    return None


def unit_in(text: str) -> str | None:
    """A known unit printed in brackets in a header: '粗钢产量(t)' -> 't'."""
    for m in _BRACKET.finditer(text):
        if is_known(m.group(1).strip()):
            return m.group(1).strip()
    return None


def as_date(cell: Cell) -> dt.date | None:
    """A cell's value as a date (a real date, or a printed one)."""
    if isinstance(cell.value, dt.datetime):
        return cell.value.date()
    if isinstance(cell.value, dt.date):
        return cell.value
    return parse_date(cell.text) if cell.text else None


def is_date_label(text: str) -> bool:
    t = text.strip().lower()
    return any(t == w or t.startswith(w) for w in DATE_WORDS)


def is_total_label(text: str) -> bool:
    t = re.sub(r"\s", "", text).lower()
    return any(t.startswith(w.replace(" ", "")) for w in TOTAL_WORDS)


def title_period(sheet: Sheet, upto: int) -> tuple[str, Cell] | None:
    """A month printed in the rows above the header (title or period cell), with its cell."""
    for row in sheet.rows[:upto + 1]:
        for cell in row:
            period = parse_period(cell.text) if isinstance(cell.value, str) else None
            if period:
                return period, cell
    return None
