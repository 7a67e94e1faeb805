"""The claimed tCO2 per t of crude steel is plausible for the plant's route.

Why: a blast-furnace / converter plant emits about 1.6-2.5 t CO2 per t crude steel and an
electric-arc plant 0.3-0.8 (docs/domain.md s5 INTENSITY-RANGE; rules.toml [intensity_range]); a month
far outside its route's band points to a missing stream, a unit slip or a wrong output even when
every row recomputes.
Fails: a month's claimed intensity outside the range of the run's route (bundle.toml `route`).
The month's emissions are the Summary total for a one-month claim, else the month's claimed rows
(fuels + process - products); its crude steel the Summary output for a one-month claim, else the
month's crude-steel product row. Passes: inside the range; a month without crude-steel output,
or a route with no range, is not judged. An observation: no error is proven.
"""

from __future__ import annotations

from collections.abc import Iterator

from verify.domain.calculation import intensity, round_half_up, total_emissions
from verify.domain.rules.base import RuleContext, fmt, message, span
from verify.model.records import Finding, Provenance, Severity

ID = "INTENSITY-RANGE"
NAME = "intensity plausible for the route"
SEVERITY = Severity.OBSERVATION
PARAMETERS = ("intensity_range",)

CRUDE_STEEL = "crude_steel"


def month_figures(ctx: RuleContext, month: str) -> tuple[float | None, float | None, list]:
    """(claimed tCO2, crude steel t, where) of one month of the claim."""
    a, claim = ctx.assessment, ctx.claim
    steel_rows = [m for m in a.products if m.stream == CRUDE_STEEL and m.month == month]
    if len(a.months) == 1:
        steel = claim.crude_steel_t
        if steel is None and steel_rows:
            steel = steel_rows[0].claimed_mass
        return claim.total_tco2, steel, [claim.where("total_tco2"), claim.where("crude_steel_t")]
    total = total_emissions([f.row.emissions for f in a.fuels if f.month == month],
                            [m.claimed_tco2 for m in a.process if m.month == month],
                            [m.claimed_tco2 for m in a.products if m.month == month])
    proof: list[Provenance] = [m.source for m in steel_rows]
    return total, (steel_rows[0].claimed_mass if steel_rows else None), proof


def check(ctx: RuleContext) -> Iterator[Finding]:
    band = ctx.thresholds.intensity_range.get(ctx.route)
    if band is None:
        return
    low, high = band
    for month in ctx.assessment.months:
        total, steel, proof = month_figures(ctx, month)
        if not total or not steel:
            continue
        value = intensity(total, steel)
        if low <= value <= high:
            continue
        bound = low if value < low else high
        diff = round_half_up(value - bound, 4)
        yield Finding(
            rule=ID, severity=SEVERITY, period=month, claimed=value, evidenced=bound,
            difference=diff, threshold=f"{span(low, high)} tCO2/t ({ctx.route})", evidence=proof,
            message=message(ID, ctx.lang, period=month, total=fmt(total), steel=fmt(steel),
                            claimed=fmt(value, 4), route=ctx.route, low=f"{low:g}",
                            high=f"{high:g}", difference=fmt(abs(diff), 4),
                            documents=", ".join(dict.fromkeys(p.file for p in proof)) or "-"),
        )
