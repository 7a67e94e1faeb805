"""Daily sheets (one row a day, one column a product or gas) summed per column for the month.

Shared by production and meter records: the header names a date column and stream columns;
day rows are the rows whose date cell reads as a date; a total row, when printed, is checked
against the sum (a mismatch is a note; the sum of the days is kept).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from extractors.provenance import Origin
from extractors.sheets.grid import Sheet
from extractors.sheets.header import (
    as_date,
    find_header,
    is_date_label,
    is_total_label,
    texts_with_group,
    title_period,
    unit_in,
)
from extractors.values.numbers import parse_number
from verify.model.records import Provenance
from verify.model.vocabulary import stream_for


@dataclass
class ColumnSum:
    stream: str
    unit: str | None
    total: float
    days: int
    period: str | None
    source: Provenance
    label: str


def _stream_columns(texts: list[str], kinds: tuple[str, ...]) -> dict[int, str]:
    """Column index -> stream for header texts that name a stream of the given kinds."""
    found = {}
    for i, text in enumerate(texts):
        stream = stream_for(text, kinds) if text and not is_date_label(text) else None
        if stream and stream not in found.values():
            found[i] = stream
    return found


def _header_score(kinds: tuple[str, ...]):
    def score(texts: list[str]) -> int:
        has_date = any(is_date_label(t) for t in texts if t)
        return (len(_stream_columns(texts, kinds)) + 1) if has_date else 0
    return score


def _num(cell) -> float | None:
    return float(cell.value) if isinstance(cell.value, int | float) else parse_number(cell.text)


def _range(sheet: Sheet, rows: list[int], col: int) -> str:
    first, last = sheet.rows[rows[0]][col].ref, sheet.rows[rows[-1]][col].ref
    return f"{first}:{last}"


def daily_sums(sheet: Sheet, origin: Origin, kinds: tuple[str, ...],
               notes: list[str]) -> list[ColumnSum]:
    """Per stream column: the month's sum of the day rows, checked against any total row."""
    h = find_header(sheet, _header_score(kinds), 2)
    if h is None:
        return []
    texts = texts_with_group(sheet, h)
    date_col = next(i for i, t in enumerate(texts) if is_date_label(t.split()[-1] if t else ""))
    columns = _stream_columns(texts, kinds)
    days, total_row = [], None
    for r in range(h + 1, len(sheet.rows)):
        row = sheet.rows[r]
        if date_col < len(row) and as_date(row[date_col]) is not None:
            days.append(r)
        elif any(is_total_label(c.text) for c in row[:date_col + 2]):
            total_row = r
            break
    if not days:
        return []
    months = Counter(f"{as_date(sheet.rows[r][date_col]):%Y-%m}" for r in days)
    period = months.most_common(1)[0][0] if months else None
    if period is None and (found := title_period(sheet, h)):
        period = found[0]
    return [_column(sheet, origin, col, stream, texts[col], days, total_row, period, notes)
            for col, stream in columns.items()]


def _column(sheet: Sheet, origin: Origin, col: int, stream: str, label: str, days: list[int],
            total_row: int | None, period: str | None, notes: list[str]) -> ColumnSum:
    """One stream column summed, with provenance on the total cell or the day range."""
    values = [_num(sheet.rows[r][col]) for r in days if col < len(sheet.rows[r])]
    total = round(sum(v for v in values if v is not None), 6)
    counted = sum(1 for v in values if v is not None)
    where = f"{sheet.name}!{_range(sheet, days, col)}"
    source = Provenance(file=origin.file, sha256=origin.sha256, cell=where, text=label)
    if total_row is not None and col < len(sheet.rows[total_row]):
        cell = sheet.rows[total_row][col]
        printed = _num(cell)
        if printed is not None:
            source = origin.at_cell(sheet.name, cell.ref, cell.text)
            if abs(printed - total) > max(0.01, 1e-6 * abs(total)):
                notes.append(f"{sheet.name}!{cell.ref}: total row says {printed:g}, "
                             f"the {counted} days sum to {total:g} (the sum is kept)")
    return ColumnSum(stream, unit_in(label), total, counted, period, source, label)
