"""An invoice is counted once.

Why: the same invoice number (with its code), or the same seller, date, quantity and amount
under another number, or the same file sent twice, double-counts a delivery in the purchased
quantity (docs/domain.md s5).
Fails: a second occurrence of an invoice for a claimed stream: one finding per duplicated invoice
and stream, however many lines it has, listing its lines (one error, one finding). Passes: every
invoice once. The impact is the duplicate quantity (all its lines) at the stream's verified
factors when the claimed purchases include it, zero when the claim counted the delivery once.
"""

from __future__ import annotations

from collections.abc import Iterator

from verify.domain.rules.base import RuleContext, files_of, fmt, message
from verify.domain.rules.effects import activity_effect
from verify.model.records import Finding, Severity

ID = "INV-DUPLICATE"
NAME = "invoice counted once"
SEVERITY = Severity.MISSTATEMENT
PARAMETERS: tuple[str, ...] = ()


def check(ctx: RuleContext) -> Iterator[Finding]:
    for f in ctx.assessment.fuels:
        by_invoice: dict[int, list] = {}  # the duplicate invoice -> its (line, first) pairs
        for dup, first in f.invoices.duplicates:
            by_invoice.setdefault(id(dup.invoice), []).append((dup, first))
        for pairs in by_invoice.values():
            dup, first = pairs[0]
            qty = sum(d.quantity or 0.0 for d, _ in pairs)
            counted = (f.row.purchased or 0.0) - (f.invoices.purchased or 0.0) >= qty * 0.995
            impact = activity_effect(f, qty) if counted else 0.0
            proof = [dup.invoice.where("number"), first.invoice.where("number")]
            proof += [d.line.where("quantity") for d, _ in pairs]
            yield Finding(
                rule=ID, severity=SEVERITY, stream=f.row.stream, period=f.month,
                impact_tco2=impact, claimed=qty, evidenced=0.0, difference=qty,
                threshold="any repeat", evidence=proof,
                message=message(ID, ctx.lang, stream=f.row.stream, period=f.month,
                                number=dup.invoice.number, lines=len(pairs),
                                quantity=fmt(qty, 3), unit=f.row.unit, impact=fmt(impact),
                                documents=files_of(proof[:2])),
            )
