"""Claimed figures that cannot be negative are not negative.

Why: a quantity consumed, a stock, an output, a calorific value, a carbon content, an emission
factor or a row's tCO2 cannot be below zero; a negative one is an error in the plant's claim
(a sign typed wrong, a deduction entered as negative and deducted again), and a negative claimed
total cannot be judged against a percentage threshold at all (docs/verification.md, input values;
EU AVR Art. 7 and 27: a misstatement the verifier must report).
Fails: any such figure of the claim below zero: one finding per row (naming each negative field
and its cell), and one for the Summary's total or crude-steel output. Passes: every figure zero or
above. A NaN or an infinity in the claim is refused before any rule runs (exit 2, naming the
cell); the impact of a wrong sign is in the stream's difference (materiality counts it there).
"""

from __future__ import annotations

from collections.abc import Iterator

from verify.domain.rules.base import RuleContext, fmt, message
from verify.model.records import Finding, Severity

ID = "CLAIM-VALUES"
NAME = "claimed figures not negative"
SEVERITY = Severity.MISSTATEMENT
PARAMETERS: tuple[str, ...] = ()

FIELDS = {
    "fuel": ("opening", "purchased", "closing", "outbound", "consumed", "ncv", "carbon_content",
             "oxidation", "emissions"),
    "process": ("consumed", "ef", "emissions"),
    "product": ("output", "ef", "deduction"),
    "summary": ("total_tco2", "crude_steel_t"),
}


def _rows(ctx: RuleContext):
    """(kind, stream, period, row) of every claimed row, the Summary last."""
    c = ctx.claim
    yield from (("fuel", r.stream, r.period or c.period, r) for r in c.fuels)
    yield from (("process", r.material, r.period or c.period, r) for r in c.process)
    yield from (("product", r.product, r.period or c.period, r) for r in c.products)
    yield "summary", None, c.period, c


def check(ctx: RuleContext) -> Iterator[Finding]:
    for kind, stream, period, row in _rows(ctx):
        bad = [(name, getattr(row, name)) for name in FIELDS[kind]
               if getattr(row, name, None) is not None and getattr(row, name) < 0]
        if not bad:
            continue
        proof = [row.where(name) for name, _ in bad]
        named = "; ".join(f"{name} = {fmt(value, 3)} ({p.cell or p.file})"
                          for (name, value), p in zip(bad, proof, strict=True))
        yield Finding(
            rule=ID, severity=SEVERITY, stream=stream, period=period, impact_tco2=None,
            claimed=bad[0][1], threshold=">= 0", evidence=proof,
            message=message(ID, ctx.lang, stream=stream or "Summary", period=period,
                            values=named),
        )
