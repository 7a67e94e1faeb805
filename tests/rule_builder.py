"""Build a claim and its evidence records from one case of tests/rules/<id>.yml.

A case states only what it is about; claimed emissions, deductions and the total are computed
from the claimed inputs unless the case gives them. Every record's provenance names the file the
case gives (or a name made from the record), so findings can be checked for their documents.
"""

from __future__ import annotations

from typing import Any

from verify.domain.calculation import fuel_emissions, material_emissions, total_emissions
from verify.model.records import (
    Claim,
    ClaimFuelRow,
    ClaimProcessRow,
    ClaimProductRow,
    Document,
    DocumentKind,
    DocumentStatus,
    FuelInvoice,
    InvoiceLine,
    LabReport,
    LabResult,
    MeterRecord,
    ProductionRecord,
    Provenance,
    StockRecord,
)
from verify.model.vocabulary import streams

SHA = "0" * 64


def prov(file: str, cell: str | None = None) -> Provenance:
    return Provenance(file=file, sha256=SHA, page=None if cell else 1, cell=cell)


def _fuel(spec: dict[str, Any]) -> ClaimFuelRow:
    s = dict(spec)
    s["carbon_content"] = s.pop("cc")
    s.setdefault("unit", streams()[s["stream"]].unit)
    s.setdefault("ncv_unit", "GJ/t" if s["unit"] == "t" else "GJ/10^4 Nm3")
    s.setdefault("emissions", fuel_emissions(s["consumed"], s["ncv"], s["carbon_content"],
                                             s.get("oxidation", 1.0)))
    return ClaimFuelRow(source=prov("claim.xlsx", "Fuels!A2"), **s)


def _process(spec: dict[str, Any]) -> ClaimProcessRow:
    s = dict(spec)
    s.setdefault("emissions", material_emissions(s["consumed"], s["ef"]))
    return ClaimProcessRow(source=prov("claim.xlsx", "Process!A2"), **s)


def _product(spec: dict[str, Any]) -> ClaimProductRow:
    s = dict(spec)
    s.setdefault("deduction", material_emissions(s["output"], s["ef"]))
    return ClaimProductRow(source=prov("claim.xlsx", "Products!A2"), **s)


def claim(spec: dict[str, Any]) -> Claim:
    s = dict(spec)
    fuels = [_fuel(f) for f in s.pop("fuels", [])]
    process = [_process(p) for p in s.pop("process", [])]
    products = [_product(p) for p in s.pop("products", [])]
    monthly = [r for r in fuels + process + products if ".." not in (r.period or "")]
    s.setdefault("total_tco2", total_emissions(
        [r.emissions for r in monthly if isinstance(r, ClaimFuelRow)],
        [r.emissions for r in monthly if isinstance(r, ClaimProcessRow)],
        [r.deduction for r in monthly if isinstance(r, ClaimProductRow)]))
    s.setdefault("facility_id", "CN-TEST-0001")
    return Claim(source=prov("claim.xlsx", "Summary!A1"), fuels=fuels, process=process,
                 products=products, **s)


def ocr_sources(file: str, spec: dict[str, Any]) -> dict[str, Provenance]:
    """Sources of fields a scan was read for: `ocr: {field: confidence}` in a case."""
    return {name: Provenance(file=file, sha256=SHA, page=1, bbox=(10, 10, 60, 20),
                             text=str(spec.get(name, "")), ocr=True, confidence=conf)
            for name, conf in spec.pop("ocr", {}).items()}


def invoice(spec: dict[str, Any]) -> FuelInvoice:
    s = dict(spec)
    file = s.pop("file", f"invoice_{s['number']}.pdf")
    lines = []
    for ln in s.pop("lines", []):
        line = dict(ln)
        line.setdefault("description", line.get("stream") or "goods")
        sources = ocr_sources(file, line)
        lines.append(InvoiceLine(source=prov(file), sources=sources, **line))
    return FuelInvoice(source=prov(file), lines=lines, sources=ocr_sources(file, s), **s)


def lab(spec: dict[str, Any]) -> LabReport:
    s = dict(spec)
    file = s.pop("file", f"lab_{s['report_no']}.pdf")
    ocr = s.pop("ocr_results", {})  # {parameter: confidence} of results read from a scan
    results = [LabResult(source=prov(file), parameter=r[0], value=r[1], unit=r[2],
                         basis=r[3] if len(r) > 3 else None,
                         sources=ocr_sources(file, {"value": r[1], "ocr": {"value": ocr[r[0]]}})
                         if r[0] in ocr else {})
               for r in s.pop("results", [])]
    return LabReport(source=prov(file), results=results, sources=ocr_sources(file, s), **s)


def _sheet(kind, spec: dict[str, Any], name: str):
    s = dict(spec)
    file = s.pop("file", f"{name}_{s['period']}.xlsx")
    return kind(source=prov(file, "Sheet1!B2"), **s)


def records(case: dict[str, Any]) -> list:
    """Every evidence record of a case."""
    return ([invoice(i) for i in case.get("invoices", [])] + [lab(r) for r in case.get("labs", [])]
            + [_sheet(StockRecord, r, "stock") for r in case.get("stock", [])]
            + [_sheet(ProductionRecord, r, "production") for r in case.get("production", [])]
            + [_sheet(MeterRecord, r, "meter") for r in case.get("meters", [])])


def documents(case: dict[str, Any]) -> list[Document]:
    """The bundle's files as discovered: {file, status, kind, error, unread} each."""
    return [Document(file=d["file"], sha256=SHA, kind=DocumentKind(d.get("kind", "unknown")),
                     status=DocumentStatus(d.get("status", "parsed")), error=d.get("error"),
                     unread=d.get("unread"))
            for d in case.get("documents", [])]
