"""Production records from spreadsheets: one ProductionRecord per product for the month."""

from __future__ import annotations

from extractors.provenance import Origin
from extractors.sheets.daily import daily_sums
from extractors.sheets.grid import Sheet
from verify.model.records import ProductionRecord

KINDS = ("product", "process", "fuel")


def parse(sheets: list[Sheet], origin: Origin) -> tuple[list[ProductionRecord], list[str]]:
    """Daily product columns summed per month (the first sheet naming a product wins it)."""
    notes: list[str] = []
    records: dict[tuple[str, str], ProductionRecord] = {}
    for sheet in sheets:
        for col in daily_sums(sheet, origin, KINDS, notes):
            if col.period is None:
                notes.append(f"{sheet.name}: no month found for {col.label}")
                continue
            key = (col.period, col.stream)
            if key not in records:
                records[key] = ProductionRecord(
                    source=col.source, sources={"quantity": col.source}, period=col.period,
                    product=col.stream, quantity=col.total, unit=col.unit or "t",
                    daily_rows=col.days)
    return list(records.values()), notes
