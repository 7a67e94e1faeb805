"""The closing stock of a month is the opening stock of the next.

Why: stock carried from one month to the next cannot change overnight; a gap between the closing
of month m and the opening of month m+1 adds (or removes) that quantity from the consumption of
the period, whichever of the two figures is wrong (docs/domain.md s2 AD equation, s5
AD-STOCK-CONTINUITY).
Fails: over consecutive months of the claim, a claimed closing (month m) and claimed opening
(m+1) of the same stream differing by more than stock_continuity_t (default 0: any difference),
or two stock records of the bundle doing the same; the month before the claim counts when the
bundle holds its stock record (its closing against the claimed opening of the first month).
Passes: every pair agrees, or one side of a pair is not stated. The impact of a claim gap is the
gap at the stream's verified factors (the two months' consumption together is off by it); a gap
between two records is evidence that disagrees with itself and carries no impact.
"""

from __future__ import annotations

from collections.abc import Iterator

from verify.domain.assess import FuelAssessment
from verify.domain.calculation import round_half_up
from verify.domain.evidence import stock_for
from verify.domain.rules.base import RuleContext, files_of, fmt, message, term
from verify.domain.rules.effects import activity_effect
from verify.model.periods import previous_month
from verify.model.records import Finding, Provenance, Severity

ID = "AD-STOCK-CONTINUITY"
NAME = "stock carried between months"
SEVERITY = Severity.MISSTATEMENT
PARAMETERS = ("stock_continuity_t",)


def _finding(ctx: RuleContext, stream: str, month: str, unit: str, source: str,
             closing: float, opening: float, impact: float | None,
             proof: list[Provenance]) -> Finding | None:
    limit = ctx.thresholds.stock_continuity_t
    diff = round_half_up(opening - closing, 6)
    if abs(diff) <= limit:
        return None
    return Finding(
        rule=ID, severity=SEVERITY, stream=stream, period=month, impact_tco2=impact,
        claimed=opening, evidenced=closing, difference=diff, threshold=f"{limit} {unit}",
        evidence=proof,
        message=message(ID, ctx.lang, stream=stream, period=month, previous=previous_month(month),
                        source=term(source, ctx.lang), unit=unit, claimed=fmt(opening, 3),
                        evidenced=fmt(closing, 3), difference=fmt(diff, 3), threshold=limit,
                        impact=fmt(impact), documents=files_of(proof)),
    )


def _claim_pairs(ctx: RuleContext) -> Iterator[Finding]:
    """Claimed closing of m (claim row, else the stock record of m) against claimed opening of m+1."""
    rows = {(f.row.stream, f.month): f for f in ctx.assessment.fuels}
    for (stream, month), f in rows.items():
        before: FuelAssessment | None = rows.get((stream, previous_month(month)))
        if f.row.opening is None:
            continue
        if before is not None:
            if before.row.closing is None:
                continue
            closing, where = before.row.closing, before.row.where("closing")
        else:
            stock = stock_for(ctx.evidence.stock, stream, previous_month(month))
            if stock is None or stock.closing is None:
                continue
            closing, where = stock.closing, stock.where("closing")
        diff = f.row.opening - closing
        finding = _finding(ctx, stream, month, f.row.unit, "claim", closing, f.row.opening,
                           activity_effect(f, diff), [where, f.row.where("opening")])
        if finding is not None:
            yield finding


def _record_pairs(ctx: RuleContext) -> Iterator[Finding]:
    """Closing of one month's stock record against the opening of the next month's."""
    records = {(r.stream, r.period): r for r in ctx.evidence.stock}
    for (stream, month), record in records.items():
        before = records.get((stream, previous_month(month)))
        if before is None or before.closing is None or record.opening is None:
            continue
        finding = _finding(ctx, stream, month, record.unit, "stock_records", before.closing,
                           record.opening, None, [before.where("closing"), record.where("opening")])
        if finding is not None:
            yield finding


def check(ctx: RuleContext) -> Iterator[Finding]:
    yield from _claim_pairs(ctx)
    yield from _record_pairs(ctx)
