"""Verified figures per stream: what the evidence supports beside what was claimed.

Pure: claim rows and evidence in, assessments out. The steps are those of
docs/verification.md; rules read these assessments instead of recomputing them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from verify.domain import calculation
from verify.domain.evidence import (
    InvoiceEvidence,
    LabValues,
    invoice_evidence,
    lab_for,
    lab_values,
    meter_for,
    production_for,
    stock_for,
)
from verify.domain.factors import FactorTable
from verify.domain.thresholds import Thresholds
from verify.model import units
from verify.model.records import (
    Claim,
    ClaimFuelRow,
    ClaimProcessRow,
    ClaimProductRow,
    DataSource,
    FuelInvoice,
    LabReport,
    MeterRecord,
    ProductionRecord,
    Provenance,
    StockRecord,
)

# How a figure of the verified calculation stands (the report's stream table marks each one):
# read from the bundle's evidence, taken from the method's defaults, or the claim's own figure
# with nothing behind it (EVIDENCE-MISSING names an unsupported quantity).
EVIDENCED, DEFAULTED, UNSUPPORTED = "evidenced", "defaulted", "unsupported"


@dataclass(frozen=True)
class Evidence:
    """Every record of a bundle, by kind (the claim aside)."""

    invoices: list[FuelInvoice] = field(default_factory=list)
    labs: list[LabReport] = field(default_factory=list)
    production: list[ProductionRecord] = field(default_factory=list)
    stock: list[StockRecord] = field(default_factory=list)
    meters: list[MeterRecord] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class FuelAssessment:
    """One claimed fuel row and what the evidence says about it."""

    row: ClaimFuelRow
    month: str
    invoices: InvoiceEvidence
    stock: StockRecord | None
    meter: MeterRecord | None
    lab: LabReport | None
    lab_values: LabValues | None
    consumed_evidenced: float | None
    ad: float
    ncv: float
    cc: float
    oxidation: float
    verified_tco2: float
    recomputed_tco2: float  # the claimed inputs multiplied out
    basis: str
    evidence: list[Provenance]
    factor_support: str = EVIDENCED  # NCV and CC: evidenced (lab), defaulted, unsupported

    @property
    def activity_support(self) -> str:
        return EVIDENCED if self.consumed_evidenced is not None else UNSUPPORTED


@dataclass(frozen=True, kw_only=True)
class MaterialAssessment:
    """One claimed process-material or product row and its verified figure."""

    kind: str  # process | product
    stream: str
    label: str
    month: str
    claimed_mass: float
    claimed_ef: float
    claimed_tco2: float
    mass_evidenced: float | None
    mass: float
    ef: float
    verified_tco2: float
    recomputed_tco2: float
    basis: str
    evidence: list[Provenance]
    source: Provenance
    ef_support: str = DEFAULTED  # the method's EF, or unsupported (the claimed EF, no default)

    @property
    def activity_support(self) -> str:
        return EVIDENCED if self.mass_evidenced is not None else UNSUPPORTED


def _or0(value: float | None) -> float:
    return 0.0 if value is None else value


def _evidenced_consumption(row, ev: InvoiceEvidence, stock, meter) -> tuple[float | None, str]:
    if ev.purchased is not None:
        opening = stock.opening if stock and stock.opening is not None else row.opening
        closing = stock.closing if stock and stock.closing is not None else row.closing
        outbound = stock.outbound if stock and stock.outbound is not None else row.outbound
        src = "stock record" if stock else "claimed stock"
        value = calculation.consumed(ev.purchased, _or0(opening), _or0(closing), _or0(outbound))
        return value, f"invoices ({len(ev.counted)}) + {src} change"
    if meter is not None:
        return units.to_activity(meter.total, meter.unit, row.unit), "meter record"
    if stock is not None and stock.consumed is not None:
        return stock.consumed, "stock record"
    return None, "claimed (no evidence of quantity)"


def _verified(claimed: float, evidenced: float | None) -> float:
    """The evidenced value whenever there is one, the claimed value only without evidence.

    A tolerance decides whether a difference is reported as a finding of its own, never whether
    it counts: a difference within tolerance still enters the misstatement, aggregated
    (docs/verification.md, steps 4 and 5; `verify.domain.materiality`)."""
    return claimed if evidenced is None else evidenced


def _parameters(row: ClaimFuelRow, lab: LabReport | None, factors: FactorTable, t: Thresholds):
    """NCV and CC to use, the lab values seen, and how they were chosen."""
    ncv_claimed = units.ncv_to_standard(row.ncv, row.ncv_unit, row.unit)
    default_ncv = factors.get(row.stream, "ncv")
    default_cc = factors.default_carbon_content(row.stream)
    values = lab_values(lab, row.stream) if lab is not None else None
    measured = row.data_source == DataSource.MEASURED
    if measured and values is not None and values.ncv is not None and values.cc is not None:
        ncv = _verified(ncv_claimed, values.ncv)
        cc = _verified(row.carbon_content, values.cc)
        return ncv, cc, values, f"lab report {lab.report_no}", EVIDENCED
    if default_ncv is None or default_cc is None:
        return (ncv_claimed, row.carbon_content, values, "claimed factors (no default in method)",
                UNSUPPORTED)
    return (default_ncv.value, default_cc.value, values, f"default factors ({factors.method})",
            DEFAULTED)


def assess_fuel(row: ClaimFuelRow, month: str, ev: Evidence, factors: FactorTable,
                t: Thresholds) -> FuelAssessment:
    """Verified AD, NCV, CC, OF and tCO2 of one claimed fuel row."""
    inv = invoice_evidence(ev.invoices, row.stream, month)
    stock, meter = stock_for(ev.stock, row.stream, month), meter_for(ev.meters, row.stream, month)
    consumed_ev, ad_basis = _evidenced_consumption(row, inv, stock, meter)
    ad = _verified(row.consumed, consumed_ev)
    lab = lab_for(ev.labs, row.stream, month)
    ncv, cc, values, factor_basis, support = _parameters(row, lab, factors, t)
    of_factor = factors.get(row.stream, "oxidation")
    oxidation = of_factor.value if of_factor else row.oxidation
    verified = calculation.fuel_emissions(ad, ncv, cc, oxidation)
    ncv_claimed = units.ncv_to_standard(row.ncv, row.ncv_unit, row.unit)
    recomputed = calculation.fuel_emissions(row.consumed, ncv_claimed, row.carbon_content, row.oxidation)
    proof = inv.provenance() + ([stock.source] if stock else []) + ([meter.source] if meter else [])
    if values and values.ncv_source:
        proof.append(values.ncv_source)
    return FuelAssessment(row=row, month=month, invoices=inv, stock=stock, meter=meter, lab=lab,
                          lab_values=values, consumed_evidenced=consumed_ev, ad=ad, ncv=ncv, cc=cc,
                          oxidation=oxidation, verified_tco2=verified, recomputed_tco2=recomputed,
                          basis=f"AD: {ad_basis}; NCV/CC: {factor_basis}", evidence=proof,
                          factor_support=support)


def _material(*, kind: str, stream: str, label: str, month: str, mass: float, ef: float,
              tco2: float, mass_ev: float | None, ev_source: list[Provenance],
              factors: FactorTable, source: Provenance) -> MaterialAssessment:
    """The verified figure of one mass x EF row: the evidenced mass whenever there is one, the
    method's EF where it has one."""
    factor = factors.get(stream, "ef")
    ef_used = factor.value if factor else ef
    mass_used = _verified(mass, mass_ev)
    verified = calculation.material_emissions(mass_used, ef_used)
    basis = ("evidenced quantity" if mass_ev is not None else "claimed quantity") + (
        f", EF {factors.method}" if factor else ", claimed EF (no default in method)")
    return MaterialAssessment(kind=kind, stream=stream, label=label, month=month,
                              claimed_mass=mass, claimed_ef=ef, claimed_tco2=tco2,
                              mass_evidenced=mass_ev, mass=mass_used, ef=ef_used,
                              verified_tco2=verified,
                              recomputed_tco2=calculation.material_emissions(mass, ef),
                              basis=basis, evidence=ev_source, source=source,
                              ef_support=DEFAULTED if factor else UNSUPPORTED)


def assess_process(row: ClaimProcessRow, month: str, ev: Evidence, factors: FactorTable,
                   t: Thresholds) -> MaterialAssessment:
    stock = stock_for(ev.stock, row.material, month)
    mass_ev = stock.consumed if stock else None
    return _material(kind="process", stream=row.material, label=row.label, month=month,
                     mass=row.consumed, ef=row.ef, tco2=row.emissions, mass_ev=mass_ev,
                     ev_source=[stock.where("consumed")] if stock else [], factors=factors,
                     source=row.source)


def assess_product(row: ClaimProductRow, month: str, ev: Evidence, factors: FactorTable,
                   t: Thresholds) -> MaterialAssessment:
    prod = production_for(ev.production, row.product, month)
    mass_ev = prod.quantity if prod else None
    return _material(kind="product", stream=row.product, label=row.label, month=month,
                     mass=row.output, ef=row.ef, tco2=row.deduction, mass_ev=mass_ev,
                     ev_source=[prod.where("quantity")] if prod else [], factors=factors,
                     source=row.source)


@dataclass(frozen=True)
class Assessment:
    """Every stream of a claim, assessed month by month."""

    claim: Claim
    months: list[str]
    fuels: list[FuelAssessment]
    process: list[MaterialAssessment]
    products: list[MaterialAssessment]

    @property
    def verified_total(self) -> float:
        return calculation.total_emissions([f.verified_tco2 for f in self.fuels],
                                           [p.verified_tco2 for p in self.process],
                                           [p.verified_tco2 for p in self.products])

    @property
    def claimed_rows_total(self) -> float:
        """The claim's monthly rows added up, every month of the claim (also those outside the
        period verified, which are not assessed): what the claimed total must tie out to."""
        c = self.claim
        return calculation.total_emissions(
            [r.emissions for r in c.fuels if not is_period_total(r)],
            [r.emissions for r in c.process if not is_period_total(r)],
            [r.deduction for r in c.products if not is_period_total(r)])

    @property
    def claimed_total(self) -> float:
        """The claimed total the period verified is judged against: the claim's stated total, or,
        when only some of the claim's months are verified (--period), the claimed rows of those
        months added up (a year's total against one month's misstatement would hide it, and its
        materiality would be scaled as if the year were one month)."""
        if not self.ignored_months():
            return self.claim.total_tco2
        return calculation.total_emissions([f.row.emissions for f in self.fuels],
                                           [m.claimed_tco2 for m in self.process],
                                           [m.claimed_tco2 for m in self.products])

    def ignored_months(self) -> list[str]:
        """Months of the claim's rows outside the period verified (not assessed, CLAIM-PERIOD)."""
        c = self.claim
        seen = [row_month(r, c, self.months) for r in [*c.fuels, *c.process, *c.products]
                if not is_period_total(r)]
        return sorted({m for m in seen if m not in self.months})


def is_period_total(row: ClaimFuelRow | ClaimProcessRow | ClaimProductRow) -> bool:
    """A row stated for a whole range of months (period "2025-01..2025-12"): a total of the
    monthly rows, checked by ANNUAL-TIEOUT, not a month to assess."""
    return bool(row.period) and ".." in row.period


def row_month(row, claim: Claim, months: list[str]) -> str:
    """A row's month: its own period; without one, the claim's month (a one-month claim) or the
    first month verified."""
    return row.period or (claim.period if ".." not in claim.period else months[0])


def assess(claim: Claim, ev: Evidence, months: list[str], factors: FactorTable,
           t: Thresholds) -> Assessment:
    """Assess every monthly row of a claim inside the months verified (rows without a period
    belong to the claim's month; period-total rows are left to ANNUAL-TIEOUT; rows of months
    outside the period verified are not assessed, and CLAIM-PERIOD says so)."""
    def month(row) -> str:
        return row_month(row, claim, months)

    def monthly(rows: list) -> list:
        return [r for r in rows if not is_period_total(r) and month(r) in months]

    fuels = [assess_fuel(r, month(r), ev, factors, t) for r in monthly(claim.fuels)]
    process = [assess_process(r, month(r), ev, factors, t) for r in monthly(claim.process)]
    products = [assess_product(r, month(r), ev, factors, t) for r in monthly(claim.products)]
    return Assessment(claim, months, fuels, process, products)
