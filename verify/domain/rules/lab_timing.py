"""The month's lab report was issued in time.

Why: a monthly factor stands for the fuel of that month only if its sample was taken inside the
month, and the report must be issued no later than 40 days after month end for the monthly
deposit of evidence (月度存证) (docs/domain.md s1, s4 timing; s5 LAB-TIMING). A late report is an
invalid measurement, for which the conservative default applies.
Fails: for a row claimed as *measured*, the matched report's date later than month end +
lab_report_days. A report sampled outside the month is never matched to it (verify.domain.evidence
.lab_for): that month is LAB-MISSING, which names the report, and this rule stays silent, so one
lab problem is one finding.
Passes: issued in time; an undated report is not judged. The impact shown is the stream's tCO2
at the report's factors minus at the method's defaults.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from verify.domain.assess import FuelAssessment
from verify.domain.rules.base import RuleContext, fmt, message
from verify.domain.rules.effects import default_effect
from verify.model.periods import month_bounds
from verify.model.records import DataSource, Finding, Severity

ID = "LAB-TIMING"
NAME = "lab report issued in time"
SEVERITY = Severity.NON_CONFORMITY
PARAMETERS = ("lab_report_days",)


def _problems(f: FuelAssessment, days: int) -> list[tuple[str, str, float, str, str]]:
    """(key, field, days outside, date seen, limit) for each timing fault of the report."""
    lab, (_first, last) = f.lab, month_bounds(f.month)
    out = []
    deadline = last + dt.timedelta(days=days)
    issued = lab.report_date
    if issued is not None and issued > deadline:
        out.append(("report", "report_date", (issued - deadline).days, issued.isoformat(),
                    deadline.isoformat()))
    return out


def check(ctx: RuleContext) -> Iterator[Finding]:
    days = ctx.thresholds.lab_report_days
    for f in ctx.assessment.fuels:
        if f.row.data_source != DataSource.MEASURED or f.lab is None:
            continue
        for key, field, off, seen, limit in _problems(f, days):
            impact = default_effect(f, ctx.factors)
            where = f.lab.where(field)
            yield Finding(
                rule=ID, severity=SEVERITY, stream=f.row.stream, period=f.month,
                impact_tco2=impact, difference=float(off),
                threshold=f"{limit} ({days} days after month end)" if key == "report" else limit,
                evidence=[where],
                message=message(f"{ID}-{key.upper()}", ctx.lang, stream=f.row.stream,
                                period=f.month, report=f.lab.report_no, seen=seen, limit=limit,
                                days=off, allowed=days,
                                impact=fmt(impact),
                                documents=where.file),
            )
