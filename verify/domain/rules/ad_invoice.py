"""Claimed purchases equal the invoices in the bundle.

Why: purchased quantity is the activity data's main term (AD = purchased + opening - closing -
outbound); an invoice total that differs from the claim means a quantity was added, left out or
double-counted (docs/domain.md s5).
Fails: |claimed purchases - invoiced (deduplicated, in period)| > ad_tolerance_pct of the invoiced
sum. Passes: within tolerance. Streams with neither claimed purchases nor invoices are skipped.
"""

from __future__ import annotations

from collections.abc import Iterator

from verify.domain.calculation import round_half_up
from verify.domain.evidence import relative_pct
from verify.domain.rules.base import RuleContext, files_of, fmt, message
from verify.domain.rules.effects import activity_effect
from verify.model.records import Finding, Severity

ID = "AD-INVOICE"
NAME = "purchases match invoices"
SEVERITY = Severity.MISSTATEMENT
PARAMETERS = ("ad_tolerance_pct",)


def check(ctx: RuleContext) -> Iterator[Finding]:
    limit = ctx.thresholds.ad_tolerance_pct
    for f in ctx.assessment.fuels:
        claimed = f.row.purchased or 0.0
        invoiced = f.invoices.purchased or 0.0
        if not claimed and not f.invoices.counted:
            continue
        pct = relative_pct(claimed, invoiced)
        if pct <= limit:
            continue
        diff = claimed - invoiced
        impact = activity_effect(f, diff)
        proof = [f.row.where("purchased")] + f.invoices.provenance()
        yield Finding(
            rule=ID, severity=SEVERITY, stream=f.row.stream, period=f.month, impact_tco2=impact,
            claimed=claimed, evidenced=invoiced, difference=round_half_up(diff, 3),
            threshold=f"{limit} %", evidence=proof,
            message=message(ID, ctx.lang, stream=f.row.stream, period=f.month, unit=f.row.unit,
                            claimed=fmt(claimed, 3), evidenced=fmt(invoiced, 3),
                            difference=fmt(diff, 3), pct=fmt(pct), threshold=limit,
                            impact=fmt(impact), documents=files_of(proof[1:])),
        )
