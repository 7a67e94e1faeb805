"""The period totals of a multi-month claim equal the sum of its months.

Why: an annual (or multi-month) claim reports the period's figures and the monthly rows behind
them; a stream whose period total is not the sum of its months, or a Summary total that is not the
period table's net, means the reported figure and the monthly evidence have parted (docs/domain.md s5
ANNUAL-TIEOUT).
Precisely: a *period-total row* is a claim row whose period is a range ("2025-01..2025-12").
Fails: (a) per stream, |period-total row tCO2 - sum of that stream's monthly rows| >
annual_tieout_t (impact: the difference); (b) when the claim has period-total rows, |Summary
total - (their fuels + process - products)| > annual_tieout_t. The Summary total against the sum
of the monthly rows is CALC-TIEOUT's check and is not repeated here.
Passes: every difference within annual_tieout_t, or a one-month claim, or no period-total rows.
"""

from __future__ import annotations

from collections.abc import Iterator

from verify.domain.assess import is_period_total
from verify.domain.calculation import round_half_up, total_emissions
from verify.domain.rules.base import RuleContext, fmt, message, term
from verify.model.records import Finding, Provenance, Severity

ID = "ANNUAL-TIEOUT"
NAME = "months add up to the period"
SEVERITY = Severity.MISSTATEMENT
PARAMETERS = ("annual_tieout_t",)


def _rows(ctx: RuleContext) -> dict[str, list[tuple[str, float, bool, Provenance]]]:
    """Rows by kind: (stream, tCO2, is a period total, where)."""
    c = ctx.claim
    return {
        "fuel": [(r.stream, r.emissions, is_period_total(r), r.where("emissions")) for r in c.fuels],
        "process": [(r.material, r.emissions, is_period_total(r), r.where("emissions"))
                    for r in c.process],
        "product": [(r.product, r.deduction, is_period_total(r), r.where("deduction"))
                    for r in c.products],
    }


def _finding(ctx: RuleContext, key: str, stream: str | None, claimed: float, months: float,
             proof: list[Provenance]) -> Finding | None:
    limit = ctx.thresholds.annual_tieout_t
    diff = round_half_up(claimed - months)
    if abs(diff) <= limit:
        return None
    return Finding(
        rule=ID, severity=SEVERITY, stream=stream, period=ctx.claim.period, impact_tco2=diff,
        claimed=claimed, evidenced=round_half_up(months), difference=diff,
        threshold=f"{limit} t", evidence=proof,
        message=message(key, ctx.lang, stream=stream or term("facility", ctx.lang),
                        period=ctx.claim.period, claimed=fmt(claimed), evidenced=fmt(months),
                        difference=fmt(diff), threshold=limit),
    )


def check(ctx: RuleContext) -> Iterator[Finding]:
    if len(ctx.assessment.months) < 2:
        return
    rows = _rows(ctx)
    totals: dict[str, list[float]] = {kind: [] for kind in rows}
    for kind, kind_rows in rows.items():
        for stream, tco2, is_total, where in kind_rows:
            if not is_total:
                continue
            totals[kind].append(tco2)
            monthly = [(v, w) for s, v, t, w in kind_rows if s == stream and not t]
            finding = _finding(ctx, ID, stream, tco2, sum(v for v, _ in monthly),
                               [where] + [w for _, w in monthly])
            if finding is not None:
                yield finding
    if any(totals.values()):
        net = total_emissions(totals["fuel"], totals["process"], totals["product"])
        finding = _finding(ctx, f"{ID}-SUMMARY", None, ctx.claim.total_tco2, net,
                           [ctx.claim.where("total_tco2")])
        if finding is not None:
            yield finding
