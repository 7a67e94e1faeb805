"""A fuel's NCV and carbon content lie in the range plausible for that fuel.

Why: each fuel has a narrow band of calorific value and carbon per GJ (coke NCV 26-31 GJ/t,
natural gas 340-400 GJ/10^4 Nm3 ...); a value outside it is more often a misread unit, basis or
sample than a real fuel, and is worth a look even when the claim and the lab agree (docs/domain.md s5
LAB-RANGE; ranges in rules.toml [lab_range]).
Fails: the claimed NCV or CC (in GJ per activity unit and tC/GJ), or the lab report's value when
it differs from the claimed one by more than lab_tolerance_pct, outside [low, high].
Passes: inside the range, or no range for the fuel. An observation: no error is proven.
"""

from __future__ import annotations

from collections.abc import Iterator

from verify.domain.assess import FuelAssessment
from verify.domain.calculation import round_half_up
from verify.domain.evidence import relative_pct
from verify.domain.rules.base import RuleContext, fmt, message, span, term
from verify.model import units
from verify.model.records import Finding, Provenance, Severity

ID = "LAB-RANGE"
NAME = "factors plausible for the fuel"
SEVERITY = Severity.OBSERVATION
PARAMETERS = ("lab_range", "lab_tolerance_pct")

PLACES = {"ncv": 3, "carbon_content": 5}


def _values(f: FuelAssessment, ctx: RuleContext) -> Iterator[tuple[str, str, float, Provenance]]:
    """(parameter, whose value, value, where) to judge: the claim's, and the lab's when other."""
    claimed = {"ncv": units.ncv_to_standard(f.row.ncv, f.row.ncv_unit, f.row.unit),
               "carbon_content": f.row.carbon_content}
    v = f.lab_values
    lab = {"ncv": (v.ncv, v.ncv_source), "carbon_content": (v.cc, next(iter(v.cc_sources), None))
           } if v is not None else {}
    for name, value in claimed.items():
        yield name, "claimed_value", value, f.row.where(name)
        seen, where = lab.get(name, (None, None))
        if seen is not None and relative_pct(value, seen) > ctx.thresholds.lab_tolerance_pct:
            yield name, "lab_report", seen, where or f.lab.source


def check(ctx: RuleContext) -> Iterator[Finding]:
    for f in ctx.assessment.fuels:
        ranges = ctx.thresholds.lab_range.get(f.row.stream, {})
        for name, whose, value, where in _values(f, ctx):
            if name not in ranges:
                continue
            low, high = ranges[name]
            if low <= value <= high:
                continue
            bound = low if value < low else high
            unit = units.NCV_UNITS[f.row.unit] if name == "ncv" else "tC/GJ"
            places = PLACES[name]
            diff = round_half_up(value - bound, places)
            yield Finding(
                rule=ID, severity=SEVERITY, stream=f.row.stream, period=f.month,
                claimed=value, evidenced=bound, difference=diff,
                threshold=f"{span(low, high)} {unit}", evidence=[where],
                message=message(ID, ctx.lang, stream=f.row.stream, period=f.month,
                                parameter=term(name, ctx.lang), whose=term(whose, ctx.lang),
                                value=fmt(value, places), unit=unit, low=f"{low:g}",
                                high=f"{high:g}", difference=fmt(abs(diff), places),
                                documents=where.file),
            )
