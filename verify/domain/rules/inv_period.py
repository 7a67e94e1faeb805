"""An invoice is dated inside the reporting period.

Why: purchases of a month are the invoices dated in that month (docs/verification.md step 1); an
invoice of another month is either a delivery of another period (worth a look) or, when the
claimed purchases include it, quantity moved into the wrong month (docs/domain.md s5 INV-PERIOD).
Fails: a fuel invoice dated outside every month of the claim. Observation; a misstatement when
the month's claimed purchases exceed its in-period invoices by that invoice's quantity (or by all
out-of-period invoices together) within ad_tolerance_pct; the impact is then the quantity at the
stream's verified factors.
Passes: every invoice dated inside the claim's months (undated ones are not judged here).
"""

from __future__ import annotations

from collections.abc import Iterator

from verify.domain.assess import FuelAssessment
from verify.domain.evidence import InvoiceItem, relative_pct
from verify.domain.rules.base import RuleContext, fmt, message
from verify.domain.rules.effects import activity_effect
from verify.model.periods import month_of
from verify.model.records import Finding, Severity

ID = "INV-PERIOD"
NAME = "invoice in period"
SEVERITY = Severity.OBSERVATION
PARAMETERS = ("ad_tolerance_pct",)


def _included(f: FuelAssessment, item: InvoiceItem, limit: float) -> bool:
    """Whether the claimed purchases of the month hold this out-of-period quantity."""
    qty = item.quantity or 0.0
    if not qty:
        return False
    excess = (f.row.purchased or 0.0) - (f.invoices.purchased or 0.0)
    together = sum(i.quantity or 0.0 for i in f.invoices.out_of_period)
    return relative_pct(excess, qty) <= limit or relative_pct(excess, together) <= limit


def _finding(f: FuelAssessment, item: InvoiceItem, counted: bool, ctx: RuleContext) -> Finding:
    qty = item.quantity or 0.0
    impact = activity_effect(f, qty) if counted else None
    invoice = item.invoice
    where = [invoice.where("date"), item.line.where("quantity")]
    key = ID if not counted else f"{ID}-COUNTED"
    return Finding(
        rule=ID, severity=Severity.MISSTATEMENT if counted else SEVERITY, stream=f.row.stream,
        period=f.month if counted else month_of(invoice.date), impact_tco2=impact,
        claimed=f.row.purchased, evidenced=f.invoices.purchased, difference=qty,
        threshold=f"dated in {', '.join(ctx.assessment.months)}", evidence=where,
        message=message(key, ctx.lang, stream=f.row.stream, number=invoice.number,
                        date=invoice.date.isoformat(), period=f.month,
                        quantity=fmt(qty, 3), unit=f.row.unit,
                        claimed=fmt(f.row.purchased, 3), evidenced=fmt(f.invoices.purchased, 3),
                        pct=ctx.thresholds.ad_tolerance_pct, impact=fmt(impact),
                        documents=invoice.source.file),
    )


def check(ctx: RuleContext) -> Iterator[Finding]:
    months, limit = set(ctx.assessment.months), ctx.thresholds.ad_tolerance_pct
    seen: dict[int, Finding] = {}
    for f in ctx.assessment.fuels:
        for item in f.invoices.out_of_period:
            if month_of(item.invoice.date) in months:
                continue  # counted in its own month of the claim
            counted = _included(f, item, limit)
            prior = seen.get(id(item.line))
            if prior is None or (counted and prior.severity != Severity.MISSTATEMENT):
                seen[id(item.line)] = _finding(f, item, counted, ctx)
    yield from seen.values()
