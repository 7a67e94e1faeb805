"""A month breaks the trend of the month before.

Why: a plant's consumption, fuel quality and intensity move slowly; a jump from one month to the
next with no matching change in output is where a verifier looks for a missed invoice, a unit slip
or a sample of another fuel (docs/domain.md s5 TREND-BREAK).
Fails: over consecutive months of a claim (the month before a one-month claim taken from the
stock ledger's previous row when the bundle has it), a stream's claimed consumption changing by
more than trend_consumption_pct, or the month's intensity (claimed tCO2 / t crude steel) by more
than trend_intensity_pct, while crude-steel output changed by no more than trend_production_pct
(or is unknown); a fuel's claimed NCV changing by more than trend_ncv_pct, whatever the output.
Passes: every change within its band, or explained by output. An observation: no error is proven.
Crude steel of a month is its crude-steel product row, else its production record.
"""

from __future__ import annotations

from collections.abc import Iterator

from verify.domain.calculation import round_half_up
from verify.domain.evidence import production_for
from verify.domain.rules.base import RuleContext, fmt, message, term
from verify.domain.rules.intensity_range import CRUDE_STEEL, month_figures
from verify.model import units
from verify.model.periods import previous_month
from verify.model.records import Finding, Provenance, Severity

ID = "TREND-BREAK"
NAME = "month-over-month trend"
SEVERITY = Severity.OBSERVATION
PARAMETERS = ("trend_consumption_pct", "trend_ncv_pct", "trend_intensity_pct",
              "trend_production_pct")


def _change_pct(now: float | None, before: float | None) -> float | None:
    if now is None or not before:
        return None
    return (now - before) / abs(before) * 100


def _steel(ctx: RuleContext, month: str) -> float | None:
    rows = [m.claimed_mass for m in ctx.assessment.products
            if m.stream == CRUDE_STEEL and m.month == month]
    record = production_for(ctx.evidence.production, CRUDE_STEEL, month)
    return rows[0] if rows else (record.quantity if record else None)


PLACES = {"consumed": 3, "ncv": 3, "intensity": 4}
Point = tuple[float, float, bool, list[Provenance]]  # value, limit %, output must be steady, where


def _series(ctx: RuleContext) -> Iterator[tuple[tuple[str | None, str, str], Point]]:
    """((stream, month, quantity), point) for every month of every series compared."""
    t = ctx.thresholds
    for f in ctx.assessment.fuels:
        ncv = units.ncv_to_standard(f.row.ncv, f.row.ncv_unit, f.row.unit)
        yield ((f.row.stream, f.month, "consumed"),
               (f.row.consumed, t.trend_consumption_pct, True, [f.row.where("consumed")]))
        yield (f.row.stream, f.month, "ncv"), (ncv, t.trend_ncv_pct, False, [f.row.where("ncv")])
    for f in ctx.assessment.fuels + ctx.assessment.process:
        yield from _previous_from_stock(ctx, f)
    for m in ctx.assessment.process:
        yield (m.stream, m.month, "consumed"), (m.claimed_mass, t.trend_consumption_pct, True,
                                                [m.source])
    for month in ctx.assessment.months:
        total, _, proof = month_figures(ctx, month)
        steel = _steel(ctx, month)
        if total and steel:
            yield (None, month, "intensity"), (total / steel, t.trend_intensity_pct, True, proof)


def _previous_from_stock(ctx: RuleContext, a) -> Iterator[tuple[tuple, Point]]:
    """The month before a claimed month, from the stock ledger, when the claim does not hold it:
    a one-month bundle can still show a break against the ledger's previous row."""
    stream = a.row.stream if hasattr(a, "row") else a.stream
    before = previous_month(a.month)
    if before in ctx.assessment.months:
        return
    record = next((r for r in ctx.evidence.stock if r.stream == stream and r.period == before), None)
    if record is not None and record.consumed is not None:
        yield ((stream, before, "consumed"),
               (record.consumed, ctx.thresholds.trend_consumption_pct, True,
                [record.where("consumed")]))


def check(ctx: RuleContext) -> Iterator[Finding]:
    values = dict(_series(ctx))
    production_limit = ctx.thresholds.trend_production_pct
    for (stream, month, quantity), (value, limit, steady, where) in values.items():
        before = values.get((stream, previous_month(month), quantity))
        change = _change_pct(value, before[0] if before else None)
        if change is None or abs(change) <= limit:
            continue
        output = _change_pct(_steel(ctx, month), _steel(ctx, previous_month(month)))
        if steady and output is not None and abs(output) > production_limit:
            continue
        previous = before[0]
        yield Finding(
            rule=ID, severity=SEVERITY, stream=stream, period=month, claimed=value,
            evidenced=previous, difference=round_half_up(value - previous, 4),
            threshold=f"+-{limit} %" + (f", output within +-{production_limit} %" if steady else ""),
            evidence=before[3] + where,
            message=message(ID if output is not None else f"{ID}-NO-OUTPUT", ctx.lang, stream=stream or term("facility", ctx.lang),
                            period=month, previous_period=previous_month(month),
                            quantity=term(quantity, ctx.lang), claimed=fmt(value, PLACES[quantity]),
                            evidenced=fmt(previous, PLACES[quantity]), change=fmt(change, 1), threshold=limit,
                            output="-" if output is None else fmt(output, 1)),
        )
