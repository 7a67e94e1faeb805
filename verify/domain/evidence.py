"""What the bundle shows for one stream in one month: invoices, stock, meter, lab values.

Pure functions over records. The rules and the verified figures both read from here, so that a
duplicate invoice or an out-of-period one is decided once (docs/verification.md, steps 1-5).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from verify.domain import calculation
from verify.model import units
from verify.model.periods import month_bounds, month_of
from verify.model.records import (
    Basis,
    FuelInvoice,
    InvoiceLine,
    LabReport,
    MeterRecord,
    ProductionRecord,
    Provenance,
    StockRecord,
)
from verify.model.vocabulary import streams


@dataclass(frozen=True)
class InvoiceItem:
    """One invoice line for a stream, with its quantity in the stream's activity unit."""

    invoice: FuelInvoice
    line: InvoiceLine
    quantity: float | None  # None when the printed unit cannot be converted

    @property
    def key(self) -> tuple:
        return (self.invoice.code or "", self.invoice.number)

    @property
    def twin_key(self) -> tuple:
        """Seller + date + quantity + amount: the same delivery invoiced under another number."""
        return (self.invoice.seller, self.invoice.date, self.line.quantity, self.line.amount)


@dataclass(frozen=True)
class InvoiceEvidence:
    """Invoice lines of one stream and month, sorted into counted, duplicate and out of period."""

    counted: list[InvoiceItem] = field(default_factory=list)
    duplicates: list[tuple[InvoiceItem, InvoiceItem]] = field(default_factory=list)  # (dup, first)
    out_of_period: list[InvoiceItem] = field(default_factory=list)
    unconvertible: list[InvoiceItem] = field(default_factory=list)

    @property
    def purchased(self) -> float | None:
        """Sum of counted quantities, or None when the bundle has no invoice for the stream."""
        if not self.counted:
            return None
        return sum(i.quantity or 0.0 for i in self.counted)

    def provenance(self) -> list[Provenance]:
        return [i.line.where("quantity") for i in self.counted]


def _item(inv: FuelInvoice, line: InvoiceLine, stream: str) -> InvoiceItem:
    unit = streams()[stream].unit
    try:
        qty = units.to_activity(line.quantity, line.unit or unit, unit) if line.quantity is not None else None
    except (ValueError, TypeError):  # unknown unit, or another dimension
        qty = None
    return InvoiceItem(inv, line, qty)


def invoice_items(invoices: list[FuelInvoice], stream: str) -> list[InvoiceItem]:
    """Every invoice line naming the stream, in document order."""
    return [_item(inv, ln, stream) for inv in invoices for ln in inv.lines if ln.stream == stream]


def invoice_evidence(invoices: list[FuelInvoice], stream: str, month: str) -> InvoiceEvidence:
    """Sort a stream's invoice lines for a month: counted once, duplicates, out of period."""
    first, last = month_bounds(month)
    ev = InvoiceEvidence()
    seen: dict[tuple, InvoiceItem] = {}
    for item in invoice_items(invoices, stream):
        day = item.invoice.date
        if day is not None and not first <= day <= last:
            ev.out_of_period.append(item)
            continue
        twin = seen.get(("no",) + item.key) or seen.get(("twin",) + item.twin_key)
        if twin is not None and twin.invoice is not item.invoice:
            ev.duplicates.append((item, twin))
            continue
        seen[("no",) + item.key] = item
        if all(v is not None for v in item.twin_key):
            seen[("twin",) + item.twin_key] = item
        (ev.counted if item.quantity is not None else ev.unconvertible).append(item)
    return ev


def stock_for(records: list[StockRecord], stream: str, month: str) -> StockRecord | None:
    """The stock record of a stream for a month, if the bundle has one."""
    return next((r for r in records if r.stream == stream and r.period == month), None)


def meter_for(records: list[MeterRecord], stream: str, month: str) -> MeterRecord | None:
    return next((r for r in records if r.stream == stream and r.period == month), None)


def production_for(records: list[ProductionRecord], product: str, month: str) -> ProductionRecord | None:
    return next((r for r in records if r.product == product and r.period == month), None)


def lab_reports_for(reports: list[LabReport], stream: str) -> list[LabReport]:
    return [r for r in reports if r.stream == stream]


def lab_for(reports: list[LabReport], stream: str, month: str) -> LabReport | None:
    """The stream's lab report sampled in the month; failing that, one whose sampling date could
    not be read. A report sampled in another month never stands in: its factors are that
    month's, so the month without its own report is LAB-MISSING (docs/verification.md, step 5)."""
    candidates = lab_reports_for(reports, stream)
    in_month = [r for r in candidates if r.sampling_date and month_of(r.sampling_date) == month]
    undated = [r for r in candidates if r.sampling_date is None]
    return (in_month or undated or [None])[0]


def other_month_labs(reports: list[LabReport], stream: str, month: str) -> list[LabReport]:
    """The stream's reports sampled in another month (named by LAB-MISSING, never used)."""
    return [r for r in lab_reports_for(reports, stream)
            if r.sampling_date is not None and month_of(r.sampling_date) != month]


@dataclass(frozen=True, kw_only=True)
class LabValues:
    """NCV (GJ per activity unit) and CC (tC/GJ) a lab report supports, with where they stand."""

    ncv: float | None
    cc: float | None
    ncv_source: Provenance | None = None
    cc_sources: tuple[Provenance, ...] = ()
    problem: str | None = None


@lru_cache(maxsize=1)
def gas_carbon_atoms() -> dict[str, int]:
    text = resources.files("verify").joinpath("data", "gas_components.toml").read_text("utf-8")
    return tomllib.loads(text)["carbon_atoms"]


def _lab_ncv(report: LabReport, unit: str) -> tuple[float | None, Provenance | None]:
    res = report.result("ncv", Basis.AS_RECEIVED) or report.result("ncv")
    if res is None:
        return None, None
    try:
        return calculation.round_half_up(units.ncv_to_standard(res.value, res.unit, unit), 3), res.where("value")
    except (ValueError, TypeError):  # unknown unit, or another dimension
        return None, res.where("value")


def _solid_carbon_ar(report: LabReport) -> tuple[float | None, tuple[Provenance, ...]]:
    car = report.result("carbon", Basis.AS_RECEIVED)
    if car is not None:
        return car.value, (car.where("value"),)
    cad, mt, mad = (report.result("carbon", Basis.AIR_DRIED), report.result("moisture_total"),
                    report.result("moisture_ad"))
    if cad is None or mt is None or mad is None:
        return None, ()
    value = calculation.carbon_as_received(cad.value, mt.value, mad.value)
    return value, (cad.where("value"), mt.where("value"), mad.where("value"))


def lab_values(report: LabReport, stream: str) -> LabValues:
    """NCV and CC from one lab report, converted to the equation's units and bases."""
    unit = streams()[stream].unit
    ncv, ncv_src = _lab_ncv(report, unit)
    if ncv is None:
        return LabValues(ncv=None, cc=None, ncv_source=ncv_src,
                         problem="no net calorific value on the report")
    if unit == "t":
        carbon, srcs = _solid_carbon_ar(report)
        cc = calculation.carbon_content(carbon, ncv) if carbon is not None else None
    else:
        composition = {r.parameter: r.value for r in report.results if r.parameter in gas_carbon_atoms()}
        srcs = tuple(r.where("value") for r in report.results if r.parameter in composition)
        cc = (calculation.gas_carbon_content(composition, gas_carbon_atoms(), ncv)
              if composition else None)
    problem = None if cc is not None else "no element carbon (or composition) on the report"
    return LabValues(ncv=ncv, cc=cc, ncv_source=ncv_src, cc_sources=srcs, problem=problem)


def relative_pct(claimed: float, evidenced: float) -> float:
    """|claimed - evidenced| as a % of the evidenced value (inf when that is zero)."""
    if evidenced == 0:
        return 0.0 if claimed == 0 else float("inf")
    return abs(claimed - evidenced) / abs(evidenced) * 100
