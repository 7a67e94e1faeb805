"""A factor claimed as measured has its lab report in the bundle.

Why: a measured NCV or carbon content stands only on an accredited lab report of a sample of the
month; without one the conservative default applies, and the difference is quantified
(docs/domain.md s4, "missing or invalid measurement").
Fails: a row with data source *measured* and no lab report of its stream sampled in its month. A
report sampled in another month does not stand in (its factors are that month's); the finding
names it, and it causes no other finding for this month (one lab problem, one finding).
Passes: a report of the month exists (its values are then checked by LAB-MATCH) or the row is
claimed with defaults.
"""

from __future__ import annotations

from collections.abc import Iterator

from verify.domain.calculation import round_half_up
from verify.domain.evidence import other_month_labs
from verify.domain.rules.base import RuleContext, fmt, message
from verify.model.records import DataSource, Finding, Severity

ID = "LAB-MISSING"
NAME = "measured factors have a lab report"
SEVERITY = Severity.NON_CONFORMITY
PARAMETERS: tuple[str, ...] = ()


def check(ctx: RuleContext) -> Iterator[Finding]:
    for f in ctx.assessment.fuels:
        if f.row.data_source != DataSource.MEASURED or f.lab is not None:
            continue
        impact = round_half_up(f.row.emissions - f.verified_tco2)
        others = other_month_labs(ctx.evidence.labs, f.row.stream, f.month)
        named = ", ".join(f"{r.report_no} ({r.sampling_date.isoformat()}, {r.source.file})"
                          for r in others)
        yield Finding(
            rule=ID, severity=SEVERITY, stream=f.row.stream, period=f.month, impact_tco2=impact,
            claimed=f.row.emissions, evidenced=f.verified_tco2, difference=impact,
            threshold="report sampled in the month",
            evidence=[f.row.where("ncv")] + [r.where("sampling_date") for r in others],
            message=message(f"{ID}-OTHER-MONTH" if others else ID, ctx.lang, stream=f.row.stream,
                            period=f.month, ncv=fmt(f.ncv, 3), cc=fmt(f.cc, 5),
                            impact=fmt(impact), reports=named),
        )
