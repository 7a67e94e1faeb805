"""Gas meter records from spreadsheets: daily volumes summed per gas for the month."""

from __future__ import annotations

from extractors.provenance import Origin
from extractors.sheets.daily import daily_sums
from extractors.sheets.grid import Sheet
from extractors.sheets.header import unit_in
from verify.model.records import MeterRecord
from verify.model.units import is_known


def _sheet_unit(sheet: Sheet) -> str | None:
    """A unit printed above the table ('单位：万Nm3' or a title with '(万Nm3)')."""
    for row in sheet.rows[:6]:
        for cell in row:
            text = cell.text.replace("：", ":")
            after = text.split(":", 1)[1].strip() if ":" in text else ""
            unit = unit_in(text) or (after if is_known(after) else None)
            if unit:
                return unit
    return None


def parse(sheets: list[Sheet], origin: Origin) -> tuple[list[MeterRecord], list[str]]:
    """One MeterRecord per gas column (and month) of the daily meter sheets."""
    notes: list[str] = []
    records = []
    for sheet in sheets:
        default_unit = _sheet_unit(sheet)
        for col in daily_sums(sheet, origin, ("fuel",), notes):
            unit = col.unit or default_unit
            if col.period is None or unit is None:
                notes.append(f"{sheet.name}: {col.label}: no "
                             f"{'month' if col.period is None else 'unit'} found")
                continue
            records.append(MeterRecord(source=col.source, sources={"total": col.source},
                                       period=col.period, stream=col.stream, unit=unit,
                                       total=col.total, daily_rows=col.days))
    return records, notes
