"""Every stream of the monitoring plan, and every stream the evidence shows, is claimed.

Why: the monitoring plan lists the source streams a plant must report; a stream left out of a
month breaks the plan, and a fuel or material the bundle's own invoices, meters or stock records
show in use but the claim omits is an understatement (docs/domain.md s5 STREAM-COMPLETENESS; s4
misstatement includes omission).
Fails: for each month of the claim, (a) a stream the bundle's evidence shows in use that month
(invoices dated in it, a meter total, or a stock record's consumption) with no claim row:
misstatement, impact minus its quantity at the method's default factors (a fuel: invoiced, else
metered, else consumed; a material: consumed, else invoiced, at its EF); (b) a stream of the
monitoring plan (bundle.toml [streams]) or of the claim's previous month with no row:
non-conformity. Passes: every such stream claimed; a stream reported under (a) is not repeated
under (b).
"""

from __future__ import annotations

from collections.abc import Iterator

from verify.domain.calculation import material_emissions
from verify.domain.evidence import invoice_evidence, meter_for, stock_for
from verify.domain.rules.base import RuleContext, files_of, fmt, message, term
from verify.domain.rules.effects import fuel_at_defaults
from verify.model.periods import previous_month
from verify.model.records import Finding, Provenance, Severity
from verify.model.vocabulary import streams

ID = "STREAM-COMPLETENESS"
NAME = "every stream claimed"
SEVERITY = Severity.NON_CONFORMITY
PARAMETERS: tuple[str, ...] = ()

EMITTING = ("fuel", "process")


def _claimed(ctx: RuleContext) -> dict[str, set[str]]:
    a, out = ctx.assessment, {m: set() for m in ctx.assessment.months}
    for month, stream in [(f.month, f.row.stream) for f in a.fuels] + [
            (m.month, m.stream) for m in a.process + a.products]:
        out.setdefault(month, set()).add(stream)
    return out


def _evidenced(ctx: RuleContext, stream: str, month: str) -> tuple[float, list[Provenance]] | None:
    """The quantity the evidence shows used in the month, with where it stands."""
    ev = ctx.evidence
    inv = invoice_evidence(ev.invoices, stream, month)
    meter, stock = meter_for(ev.meters, stream, month), stock_for(ev.stock, stream, month)
    options = [(inv.purchased, inv.provenance()),
               (meter.total if meter else None, [meter.where("total")] if meter else []),
               (stock.consumed if stock else None, [stock.where("consumed")] if stock else [])]
    if streams()[stream].kind == "process":
        options = options[2:] + options[:1]
    return next(((q, p) for q, p in options if q), None)


def _candidates(ctx: RuleContext) -> set[str]:
    ev = ctx.evidence
    named = {ln.stream for inv in ev.invoices for ln in inv.lines if ln.stream}
    named |= {r.stream for r in ev.meters} | {r.stream for r in ev.stock}
    return {s for s in named if s in streams() and streams()[s].kind in EMITTING}


def _impact(ctx: RuleContext, stream: str, quantity: float) -> float | None:
    if streams()[stream].kind == "fuel":
        tco2 = fuel_at_defaults(quantity, stream, ctx.factors)
    else:
        ef = ctx.factors.get(stream, "ef")
        tco2 = material_emissions(quantity, ef.value) if ef else None
    return None if tco2 is None else -tco2


def _omitted(ctx: RuleContext, month: str, claimed: set[str]) -> Iterator[Finding]:
    for stream in sorted(_candidates(ctx) - claimed):
        seen = _evidenced(ctx, stream, month)
        if seen is None:
            continue
        quantity, proof = seen
        impact, unit = _impact(ctx, stream, quantity), streams()[stream].unit
        yield Finding(
            rule=ID, severity=Severity.MISSTATEMENT, stream=stream, period=month,
            impact_tco2=impact, claimed=0.0, evidenced=quantity, difference=-quantity,
            threshold="every evidenced stream claimed", evidence=proof,
            message=message(f"{ID}-EVIDENCED", ctx.lang, stream=stream, period=month,
                            quantity=fmt(quantity, 3), unit=unit, impact=fmt(impact),
                            omitted=fmt(None if impact is None else abs(impact)),
                            documents=files_of(proof)),
        )


def _expected(ctx: RuleContext, month: str, claimed: dict[str, set[str]]) -> dict[str, str]:
    """Streams the month should hold, each with why: the plan, or the month before."""
    expected = {s: "plan" for s in ctx.plan_streams}
    for s in claimed.get(previous_month(month), set()):
        expected.setdefault(s, "previous_month")
    return expected


def check(ctx: RuleContext) -> Iterator[Finding]:
    claimed = _claimed(ctx)
    for month in ctx.assessment.months:
        reported = set()
        for finding in _omitted(ctx, month, claimed[month]):
            reported.add(finding.stream)
            yield finding
        for stream, why in _expected(ctx, month, claimed).items():
            if stream in claimed[month] or stream in reported:
                continue
            yield Finding(
                rule=ID, severity=SEVERITY, stream=stream, period=month,
                threshold=term(why, ctx.lang), evidence=[ctx.claim.source],
                message=message(ID, ctx.lang, stream=stream, period=month,
                                why=term(why, ctx.lang), documents=ctx.claim.source.file),
            )
