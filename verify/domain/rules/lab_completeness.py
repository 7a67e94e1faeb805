"""A lab report gives carbon, calorific value and moisture (for coal also H and S) of one sample.

Why: the data-quality rules ask for one sample tested for element carbon, calorific value and
moisture, and for coal also hydrogen and sulphur, so that the carbon and the NCV describe the
same coal and the basis conversion can be checked (docs/domain.md s1, s4; s5 LAB-COMPLETENESS). A gas
report needs its NCV and its composition.
Fails: the report used for a row claimed as *measured* lacks a parameter listed for its stream in
rules.toml [lab_required] ("a|b": either; "composition": any carbon-bearing gas component).
Passes: every listed parameter is on the report, or the stream has no list.
"""

from __future__ import annotations

from collections.abc import Iterator

from verify.domain.evidence import gas_carbon_atoms
from verify.domain.rules.base import RuleContext, message
from verify.model.records import DataSource, Finding, LabReport, Severity

ID = "LAB-COMPLETENESS"
NAME = "lab report complete"
SEVERITY = Severity.NON_CONFORMITY
PARAMETERS = ("lab_required",)


def _met(requirement: str, given: set[str]) -> bool:
    if requirement == "composition":
        return any(gas_carbon_atoms().get(p, 0) > 0 for p in given)
    return any(alternative in given for alternative in requirement.split("|"))


def missing(report: LabReport, required: tuple[str, ...]) -> list[str]:
    """The required parameters the report does not give."""
    given = {r.parameter for r in report.results}
    return [req for req in required if not _met(req, given)]


def check(ctx: RuleContext) -> Iterator[Finding]:
    for f in ctx.assessment.fuels:
        if f.row.data_source != DataSource.MEASURED or f.lab is None:
            continue
        required = ctx.thresholds.lab_required.get(f.row.stream, ())
        absent = missing(f.lab, required)
        if not absent:
            continue
        yield Finding(
            rule=ID, severity=SEVERITY, stream=f.row.stream, period=f.month,
            threshold=", ".join(required), evidence=[f.lab.source],
            message=message(ID, ctx.lang, stream=f.row.stream, period=f.month,
                            report=f.lab.report_no, missing=", ".join(absent),
                            required=", ".join(required), documents=f.lab.source.file),
        )
