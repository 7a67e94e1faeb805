"""A gas's metered monthly total agrees with its invoices, or with its claimed consumption.

Why: a purchased gas is invoiced from the supplier's meter and a self-produced gas (blast-furnace,
converter, coke-oven) is known only from the plant's own meters; two measurements of the same
flow that differ by more than the tier uncertainty of the activity data show that one of them, and
the claim built on it, is wrong (docs/domain.md s4: tier 1 +-7.5 %, EU MRR Annex II; s5 AD-METER).
Fails: for a stream with invoices, |invoiced - metered| > meter_tolerance_pct of the metered
total; for a stream without invoices, |claimed consumed - metered| > meter_tolerance_pct.
Passes: within tolerance, or no meter record for the stream and month. The impact is the claimed
purchases (or consumption) minus the metered total, at the stream's verified factors.
"""

from __future__ import annotations

from collections.abc import Iterator

from verify.domain.assess import FuelAssessment
from verify.domain.calculation import round_half_up
from verify.domain.evidence import relative_pct
from verify.domain.rules.base import RuleContext, files_of, fmt, message, term
from verify.domain.rules.effects import activity_effect
from verify.model import units
from verify.model.records import Finding, Severity

ID = "AD-METER"
NAME = "meters agree with invoices"
SEVERITY = Severity.MISSTATEMENT
PARAMETERS = ("meter_tolerance_pct",)


def _compared(f: FuelAssessment) -> tuple[str, float, float, list]:
    """What the meter is compared with: the invoices when there are any, else the claim."""
    if f.invoices.counted:
        invoiced = f.invoices.purchased or 0.0
        claimed = f.row.purchased if f.row.purchased is not None else invoiced
        return "invoices", invoiced, claimed, f.invoices.provenance()
    return "claimed_consumed", f.row.consumed, f.row.consumed, [f.row.where("consumed")]


def _finding(f: FuelAssessment, ctx: RuleContext) -> Finding | None:
    if f.meter is None:
        return None
    try:
        metered = units.to_activity(f.meter.total, f.meter.unit, f.row.unit)
    except (ValueError, TypeError):  # unknown unit, or another dimension
        return None
    against, value, claimed, proof = _compared(f)
    limit = ctx.thresholds.meter_tolerance_pct
    pct = relative_pct(value, metered)
    if pct <= limit:
        return None
    diff = round_half_up(value - metered, 3)
    impact = activity_effect(f, claimed - metered)
    proof = proof + [f.meter.where("total")]
    return Finding(
        rule=ID, severity=SEVERITY, stream=f.row.stream, period=f.month, impact_tco2=impact,
        claimed=value, evidenced=metered, difference=diff, threshold=f"{limit} %", evidence=proof,
        message=message(ID, ctx.lang, stream=f.row.stream, period=f.month, unit=f.row.unit,
                        against=term(against, ctx.lang), claimed=fmt(value, 3),
                        evidenced=fmt(metered, 3), difference=fmt(diff, 3), pct=fmt(pct),
                        threshold=limit, impact=fmt(impact), documents=files_of(proof)),
    )


def check(ctx: RuleContext) -> Iterator[Finding]:
    for f in ctx.assessment.fuels:
        finding = _finding(f, ctx)
        if finding is not None:
            yield finding
