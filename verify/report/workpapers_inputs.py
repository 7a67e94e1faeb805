"""The inputs behind each verified figure, document by document, for the recalculation sheets.

A stream's verified activity data is rebuilt from the records its evidence names (each counted
invoice line, the stock change, a meter total), so the workbook can add them up with formulas;
the factors are the lab's, the method's defaults (read from the method's factor file, with their
source) or the claim's own. Where the records do not add up to the concluded figure, the
concluded figure stands as one input, marked so: the workbook never shows arithmetic that the
verification did not do. Pure: run result and records in, inputs out.
"""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources

from verify.model import units
from verify.model.periods import month_of
from verify.model.records import (
    Claim,
    ClaimFuelRow,
    ClaimProcessRow,
    ClaimProductRow,
    FuelInvoice,
    LabReport,
    MeterRecord,
    ProductionRecord,
    Provenance,
    StockRecord,
)
from verify.model.result import StreamResult
from verify.report.workpapers_lab import lab_steps
from verify.report.workpapers_model import ActivityItem, FactorInput, Recalculation

__all__ = ["ActivityItem", "FactorInput", "Recalculation", "method_factors", "recalculation"]

TOLERANCE = 1e-6  # relative: records that add up to the concluded activity data within this


@cache
def method_factors(method: str) -> dict[tuple[str, str], tuple[float, str, str]]:
    """(stream, parameter) -> (value, unit, source) of a method's factor file; empty when the
    method has none."""
    path = resources.files("verify").joinpath("data", "factors", f"{method}.csv")
    if not path.is_file():
        return {}
    rows = csv.DictReader(io.StringIO(path.read_text("utf-8")))
    return {(r["stream"], r["parameter"]): (float(r["value"]), r["unit"], r["source"])
            for r in rows}


def _claim(records: list) -> Claim | None:
    return next((r for r in records if isinstance(r, Claim)), None)


def claim_row(records: list, s: StreamResult) -> ClaimFuelRow | ClaimProcessRow | ClaimProductRow | None:
    """The claim's monthly row of a stream (a row without a period is the claim's month)."""
    claim = _claim(records)
    if claim is None:
        return None
    rows = {"fuel": claim.fuels, "process": claim.process, "product": claim.products}[s.kind]

    def name(row) -> str:
        return getattr(row, "stream", None) or getattr(row, "material", None) or row.product

    for row in rows:
        period = row.period or claim.period
        if name(row) == s.name and ".." not in period and period == s.period:
            return row
    return next((r for r in rows if name(r) == s.name and not r.period), None)


def _to(unit: str, target: str) -> float:
    return units.to_activity(1.0, unit, target)


def _of(records: list, kind: type) -> list:
    return [r for r in records if isinstance(r, kind)]


def _in_period(day, s: StreamResult) -> bool:
    """Whether a dated document belongs to the stream's period (an undated one may)."""
    return day is None or s.period is None or month_of(day) == s.period


def _purchase_items(s: StreamResult, records: list, row: ClaimFuelRow | None) -> list[ActivityItem]:
    proofs = set(s.evidence)
    unit = s.activity.unit
    items = [ActivityItem("purchased", ln.quantity, ln.unit or unit, _to(ln.unit or unit, unit),
                          1, inv.number, ln.where("quantity"))
             for inv in _of(records, FuelInvoice) for ln in inv.lines
             if ln.stream == s.name and ln.quantity is not None and ln.where("quantity") in proofs
             and _in_period(inv.date, s)]
    if not items:
        return []
    stock = next((r for r in _of(records, StockRecord)
                  if r.stream == s.name and r.period == s.period), None)
    for key, sign in (("opening", 1), ("closing", -1), ("outbound", -1)):
        if stock is not None and getattr(stock, key) is not None:
            items.append(ActivityItem(key, getattr(stock, key), stock.unit, _to(stock.unit, unit),
                                      sign, None, stock.where(key)))
        elif row is not None and getattr(row, key) is not None:
            items.append(ActivityItem(key, getattr(row, key), unit, 1.0, sign, None,
                                      row.where(key)))
    return items


def _meter_items(s: StreamResult, records: list) -> list[ActivityItem]:
    meter = next((r for r in _of(records, MeterRecord)
                  if r.stream == s.name and r.period == s.period), None)
    if meter is None:
        return []
    return [ActivityItem("metered", meter.total, meter.unit, _to(meter.unit, s.activity.unit),
                         1, None, meter.where("total"))]


def _stock_items(s: StreamResult, records: list) -> list[ActivityItem]:
    stock = next((r for r in _of(records, StockRecord)
                  if r.stream == s.name and r.period == s.period and r.consumed is not None), None)
    if stock is None:
        return []
    return [ActivityItem("stock_consumed", stock.consumed, stock.unit,
                         _to(stock.unit, s.activity.unit), 1, None, stock.where("consumed"))]


def _production_items(s: StreamResult, records: list) -> list[ActivityItem]:
    prod = next((r for r in _of(records, ProductionRecord)
                 if r.product == s.name and r.period == s.period), None)
    if prod is None:
        return []
    return [ActivityItem("produced", prod.quantity, prod.unit, _to(prod.unit, s.activity.unit),
                         1, None, prod.where("quantity"))]


def _adds_up(items: list[ActivityItem], concluded: float) -> bool:
    if not items:
        return False
    return abs(sum(i.value for i in items) - concluded) <= TOLERANCE * max(1.0, abs(concluded))


def activity_items(s: StreamResult, records: list) -> list[ActivityItem]:
    """The documents the verified activity data adds up from; the concluded figure alone where
    they do not add up to it, the claimed figure where nothing evidences it."""
    row = claim_row(records, s)
    unit = s.activity.unit
    concluded = s.activity.evidenced
    if concluded is None:
        claimed = s.activity.claimed or 0.0
        field_name = "consumed" if s.kind != "product" else "output"
        return [ActivityItem("claimed_only", claimed, unit, where=row.where(field_name) if row else None)]
    if s.kind == "fuel":
        candidates = [_purchase_items(s, records, row), _meter_items(s, records),
                      _stock_items(s, records)]
    elif s.kind == "process":
        candidates = [_stock_items(s, records)]
    else:
        candidates = [_production_items(s, records)]
    for items in candidates:
        if _adds_up(items, concluded):
            return items
    return [ActivityItem("as_concluded", concluded, unit)]


def _lab(s: StreamResult, records: list) -> tuple[LabReport | None, Provenance | None, Provenance | None]:
    """The lab report behind a stream's evidenced factors, with where NCV and carbon stand."""
    proofs = set(s.evidence)
    reports = [r for r in _of(records, LabReport)
               if r.stream == s.name and _in_period(r.sampling_date, s)]
    for rep in reports:
        ncv = next((r.where("value") for r in rep.results if r.parameter == "ncv"
                    and r.where("value") in proofs), None)
        if ncv is not None:
            carbon = next((r.where("value") for r in rep.results if r.parameter == "carbon"), ncv)
            return rep, ncv, carbon
    return None, None, None


def _default(method: str, stream: str, parameter: str, kind: str, name: str | None = None
             ) -> FactorInput | None:
    found = method_factors(method).get((stream, parameter))
    if found is None:
        return None
    value, unit, source = found
    return FactorInput(name or parameter, value, unit, kind, "default",
                       {"method": method, "source": source})


def fuel_factors(s: StreamResult, records: list, method: str) -> list[FactorInput]:
    """NCV, CC (or the method's tCO2/TJ factor it is derived from) and OF of a verified fuel."""
    row = claim_row(records, s)
    ncv, cc = s.ncv, s.carbon_content
    support = ncv.support if ncv else ""
    out: list[FactorInput] = []
    defaults = [_default(method, s.name, "ncv", "ncv"),
                _default(method, s.name, "carbon_content", "carbon_content", "cc")
                or _default(method, s.name, "ef_tj", "factor")]
    if support == "evidenced" and ncv.evidenced is not None and cc and cc.evidenced is not None:
        rep, ncv_at, carbon_at = _lab(s, records)
        steps = lab_steps(rep, s) if rep is not None else None
        if steps:
            return steps + [_oxidation(s, row, method)]
        args = {"report_no": rep.report_no if rep else ""}
        out += [FactorInput("ncv", ncv.evidenced, ncv.unit, "ncv", "lab", args, ncv_at),
                FactorInput("cc", cc.evidenced, cc.unit, "carbon_content", "lab", args, carbon_at)]
    elif support == "defaulted" and all(defaults):
        out += defaults
    else:
        out += [FactorInput("ncv", ncv.claimed or 0.0, ncv.unit, "ncv", "claim", {},
                            row.where("ncv") if row else None),
                FactorInput("cc", cc.claimed or 0.0, cc.unit, "carbon_content", "claim", {},
                            row.where("carbon_content") if row else None)]
    return out + [_oxidation(s, row, method)]


def _oxidation(s: StreamResult, row, method: str) -> FactorInput:
    """OF: the method's default where it has one (and it was used), else the claim's."""
    of_default = _default(method, s.name, "oxidation", "general", "of")
    oxidation = 1.0 if s.oxidation is None else s.oxidation
    if of_default is not None and of_default.value == oxidation:
        return of_default
    return FactorInput("of", oxidation, "", "general", "claim", {},
                       row.where("oxidation") if row else None)


def material_factors(s: StreamResult, records: list, method: str) -> list[FactorInput]:
    """The EF of a verified process material or product."""
    ef = s.ef
    used = ef.evidenced if ef and ef.evidenced is not None else (ef.claimed if ef else 0.0)
    default = _default(method, s.name, "ef", "factor")
    if default is not None and ef is not None and ef.support == "defaulted":
        return [default]
    row = claim_row(records, s)
    return [FactorInput("ef", used or 0.0, "tCO2/t", "factor", "claim", {},
                        row.where("ef") if row else None)]


def recalculation(s: StreamResult, records: list, method: str) -> Recalculation:
    """Everything the recalculation sheet shows for one stream in one period."""
    row = claim_row(records, s)
    claimed_of = getattr(row, "oxidation", None) if s.kind == "fuel" else None
    factors = (fuel_factors if s.kind == "fuel" else material_factors)(s, records, method)
    return Recalculation(s, claimed_of, activity_items(s, records), factors)
