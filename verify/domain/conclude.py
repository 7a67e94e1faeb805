"""From records to a concluded run: assess, run every rule, then judge (pure, no I/O).

The pipeline and the Prefect flow both call `conclude`, so the CLI's local run and the flow's
run cannot disagree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from verify.domain.assess import Assessment, Evidence, FuelAssessment, MaterialAssessment, assess
from verify.domain.factors import factor_table
from verify.domain.materiality import (
    breakdown,
    judge,
    misstatement_tco2,
    opinion,
    threshold_pct,
    verified_total,
)
from verify.domain.rules import run_rules
from verify.domain.rules.base import RuleContext
from verify.domain.thresholds import Thresholds
from verify.model import units
from verify.model.errors import ClaimError
from verify.model.periods import months_of
from verify.model.records import (
    Claim,
    Document,
    FuelInvoice,
    LabReport,
    MeterRecord,
    ProductionRecord,
    StockRecord,
)
from verify.model.result import Compared, Facility, RunResult, StreamResult


@dataclass(frozen=True)
class RunSettings:
    """What a run was asked to do."""

    run_id: str
    method: str | None = None
    period: str | None = None
    lang: str = "en"
    route: str = "bf-bof"
    plan_streams: tuple[str, ...] = ()  # streams of the monitoring plan (bundle.toml [streams])
    facility_name: str | None = None
    bundle: str = ""
    started_at: str = ""


def _numbers(row) -> list[tuple[str, float]]:
    return [(name, value) for name, value in row.__dict__.items()
            if isinstance(value, float) and not isinstance(value, bool)]


def refuse_non_numbers(claim: Claim) -> None:
    """A NaN or an infinity in the claim is no figure a verifier can judge: ClaimError naming
    each such field and its cell (the run stops with exit 2; a negative figure, by contrast, is
    the plant's to correct and becomes a CLAIM-VALUES finding)."""
    bad = []
    for row in [claim, *claim.fuels, *claim.process, *claim.products]:
        for name, value in _numbers(row):
            if not math.isfinite(value):
                where = row.where(name)
                cell = f"{where.file} {where.cell}" if where.cell else where.file
                bad.append(f"{cell}: {name} = {value!r}")
    if bad:
        raise ClaimError("the claim holds values that are not finite numbers: " + "; ".join(bad)
                         + " (enter a number, or leave an optional cell empty)")


def evidence_of(records: list) -> Evidence:
    """Records sorted by kind (claims aside)."""
    def of(kind):
        return [r for r in records if isinstance(r, kind)]

    return Evidence(of(FuelInvoice), of(LabReport), of(ProductionRecord), of(StockRecord),
                    of(MeterRecord))


def _fuel_result(f: FuelAssessment) -> StreamResult:
    ncv_unit = units.NCV_UNITS[f.row.unit]
    lab = f.lab_values
    return StreamResult(
        name=f.row.stream, kind="fuel", period=f.month, label=f.row.label,
        claimed_tco2=f.row.emissions, verified_tco2=f.verified_tco2,
        activity=Compared(claimed=f.row.consumed, evidenced=f.consumed_evidenced, unit=f.row.unit,
                          support=f.activity_support),
        ncv=Compared(claimed=units.ncv_to_standard(f.row.ncv, f.row.ncv_unit, f.row.unit),
                     evidenced=lab.ncv if lab else None, unit=ncv_unit, support=f.factor_support),
        carbon_content=Compared(claimed=f.row.carbon_content, evidenced=lab.cc if lab else None,
                                unit="tC/GJ", support=f.factor_support),
        oxidation=f.oxidation, basis=f.basis, evidence=f.evidence,
    )


def _material_result(m: MaterialAssessment) -> StreamResult:
    return StreamResult(
        name=m.stream, kind=m.kind, period=m.month, label=m.label,
        claimed_tco2=m.claimed_tco2, verified_tco2=m.verified_tco2,
        activity=Compared(claimed=m.claimed_mass, evidenced=m.mass_evidenced, unit="t",
                          support=m.activity_support),
        ef=Compared(claimed=m.claimed_ef, evidenced=m.ef, unit="tCO2/t", support=m.ef_support),
        basis=m.basis, evidence=m.evidence,
    )


def stream_results(a: Assessment) -> list[StreamResult]:
    return [_fuel_result(f) for f in a.fuels] + [_material_result(m) for m in a.process + a.products]


def conclude(claim: Claim, records: list, documents: list[Document], t: Thresholds,
             settings: RunSettings) -> RunResult:
    """Assess the claim against the evidence, run every rule, then decide materiality and opinion."""
    refuse_non_numbers(claim)
    method = settings.method or claim.method
    factors = factor_table(method)
    months = months_of(settings.period or claim.period)
    evidence = evidence_of(records)
    assessment = assess(claim, evidence, months, factors, t)
    ctx = RuleContext(claim, assessment, evidence, documents, t, factors, settings.lang,
                      settings.route, list(settings.plan_streams))
    findings = run_rules(ctx)
    claimed_total = assessment.claimed_total
    pct = threshold_pct(claimed_total, len(months), t)
    materiality = judge(claimed_total, misstatement_tco2(assessment, findings), pct,
                        breakdown(assessment, findings))
    verdict, reason = opinion(findings, materiality, settings.lang)
    return RunResult(
        run_id=settings.run_id,
        facility=Facility(id=claim.facility_id, name=claim.facility_name or settings.facility_name or ""),
        period=settings.period or claim.period, method=method, opinion=verdict, opinion_reason=reason,
        claimed_total_tco2=claimed_total, verified_total_tco2=verified_total(assessment, findings),
        crude_steel_t=claim.crude_steel_t, materiality=materiality,
        streams=stream_results(assessment), findings=findings, documents=documents,
        lang=settings.lang, bundle=settings.bundle, started_at=settings.started_at,
        thresholds=t.as_report(),
    )
