"""A lab report behind a measured factor shows its accreditation mark and number.

Why: a measured NCV or carbon content counts only from a lab accredited for the method: a CMA or
CNAS mark with its number (CNAS L1234) in China, EN ISO/IEC 17025 in the EU (docs/domain.md s1, s4;
s5 LAB-ACCREDITATION). A report without one is an invalid measurement, for which the
conservative default applies.
Fails: the report used for a row claimed as *measured* names no accreditation, or names a mark
(rules.toml accreditation_marks) with no number of at least accreditation_min_digits digits.
Passes: a mark and its number. The impact shown is the stream's tCO2 at the report's factors
minus at the method's defaults.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from verify.domain.rules.base import RuleContext, fmt, message
from verify.domain.rules.effects import default_effect
from verify.model.records import DataSource, Finding, LabReport, Severity

ID = "LAB-ACCREDITATION"
NAME = "lab accredited"
SEVERITY = Severity.NON_CONFORMITY
PARAMETERS = ("accreditation_marks", "accreditation_min_digits")

_STANDARD_YEAR = re.compile(r":\s*\d{4}")  # "17025:2017" names the standard's edition


def accredited(entry: str, marks: tuple[str, ...], min_digits: int) -> bool:
    """Whether one printed accreditation names a mark and, beside it, its number."""
    text = entry.upper()
    named = [m for m in marks if m.upper() in text]
    if not named:
        return False
    for mark in named:
        text = text.replace(mark.upper(), " ")
    text = _STANDARD_YEAR.sub(" ", text)
    return re.search(rf"\d{{{min_digits},}}", text) is not None


def _valid(report: LabReport, ctx: RuleContext) -> bool:
    t = ctx.thresholds
    return any(accredited(a, t.accreditation_marks, t.accreditation_min_digits)
               for a in report.accreditation)


def check(ctx: RuleContext) -> Iterator[Finding]:
    for f in ctx.assessment.fuels:
        if f.row.data_source != DataSource.MEASURED or f.lab is None or _valid(f.lab, ctx):
            continue
        printed = "; ".join(f.lab.accreditation) or "-"
        impact = default_effect(f, ctx.factors)
        where = f.lab.where("accreditation")
        yield Finding(
            rule=ID, severity=SEVERITY, stream=f.row.stream, period=f.month, impact_tco2=impact,
            threshold="CMA / CNAS / ISO/IEC 17025 mark with number", evidence=[where],
            message=message(ID, ctx.lang, stream=f.row.stream, period=f.month,
                            report=f.lab.report_no, lab=f.lab.lab_name or "-", printed=printed,
                            impact=fmt(impact),
                            documents=where.file),
        )
