"""Records flattened into the rows of the evidence appendix and the workpapers.

Each row keeps the provenance of every value, so a number in the report can name the file,
SHA-256, page and box (or sheet!cell) it was read from. Which columns a table shows is data
(report.toml `[evidence.*]`); this module only knows how each record kind becomes rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from verify.model.records import (
    FuelInvoice,
    LabReport,
    MeterRecord,
    ProductionRecord,
    Provenance,
    Sourced,
    StockRecord,
)
from verify.report.settings import layout


@dataclass(frozen=True)
class EvidenceRow:
    """One row: values by column key and the provenance of each value."""

    values: dict[str, object]
    source: Provenance
    sources: dict[str, Provenance] = field(default_factory=dict)

    def where(self, key: str) -> Provenance:
        return self.sources.get(key, self.source)


@dataclass(frozen=True)
class EvidenceTable:
    name: str
    heading: str  # key into the UI strings
    columns: list[tuple[str, str]]  # (key, number kind, "text" or "id")
    rows: list[EvidenceRow]
    widths: list[float] = field(default_factory=list)  # % per column, then file and position


def _text(value: object) -> object:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _invoice_rows(inv: FuelInvoice) -> Iterator[EvidenceRow]:
    head = {"number": inv.number, "date": _text(inv.date), "seller": inv.seller}
    for line in inv.lines:
        values = head | {
            "description": line.description,
            "stream": line.stream,
            "quantity": line.quantity,
            "unit": line.unit,
            "amount": line.amount,
        }
        sources = {k: inv.where(k) for k in head} | {
            k: line.where(k) for k in ("description", "quantity", "unit", "amount")
        }
        yield EvidenceRow(values, line.where("quantity"), sources)


def _lab_rows(rep: LabReport) -> Iterator[EvidenceRow]:
    head = {
        "report_no": rep.report_no,
        "lab": rep.lab_name,
        "sample": rep.stream or rep.sample_description,
        "date": _text(rep.sampling_date or rep.report_date),
    }
    for r in rep.results:
        values = head | {
            "parameter": r.parameter,
            "value": r.value,
            "unit": r.unit,
            "lab_basis": r.basis.value if r.basis else None,
            "test_method": r.method,
        }
        yield EvidenceRow(values, r.where("value"), {"value": r.where("value")})


def _fields_row(rec: Sourced, keys: Iterable[str], main: str) -> EvidenceRow:
    values = {k: getattr(rec, k) for k in keys}
    return EvidenceRow(values, rec.where(main), {k: rec.where(k) for k in keys})


def _production_rows(rec: ProductionRecord) -> Iterator[EvidenceRow]:
    yield _fields_row(rec, ("period", "product", "quantity", "unit"), "quantity")


def _stock_rows(rec: StockRecord) -> Iterator[EvidenceRow]:
    keys = ("period", "stream", "unit", "opening", "received", "consumed", "outbound", "closing")
    yield _fields_row(rec, keys, "closing")


def _meter_rows(rec: MeterRecord) -> Iterator[EvidenceRow]:
    yield _fields_row(rec, ("period", "stream", "unit", "total"), "total")


ROWS: dict[str, tuple[type, Callable[..., Iterator[EvidenceRow]]]] = {
    "invoices": (FuelInvoice, _invoice_rows),
    "lab": (LabReport, _lab_rows),
    "production": (ProductionRecord, _production_rows),
    "stock": (StockRecord, _stock_rows),
    "meters": (MeterRecord, _meter_rows),
}
"""Table name -> (record class, flattener). A record kind is added by adding one entry here
and one `[evidence.<name>]` table in report.toml."""


def evidence_tables(records: Iterable[object]) -> list[EvidenceTable]:
    """Every evidence table of report.toml, filled from the records of its kind."""
    records = list(records)
    extra = layout()["evidence_widths"]
    tables = []
    for name, spec in layout()["evidence"].items():
        cls, flatten = ROWS[name]
        rows = [row for rec in records if isinstance(rec, cls) for row in flatten(rec)]
        columns = [(key, kind) for key, kind, _ in spec["columns"]]
        widths = [width for _, _, width in spec["columns"]] + [extra["file"], extra["position"]]
        tables.append(EvidenceTable(name, spec["heading"], columns, rows, widths))
    return tables
