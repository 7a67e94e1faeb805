"""The claimed total equals fuels + process - products.

Why: the total is what the enterprise reports and pays on; sub-totals that do not add up are a
misstatement even when every row is right (docs/domain.md s2, E_total).
Fails: |claimed total - sum of claimed rows| > tieout_t. Passes: equal to the cent.
"""

from __future__ import annotations

from collections.abc import Iterator

from verify.domain.calculation import round_half_up
from verify.domain.rules.base import RuleContext, fmt, message
from verify.model.records import Finding, Severity

ID = "CALC-TIEOUT"
NAME = "claimed total ties out"
SEVERITY = Severity.MISSTATEMENT
PARAMETERS = ("tieout_t",)


def check(ctx: RuleContext) -> Iterator[Finding]:
    claimed = ctx.claim.total_tco2
    rows = ctx.assessment.claimed_rows_total
    diff = round_half_up(claimed - rows)
    limit = ctx.thresholds.tieout_t
    if abs(diff) > limit:
        yield Finding(
            rule=ID, severity=SEVERITY, impact_tco2=diff, claimed=claimed, evidenced=rows,
            difference=diff, threshold=f"{limit} t",
            evidence=[ctx.claim.where("total_tco2")],
            message=message(ID, ctx.lang, claimed=fmt(claimed), evidenced=fmt(rows),
                            difference=fmt(diff), threshold=limit),
        )
