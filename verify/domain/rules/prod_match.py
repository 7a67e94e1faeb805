"""Claimed production equals the plant's production records.

Why: the crude-steel output sets the carbon deducted as kept in the product (E_products = P x EF)
and the intensity (tCO2 per t crude steel) the plant is benchmarked on; an output that is not the
recorded one misstates both (docs/domain.md s2, s5 PROD-MATCH; docs/verification.md, products).
Fails: a claimed product row (crude steel or any product with a record) differing from the
production record of its month by more than production_tolerance_pct; or the Summary's crude
steel output differing from the sum of the crude-steel records of the claim's months (when every
month has one and the Summary is not simply the sum of the crude-steel rows, already judged).
Passes: within tolerance, or no record.
Impact: a product row's output difference at the product's EF, negated (a larger claimed output
deducts more); the Summary figure enters only the intensity and carries no tCO2 impact.
"""

from __future__ import annotations

from collections.abc import Iterator

from verify.domain.calculation import round_half_up
from verify.domain.evidence import production_for, relative_pct
from verify.domain.rules.base import RuleContext, files_of, fmt, message
from verify.domain.rules.effects import material_effect
from verify.model.records import Finding, Provenance, Severity

ID = "PROD-MATCH"
NAME = "production matches records"
SEVERITY = Severity.MISSTATEMENT
PARAMETERS = ("production_tolerance_pct",)

CRUDE_STEEL = "crude_steel"


def _finding(ctx: RuleContext, key: str, stream: str, period: str, claimed: float,
             recorded: float, impact: float | None, proof: list[Provenance]) -> Finding | None:
    limit = ctx.thresholds.production_tolerance_pct
    pct = relative_pct(claimed, recorded)
    if pct <= limit:
        return None
    diff = round_half_up(claimed - recorded, 3)
    return Finding(
        rule=ID, severity=SEVERITY, stream=stream, period=period, impact_tco2=impact,
        claimed=claimed, evidenced=recorded, difference=diff, threshold=f"{limit} %",
        evidence=proof,
        message=message(key, ctx.lang, stream=stream, period=period, claimed=fmt(claimed, 3),
                        evidenced=fmt(recorded, 3), difference=fmt(diff, 3), pct=fmt(pct),
                        threshold=limit, impact=fmt(impact), documents=files_of(proof[1:])),
    )


def _rows(ctx: RuleContext) -> Iterator[Finding]:
    for m in ctx.assessment.products:
        if m.mass_evidenced is None:
            continue
        impact = -material_effect(m.claimed_mass - m.mass_evidenced, m.ef)
        finding = _finding(ctx, ID, m.stream, m.month, m.claimed_mass, m.mass_evidenced, impact,
                           [m.source] + m.evidence)
        if finding is not None:
            yield finding


def _summary(ctx: RuleContext) -> Iterator[Finding]:
    claimed = ctx.claim.crude_steel_t
    records = [production_for(ctx.evidence.production, CRUDE_STEEL, month)
               for month in ctx.assessment.months]
    if claimed is None or not records or any(r is None for r in records):
        return
    rows = [m.claimed_mass for m in ctx.assessment.products if m.stream == CRUDE_STEEL]
    if rows and round_half_up(sum(rows), 3) == round_half_up(claimed, 3):
        return  # the same figure as the rows, judged there with its impact
    recorded = sum(r.quantity for r in records)
    proof = [ctx.claim.where("crude_steel_t")] + [r.where("quantity") for r in records]
    finding = _finding(ctx, f"{ID}-SUMMARY", CRUDE_STEEL, ctx.claim.period, claimed, recorded,
                       None, proof)
    if finding is not None:
        yield finding


def check(ctx: RuleContext) -> Iterator[Finding]:
    yield from _rows(ctx)
    yield from _summary(ctx)
