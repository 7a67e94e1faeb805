"""An invoice's own arithmetic holds: quantity x unit price = amount, lines add up to the totals.

Why: a line whose amount is not its quantity times its unit price, or totals that are not the sum
of the lines, mean a figure was misread or the document altered; the quantity that enters the
activity data then needs a second look (docs/domain.md s5 INV-ARITHMETIC).
Fails: |quantity x unit price - amount| beyond invoice_arithmetic plus the rounding of the unit
price as printed (half a unit of its last decimal, times the quantity); |sum of line amounts -
total amount|, |sum of line taxes - total tax| or |total amount + total tax - total with tax|
> invoice_arithmetic. Passes: every stated figure adds up; a figure not printed is not judged.
An observation: the quantity compared with the claim is judged by AD-INVOICE.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from verify.domain.calculation import round_half_up
from verify.domain.rules.base import RuleContext, fmt, message, term
from verify.model.periods import month_of
from verify.model.records import Finding, FuelInvoice, Provenance, Severity

ID = "INV-ARITHMETIC"
NAME = "invoice arithmetic"
SEVERITY = Severity.OBSERVATION
PARAMETERS = ("invoice_arithmetic",)


def _price_rounding(quantity: float, price: float, step: float) -> float:
    """What rounding the printed unit price can move quantity x price by: half a unit of its last
    decimal, the price being printed at least to the currency step (the threshold, 0.01)."""
    exponent = Decimal(repr(price)).normalize().as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return abs(quantity) * min(0.5 * 10.0 ** -places, step / 2)


def _checks(inv: FuelInvoice, step: float) -> Iterator[tuple[str, float, float, float, list[Provenance]]]:
    """(what, stated, computed, allowance beyond the threshold, where) for each check."""
    for n, ln in enumerate(inv.lines, 1):
        if None not in (ln.quantity, ln.unit_price, ln.amount):
            yield (f"line {n}", ln.amount, ln.quantity * ln.unit_price,
                   _price_rounding(ln.quantity, ln.unit_price, step),
                   [ln.where("quantity"), ln.where("unit_price"), ln.where("amount")])
    amounts = [ln.amount for ln in inv.lines]
    if inv.total_amount is not None and amounts and None not in amounts:
        yield "lines_total", inv.total_amount, sum(amounts), 0.0, [inv.where("total_amount")]
    taxes = [ln.tax for ln in inv.lines]
    if inv.total_tax is not None and taxes and None not in taxes:
        yield "tax_total", inv.total_tax, sum(taxes), 0.0, [inv.where("total_tax")]
    if None not in (inv.total_amount, inv.total_tax, inv.total_with_tax):
        yield ("with_tax", inv.total_with_tax, inv.total_amount + inv.total_tax, 0.0,
               [inv.where("total_with_tax")])


def _unique(invoices: list[FuelInvoice]) -> Iterator[FuelInvoice]:
    seen: set[tuple] = set()
    for inv in invoices:
        key = (inv.code, inv.number, inv.date, inv.total_with_tax)
        if key not in seen:
            seen.add(key)
            yield inv


def _stream(inv: FuelInvoice) -> str | None:
    return next((ln.stream for ln in inv.lines if ln.stream), None)


def check(ctx: RuleContext) -> Iterator[Finding]:
    limit = ctx.thresholds.invoice_arithmetic
    for inv in _unique(ctx.evidence.invoices):
        for what, stated, computed, allowance, where in _checks(inv, limit):
            diff = round_half_up(stated - computed)
            if abs(diff) <= limit + allowance:
                continue
            label = term("line", ctx.lang).format(n=what.split()[1]) if what.startswith(
                "line ") else term(what, ctx.lang)
            yield Finding(
                rule=ID, severity=SEVERITY, stream=_stream(inv),
                period=month_of(inv.date) if inv.date else None, claimed=stated,
                evidenced=round_half_up(computed), difference=diff,
                threshold=f"{limit} {inv.currency}", evidence=where,
                message=message(ID, ctx.lang, number=inv.number, check=label,
                                claimed=fmt(stated), evidenced=fmt(computed), difference=fmt(diff),
                                threshold=limit, currency=inv.currency,
                                documents=where[0].file),
            )
