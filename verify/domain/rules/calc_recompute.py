"""Each claimed row equals its own inputs multiplied out.

Why: the template's rows are AD x NCV x CC x OF x 44/12 (or M x EF); a row that does not equal
its inputs is an arithmetic misstatement, whatever the evidence says (docs/domain.md s2).
Fails: |claimed tCO2 - recomputed tCO2| > recompute_t. Passes: equal to the cent.
"""

from __future__ import annotations

from collections.abc import Iterator

from verify.domain.calculation import round_half_up
from verify.domain.rules.base import RuleContext, fmt, message
from verify.model.records import Finding, Severity

ID = "CALC-RECOMPUTE"
NAME = "claimed rows recompute"
SEVERITY = Severity.MISSTATEMENT
PARAMETERS = ("recompute_t",)


def _rows(ctx: RuleContext):
    a = ctx.assessment
    for f in a.fuels:
        yield f.row.stream, f.month, f.row.emissions, f.recomputed_tco2, f.row.source
    for m in a.process + a.products:
        yield m.stream, m.month, m.claimed_tco2, m.recomputed_tco2, m.source


def check(ctx: RuleContext) -> Iterator[Finding]:
    limit = ctx.thresholds.recompute_t
    for stream, month, claimed, recomputed, source in _rows(ctx):
        diff = round_half_up(claimed - recomputed)
        if abs(diff) > limit:
            yield Finding(
                rule=ID, severity=SEVERITY, stream=stream, period=month, impact_tco2=diff,
                claimed=claimed, evidenced=recomputed, difference=diff, threshold=f"{limit} t",
                evidence=[source],
                message=message(ID, ctx.lang, stream=stream, period=month, claimed=fmt(claimed),
                                evidenced=fmt(recomputed), difference=fmt(diff), threshold=limit),
            )
