"""Stock records (进销存, stock ledger) from spreadsheets: one StockRecord per stream row."""

from __future__ import annotations

from extractors.labels import header_concept
from extractors.provenance import Origin
from extractors.sheets.grid import Cell, Sheet
from extractors.sheets.header import (
    find_header,
    is_total_label,
    merged_down,
    title_period,
    unit_in,
)
from extractors.sheets.why_table import why_empty
from extractors.values.dates import parse_period
from extractors.values.numbers import parse_number
from verify.model.records import Provenance, StockRecord
from verify.model.vocabulary import stream_for

MOVES = ("opening", "received", "consumed", "outbound", "closing")
UNIT_WORDS = ("单位", "unit", "uom")
PERIOD_WORDS = ("期间", "月份", "period", "month", "核算月份")


def _concepts(texts: list[str]) -> dict[int, str]:
    """Column index -> stock concept for the header texts."""
    found = {}
    for i, t in enumerate(texts):
        concept = header_concept("stock", t) if t else None
        if concept in MOVES and concept not in found.values():
            found[i] = concept
    return found


def _num(cell: Cell) -> float | None:
    return float(cell.value) if isinstance(cell.value, int | float) else parse_number(cell.text)


def _unit_col(texts: list[str]) -> int | None:
    return next((i for i, t in enumerate(texts) if t.strip().lower() in UNIT_WORDS), None)


def _period_col(texts: list[str]) -> int | None:
    return next((i for i, t in enumerate(texts) if t.strip().lower() in PERIOD_WORDS), None)


def _row_stream(row: list[Cell], skip: set[int]) -> tuple[str, Cell] | None:
    """The stream a row is about: the first text cell that names one."""
    for i, cell in enumerate(row):
        if i not in skip and isinstance(cell.value, str) and (s := stream_for(cell.text)):
            return s, cell
    return None


def _record(sheet: Sheet, origin: Origin, row: list[Cell], cols: dict[int, str],
            stream: tuple[str, Cell], unit: str, period: str) -> StockRecord:
    """A StockRecord from one row, each movement stamped with its cell."""
    values, sources = {}, {"stream": origin.at_cell(sheet.name, stream[1].ref, stream[1].text)}
    for i, concept in cols.items():
        if i < len(row) and (v := _num(row[i])) is not None:
            values[concept] = v
            sources[concept] = origin.at_cell(sheet.name, row[i].ref, row[i].text)
    source = Provenance(file=origin.file, sha256=origin.sha256,
                        cell=f"{sheet.name}!{row[0].ref}:{row[-1].ref}", text=stream[1].text)
    return StockRecord(source=source, sources=sources, period=period, stream=stream[0],
                       unit=unit, **values)


def read_sheet(sheet: Sheet, origin: Origin, notes: list[str]) -> list[StockRecord]:
    """Every stream row under the stock header of one sheet."""
    h = find_header(sheet, lambda texts: len(_concepts(texts)), 3)
    if h is None:
        return []
    texts = merged_down(sheet, h)
    cols, unit_col, period_col = _concepts(texts), _unit_col(texts), _period_col(texts)
    header_unit = next((u for t in texts if (u := unit_in(t))), None)
    found = title_period(sheet, h - 1) if h > 0 else None
    records = []
    for row in sheet.rows[h + 1:]:
        if any(is_total_label(c.text) for c in row[:2]):
            continue
        stream = _row_stream(row, set(cols) | {unit_col, period_col})
        if stream is None:
            continue
        unit = row[unit_col].text if unit_col is not None and unit_col < len(row) else None
        period = (parse_period(row[period_col].text) if period_col is not None and period_col < len(row)
                  else found[0] if found else None)
        if not period:
            notes.append(f"{sheet.name}!{row[0].ref}: no month found for {stream[1].text}")
            continue
        records.append(_record(sheet, origin, row, cols, stream, unit or header_unit or "t",
                               period))
    return records


def parse(sheets: list[Sheet], origin: Origin) -> tuple[list[StockRecord], list[str]]:
    """Stock rows of every sheet that has a stock header."""
    notes: list[str] = []
    records = [r for sheet in sheets for r in read_sheet(sheet, origin, notes)]
    if not records:
        notes.append(why_empty(sheets, "stock_record"))
    return records, notes
