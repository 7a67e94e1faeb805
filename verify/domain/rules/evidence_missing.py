"""A claimed quantity has readable evidence behind it.

Why: a verified figure stands on the plant's documents; a claimed quantity that no invoice, meter,
stock or production record in the bundle supports is the plant's word only. Carrying it over as
"verified" without a word would hide it, so the verifier names each such figure and what it
expected to see (ISO 14064-3:2019 s6.1.4 sufficient appropriate evidence; EU AVR Art. 17 and 27:
a scope limitation where the unsupported figure is material; docs/verification.md).
Fails: a claimed fuel row whose consumption has no invoice, meter or stock record for its stream
and month (a self-produced gas: no meter record); a process-material row without a stock record
of its consumption; a product row without a production record. One finding per stream and month,
a non-conformity; a scope limitation when the unsupported figures' tCO2 together reach the
materiality threshold of the claimed total. The claimed figure stays in the verified total (nothing better is known).
Passes: the quantity is evidenced (and then meets AD-INVOICE, PROD-MATCH and the like).
"""

from __future__ import annotations

from collections.abc import Iterator

from verify.domain.assess import UNSUPPORTED
from verify.domain.materiality import threshold_pct
from verify.domain.rules.base import RuleContext, fmt, message, term
from verify.model.records import Finding, Provenance, Severity

ID = "EVIDENCE-MISSING"
NAME = "claimed quantities are evidenced"
SEVERITY = Severity.NON_CONFORMITY
PARAMETERS: tuple[str, ...] = ()


def _expected(kind: str) -> str:
    """The term naming the evidence a figure of this kind and stream needs."""
    if kind == "fuel":
        return "expect_fuel"
    return "expect_stock" if kind == "process" else "expect_production"


def _unsupported(ctx: RuleContext) -> Iterator[tuple[str, str, str, float, float, str, Provenance]]:
    """(kind, stream, month, claimed quantity, claimed tCO2, unit, where) of each unsupported
    quantity."""
    a = ctx.assessment
    for f in a.fuels:
        if f.activity_support == UNSUPPORTED:
            yield "fuel", f.row.stream, f.month, f.row.consumed, f.row.emissions, f.row.unit, \
                f.row.where("consumed")
    for m in a.process + a.products:
        if m.activity_support == UNSUPPORTED:
            yield m.kind, m.stream, m.month, m.claimed_mass, m.claimed_tco2, "t", m.source


def check(ctx: RuleContext) -> Iterator[Finding]:
    total = ctx.claim.total_tco2
    pct = threshold_pct(total, len(ctx.assessment.months), ctx.thresholds)
    figures = list(_unsupported(ctx))
    unverified = sum(abs(tco2) for *_, tco2, _unit, _where in figures)
    limited = bool(total) and unverified * 100 >= pct * abs(total)
    for kind, stream, month, quantity, tco2, unit, where in figures:
        yield Finding(
            rule=ID, severity=SEVERITY, stream=stream, period=month, impact_tco2=None,
            claimed=quantity, evidenced=None, threshold="a record of the quantity",
            evidence=[where], scope_limitation=limited,
            message=message(ID if not limited else f"{ID}-SCOPE", ctx.lang, stream=stream,
                            period=month, quantity=fmt(quantity, 3), unit=unit, tco2=fmt(tco2),
                            expected=term(_expected(kind), ctx.lang), unverified=fmt(unverified),
                            threshold=f"{pct:g}"),
        )
