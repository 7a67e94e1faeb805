"""Claimed NCV and carbon content equal the lab report's (or the method's default).

Why: NCV and CC multiply every tonne; a claimed factor that is not the measured one (after unit
and basis conversion) misstates the whole stream (docs/domain.md s4, s5).
Fails: relative difference > lab_tolerance_pct. Passes: within tolerance. A stream claimed as
*default* is compared with the method's default factors.
"""

from __future__ import annotations

from collections.abc import Iterator

from verify.domain.assess import FuelAssessment
from verify.domain.evidence import relative_pct
from verify.domain.rules.base import RuleContext, files_of, fmt, message
from verify.domain.rules.effects import cc_effect, ncv_effect
from verify.model import units
from verify.model.records import DataSource, Finding, Severity

ID = "LAB-MATCH"
NAME = "factors match the lab"
SEVERITY = Severity.MISSTATEMENT
PARAMETERS = ("lab_tolerance_pct",)


def _references(f: FuelAssessment, ctx: RuleContext):
    """(ncv, cc, label, report no, provenance) the claim is compared with."""
    if f.row.data_source == DataSource.DEFAULT:
        ncv, cc = ctx.factors.get(f.row.stream, "ncv"), ctx.factors.default_carbon_content(f.row.stream)
        return (ncv.value if ncv else None, cc.value if cc else None, "default", "-", [])
    v = f.lab_values
    if f.lab is None or v is None:
        return None, None, "", "", []
    proof = ([v.ncv_source] if v.ncv_source else []) + list(v.cc_sources)
    return v.ncv, v.cc, "lab", f.lab.report_no, proof


def check(ctx: RuleContext) -> Iterator[Finding]:
    limit = ctx.thresholds.lab_tolerance_pct
    for f in ctx.assessment.fuels:
        ref_ncv, ref_cc, kind, report, proof = _references(f, ctx)
        ncv_unit = units.NCV_UNITS[f.row.unit]
        claimed_ncv = units.ncv_to_standard(f.row.ncv, f.row.ncv_unit, f.row.unit)
        pairs = [("NCV", claimed_ncv, ref_ncv, ncv_unit, 3, ncv_effect, "ncv"),
                 ("CC", f.row.carbon_content, ref_cc, "tC/GJ", 5, cc_effect, "carbon_content")]
        for name, claimed, ref, unit, places, effect, field in pairs:
            if ref is None or relative_pct(claimed, ref) <= limit:
                continue
            pct = relative_pct(claimed, ref)
            impact = effect(f, claimed, ref)
            key = ID if kind == "lab" else "LAB-MATCH-DEFAULT"
            evidence = [f.row.where(field)] + proof
            yield Finding(
                rule=ID, severity=SEVERITY, stream=f.row.stream, period=f.month, impact_tco2=impact,
                quantity="ncv" if name == "NCV" else "cc",
                claimed=claimed, evidenced=ref, difference=claimed - ref, threshold=f"{limit} %",
                evidence=evidence,
                message=message(key, ctx.lang, stream=f.row.stream, period=f.month, parameter=name,
                                claimed=fmt(claimed, places), evidenced=fmt(ref, places), unit=unit,
                                report=report, pct=fmt(pct), threshold=limit, impact=fmt(impact),
                                documents=files_of(proof)),
            )
