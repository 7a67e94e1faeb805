"""Claimed consumption equals purchases plus the stock change, and the stock record agrees.

Why: AD (consumed) = purchased + opening - closing - outbound (docs/domain.md s2); a row whose
consumption is not its own stock balance, or whose opening, closing, outbound or consumption
differs from the plant's stock record of the month, misstates the activity data (docs/domain.md s5,
AD-STOCK-BALANCE; docs/verification.md, fuel streams step 2).
Fails: |claimed consumed - (purchased + opening - closing - outbound)| > stock_balance_t, or a
claimed opening, closing, outbound or consumed differing from the stock record by more than
stock_balance_t (also a process material's consumed against its stock record).
Passes: the row balances and agrees with the record. A row stating no purchases and no stock
(a self-produced gas) is not balanced; a field missing on either side is not compared.
"""

from __future__ import annotations

from collections.abc import Iterator

from verify.domain.assess import FuelAssessment, MaterialAssessment
from verify.domain.calculation import consumed as balance_of
from verify.domain.calculation import round_half_up
from verify.domain.evidence import stock_for
from verify.domain.rules.base import RuleContext, files_of, fmt, message, term
from verify.domain.rules.effects import activity_effect, material_effect
from verify.model import units
from verify.model.records import Finding, Severity, StockRecord

ID = "AD-STOCK-BALANCE"
NAME = "consumption balances with stock"
SEVERITY = Severity.MISSTATEMENT
PARAMETERS = ("stock_balance_t",)

STOCK_FIELDS = ("opening", "purchased", "closing", "outbound")
# sign of a field's error in the consumption it yields (AD = purchased + opening - closing - out)
RECORD_FIELDS = {"opening": 1.0, "closing": -1.0, "outbound": -1.0, "consumed": 1.0}


def _or0(value: float | None) -> float:
    return value or 0.0


def _own_balance(f: FuelAssessment, ctx: RuleContext) -> Iterator[Finding]:
    row, limit = f.row, ctx.thresholds.stock_balance_t
    if all(getattr(row, name) is None for name in STOCK_FIELDS):
        return
    balance = balance_of(_or0(row.purchased), _or0(row.opening), _or0(row.closing),
                         _or0(row.outbound))
    diff = round_half_up(row.consumed - balance, 3)
    if abs(diff) <= limit:
        return
    proof = [row.where(name) for name in ("consumed", *STOCK_FIELDS)]
    impact = activity_effect(f, diff)
    yield Finding(
        rule=ID, severity=SEVERITY, stream=row.stream, period=f.month, impact_tco2=impact,
        claimed=row.consumed, evidenced=round_half_up(balance, 3), difference=diff,
        threshold=f"{limit} {row.unit}", evidence=proof,
        message=message(ID, ctx.lang, stream=row.stream, period=f.month, unit=row.unit,
                        claimed=fmt(row.consumed, 3), evidenced=fmt(balance, 3),
                        purchased=fmt(_or0(row.purchased), 3), opening=fmt(_or0(row.opening), 3),
                        closing=fmt(_or0(row.closing), 3), outbound=fmt(_or0(row.outbound), 3),
                        difference=fmt(diff, 3), threshold=limit, impact=fmt(impact),
                        documents=files_of(proof)),
    )


def _record_value(stock: StockRecord, name: str, unit: str) -> float | None:
    value = getattr(stock, name)
    try:
        return None if value is None else units.to_activity(value, stock.unit, unit)
    except (ValueError, TypeError):  # unknown unit, or another dimension
        return None


def _against_record(stream: str, month: str, unit: str, claimed: dict[str, float | None],
                    stock: StockRecord, effect, ctx: RuleContext, where) -> Iterator[Finding]:
    limit = ctx.thresholds.stock_balance_t
    for name, sign in RECORD_FIELDS.items():
        mine, recorded = claimed.get(name), _record_value(stock, name, unit)
        if mine is None or recorded is None:
            continue
        diff = round_half_up(mine - recorded, 3)
        if abs(diff) <= limit:
            continue
        impact = effect(sign * diff)
        proof = [where(name), stock.where(name)]
        yield Finding(
            rule=ID, severity=SEVERITY, stream=stream, period=month, impact_tco2=impact,
            claimed=mine, evidenced=recorded, difference=diff, threshold=f"{limit} {unit}",
            evidence=proof,
            message=message(f"{ID}-RECORD", ctx.lang, stream=stream, period=month, unit=unit,
                            field=term(name, ctx.lang), claimed=fmt(mine, 3),
                            evidenced=fmt(recorded, 3), difference=fmt(diff, 3), threshold=limit,
                            impact=fmt(impact), documents=files_of(proof)),
        )


def _fuel_record(f: FuelAssessment, ctx: RuleContext) -> Iterator[Finding]:
    if f.stock is None:
        return
    claimed = {name: getattr(f.row, name) for name in RECORD_FIELDS}
    yield from _against_record(f.row.stream, f.month, f.row.unit, claimed, f.stock,
                               lambda delta: activity_effect(f, delta), ctx, f.row.where)


def _material_record(m: MaterialAssessment, ctx: RuleContext) -> Iterator[Finding]:
    stock = stock_for(ctx.evidence.stock, m.stream, m.month)
    if stock is None:
        return
    yield from _against_record(m.stream, m.month, "t", {"consumed": m.claimed_mass}, stock,
                               lambda delta: material_effect(delta, m.ef), ctx,
                               lambda _name: m.source)


def check(ctx: RuleContext) -> Iterator[Finding]:
    for f in ctx.assessment.fuels:
        yield from _own_balance(f, ctx)
        yield from _fuel_record(f, ctx)
    for m in ctx.assessment.process:
        yield from _material_record(m, ctx)
