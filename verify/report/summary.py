"""The run's streams gathered for reading: one group per stream (its months inside), totals per
month, and intensity. Pure functions over the RunResult: what the summary, the recalculation
and the charts show, computed once.

A product's tCO2 is carbon kept in the product and is deducted from the total
(E = fuels + process - products), so it is carried with a minus sign where rows are added up.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from verify.model.result import RunResult, StreamResult
from verify.report.statement import months_of

DEDUCTED = "product"
OUTPUT_STREAM = "crude_steel"  # the output intensity is stated against


def signed(value: float, kind: str) -> float:
    """A stream's tCO2 as it enters the total."""
    return -value if kind == DEDUCTED else value


@dataclass(frozen=True)
class StreamGroup:
    """One stream over the period: its rows (one per month) and their sums."""

    name: str
    kind: str
    label: str
    rows: list[StreamResult]

    @property
    def claimed(self) -> float:
        return round(sum(signed(s.claimed_tco2, s.kind) for s in self.rows), 2)

    @property
    def verified(self) -> float:
        return round(sum(signed(s.verified_tco2, s.kind) for s in self.rows), 2)

    @property
    def unit(self) -> str:
        return self.rows[0].activity.unit if self.rows else ""

    @property
    def activity_claimed(self) -> float | None:
        values = [s.activity.claimed for s in self.rows if s.activity.claimed is not None]
        return round(sum(values), 6) if values else None

    @property
    def activity_evidenced(self) -> float | None:
        values = [s.activity.evidenced for s in self.rows if s.activity.evidenced is not None]
        return round(sum(values), 6) if values else None

    @property
    def differs(self) -> bool:
        return abs(self.claimed - self.verified) >= 0.005


@dataclass(frozen=True)
class MonthTotal:
    period: str
    claimed: float
    verified: float
    output_t: float | None

    @property
    def intensity(self) -> float | None:
        return None if not self.output_t else self.verified / self.output_t


KIND_ORDER = {"fuel": 0, "process": 1, "product": 2}


def stream_groups(result: RunResult) -> list[StreamGroup]:
    """Streams in claim order (fuels, process, products), each with its months in order."""
    rows: dict[str, list[StreamResult]] = defaultdict(list)
    for s in result.streams:
        rows[s.name].append(s)
    groups = [StreamGroup(name, items[0].kind, items[0].label,
                          sorted(items, key=lambda s: s.period or "")) for name, items in rows.items()]
    return sorted(groups, key=lambda g: KIND_ORDER.get(g.kind, 9))


def month_totals(result: RunResult) -> list[MonthTotal]:
    """Claimed and verified tCO2 per month, with the crude-steel output of the month."""
    months = months_of(result)
    claimed: dict[str, float] = defaultdict(float)
    verified: dict[str, float] = defaultdict(float)
    output: dict[str, float] = {}
    for s in result.streams:
        period = s.period or result.period
        claimed[period] += signed(s.claimed_tco2, s.kind)
        verified[period] += signed(s.verified_tco2, s.kind)
        if s.name == OUTPUT_STREAM:
            amount = s.activity.evidenced if s.activity.evidenced is not None else s.activity.claimed
            output[period] = amount or 0.0
    if len(months) == 1 and months[0] not in output and result.crude_steel_t:
        output[months[0]] = result.crude_steel_t
    return [MonthTotal(m, round(claimed[m], 2), round(verified[m], 2), output.get(m))
            for m in months]
