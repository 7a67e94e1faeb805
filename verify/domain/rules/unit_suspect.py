"""A claimed value is off from its evidence by a unit factor.

Why: t written for kg (x1000), Nm3 for 10^4 Nm3 (x10^4) and kcal for kJ (x4.1868 or x0.2388)
are the commonest errors in monthly data; naming the unit explains a difference that AD-INVOICE,
LAB-MATCH or PROD-MATCH only measure (docs/domain.md s5 UNIT-SUSPECT).
Fails: claimed / evidenced within unit_suspect_pct of a unit factor or its inverse, the factors
computed by verify.model.units from rules.toml [unit_pairs]: masses (purchases and consumption in t,
process materials, products) against invoices, stock and production records; gas volumes against
invoices and meters; NCV against the lab report (or the method's default when there is none).
Also fails when the claimed purchases exceed the invoices by one invoice line's printed figure
minus its converted figure (7,000 kg taken as 7,000 t). Passes: no ratio near a unit factor. The impact is the difference at the stream's factors, the
same figure the rule measuring the difference shows (materiality counts a stream once).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from verify.domain.assess import FuelAssessment
from verify.domain.evidence import relative_pct
from verify.domain.rules.base import RuleContext, files_of, fmt, message, term
from verify.domain.rules.effects import activity_effect, material_effect, ncv_effect
from verify.model import units
from verify.model.records import Finding, Provenance, Severity

ID = "UNIT-SUSPECT"
NAME = "unit factor suspected"
SEVERITY = Severity.MISSTATEMENT
PARAMETERS = ("unit_suspect_pct", "unit_pairs")


@dataclass(frozen=True)
class Compared:
    stream: str
    period: str
    quantity: str  # a term: purchased, consumed, ncv, output
    dimension: str  # a key of unit_pairs
    unit: str
    claimed: float | None
    evidenced: float | None
    impact: float | None
    evidence: list[Provenance]


def _fuel(f: FuelAssessment, ctx: RuleContext) -> Iterator[Compared]:
    row, dim = f.row, "mass" if f.row.unit == "t" else "volume"
    if row.purchased is not None and f.invoices.purchased:
        yield Compared(row.stream, f.month, "purchased", dim, row.unit, row.purchased,
                       f.invoices.purchased, activity_effect(f, row.purchased - f.invoices.purchased),
                       [row.where("purchased")] + f.invoices.provenance())
    if f.consumed_evidenced:
        yield Compared(row.stream, f.month, "consumed", dim, row.unit, row.consumed,
                       f.consumed_evidenced, activity_effect(f, row.consumed - f.consumed_evidenced),
                       [row.where("consumed")] + f.evidence)
    ncv = units.ncv_to_standard(row.ncv, row.ncv_unit, row.unit)
    lab = f.lab_values.ncv if f.lab_values else None
    default = ctx.factors.get(row.stream, "ncv")
    ref = lab if lab is not None else (default.value if default else None)
    if ref:
        where = [f.lab_values.ncv_source] if lab is not None and f.lab_values.ncv_source else []
        yield Compared(row.stream, f.month, "ncv", "energy", units.NCV_UNITS[row.unit], ncv, ref,
                       ncv_effect(f, ncv, ref), [row.where("ncv")] + where)


def _compared(ctx: RuleContext) -> Iterator[Compared]:
    a = ctx.assessment
    for f in a.fuels:
        yield from _fuel(f, ctx)
    for m in a.process + a.products:
        if m.mass_evidenced:
            sign = 1.0 if m.kind == "process" else -1.0
            yield Compared(m.stream, m.month, "output" if m.kind == "product" else "consumed",
                           "mass", "t", m.claimed_mass, m.mass_evidenced,
                           sign * material_effect(m.claimed_mass - m.mass_evidenced, m.ef),
                           [m.source] + m.evidence)


def _factor(c: Compared, ctx: RuleContext) -> tuple[str, float] | None:
    """The unit pair and factor the ratio claimed / evidenced is close to, if any."""
    if not c.claimed or not c.evidenced:
        return None
    ratio = c.claimed / c.evidenced
    for big, small in ctx.thresholds.unit_pairs.get(c.dimension, ()):
        factor = units.convert(1.0, big, small)
        for candidate in (factor, 1 / factor):
            if relative_pct(ratio, candidate) <= ctx.thresholds.unit_suspect_pct:
                return f"{big} / {small}", candidate
    return None


def _slipped_lines(ctx: RuleContext) -> Iterator[tuple[Compared, str, float]]:
    """Invoice lines whose printed figure the claim took as if in the activity unit: the claimed
    purchases exceed the invoices by (printed - converted) of one line, within unit_suspect_pct."""
    limit = ctx.thresholds.unit_suspect_pct
    for f in ctx.assessment.fuels:
        gap = (f.row.purchased or 0.0) - (f.invoices.purchased or 0.0)
        for item in f.invoices.counted:
            printed, converted = item.line.quantity, item.quantity
            if printed is None or converted is None or abs(printed - converted) < 1e-9:
                continue
            slip = printed - converted
            if gap and relative_pct(gap, slip) <= limit:
                proof = [f.row.where("purchased"), item.line.where("quantity")]
                yield (Compared(f.row.stream, f.month, "purchased", "line", f.row.unit,
                                f.row.purchased, f.invoices.purchased, activity_effect(f, gap), proof),
                       f"{item.line.unit} / {f.row.unit}", printed / converted)


def check(ctx: RuleContext) -> Iterator[Finding]:
    seen = set()
    for c, pair, factor in _slipped_lines(ctx):
        seen.add((c.stream, c.period, c.quantity))
        yield _finding(c, pair, factor, ctx)
    for c in _compared(ctx):
        if (c.stream, c.period, c.quantity) in seen:
            continue
        hit = _factor(c, ctx)
        if hit is None:
            continue
        pair, factor = hit
        yield _finding(c, pair, factor, ctx)


def _finding(c: Compared, pair: str, factor: float, ctx: RuleContext) -> Finding:
    limit = ctx.thresholds.unit_suspect_pct
    ratio = c.claimed / c.evidenced
    return Finding(
        rule=ID, severity=SEVERITY, stream=c.stream, period=c.period, impact_tco2=c.impact,
        quantity="ncv" if c.quantity == "ncv" else "activity",
        claimed=c.claimed, evidenced=c.evidenced, difference=c.claimed - c.evidenced,
        threshold=f"ratio within {limit} % of x{factor:.6g} ({pair})", evidence=c.evidence,
        message=message(ID, ctx.lang, stream=c.stream, period=c.period,
                        quantity=term(c.quantity, ctx.lang), unit=c.unit,
                        claimed=fmt(c.claimed, 3), evidenced=fmt(c.evidenced, 3),
                        ratio=f"{ratio:.6g}", factor=f"{factor:.6g}", pair=pair,
                        threshold=limit, impact=fmt(c.impact),
                        documents=files_of(c.evidence[1:])),
        )
