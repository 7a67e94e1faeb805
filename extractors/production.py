"""Production records from spreadsheets: one ProductionRecord per product for the month.

Two shapes: daily sheets (one row a day, summed per product column) and monthly ledgers (one
row a product or material under title rows, the month's figure in its own column). A ledger row
of a material charged (limestone, dolomite: data/ledger.toml) is what the month consumed of it: a StockRecord
with only `consumed`, the evidence the process rows of a claim are checked against.
"""

from __future__ import annotations

from extractors.provenance import Origin
from extractors.sheets.daily import daily_sums
from extractors.sheets.grid import Sheet
from extractors.sheets.ledger import LedgerRow, ledger_rows, spec
from extractors.sheets.why_table import why_empty
from verify.model.records import ProductionRecord, StockRecord

KINDS = ("product", "process", "fuel")


def _from_ledger(row: LedgerRow) -> ProductionRecord | StockRecord:
    if row.stream in spec()["consumed"]["streams"]:
        return StockRecord(source=row.source, sources={"consumed": row.source,
                                                       "stream": row.label_source},
                           period=row.period, stream=row.stream, unit=row.unit,
                           consumed=row.quantity)
    return ProductionRecord(source=row.source, sources={"quantity": row.source,
                                                        "product": row.label_source},
                            period=row.period, product=row.stream, quantity=row.quantity,
                            unit=row.unit)


def parse(sheets: list[Sheet], origin: Origin) -> tuple[list, list[str]]:
    """Daily product columns summed per month, else a ledger's rows (the first sheet naming a
    product for a month wins it)."""
    notes: list[str] = []
    records: dict[tuple[str, str], ProductionRecord | StockRecord] = {}
    for sheet in sheets:
        found = []
        for col in daily_sums(sheet, origin, KINDS, notes):
            if col.period is None:
                notes.append(f"{sheet.name}: no month found for {col.label}")
                continue
            found.append(ProductionRecord(
                source=col.source, sources={"quantity": col.source}, period=col.period,
                product=col.stream, quantity=col.total, unit=col.unit or "t",
                daily_rows=col.days))
        if not found:
            found = [_from_ledger(row) for row in ledger_rows(sheet, origin, KINDS, notes)]
        for rec in found:
            key = (rec.period, getattr(rec, "product", None) or getattr(rec, "stream", ""))
            records.setdefault(key, rec)
    if not records:
        notes.append(why_empty(sheets, "production_record"))
    return list(records.values()), notes
