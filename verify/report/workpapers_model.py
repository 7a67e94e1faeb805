"""What a recalculation sheet shows of one stream in one period, as plain data.

Built by verify/report/workpapers_inputs.py (and workpapers_lab.py for lab reports), written
by workpapers_streams.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from verify.model.records import Provenance
from verify.model.result import StreamResult


@dataclass(frozen=True)
class ActivityItem:
    """One document's share of a stream's activity data: quantity x unit factor x sign."""

    item: str  # purchased | opening | closing | outbound | metered | stock_consumed | produced
    # | claimed_only | claimed_stock | as_concluded (keys of the strings' [wp] table)
    quantity: float
    unit: str
    factor: float = 1.0
    sign: int = 1
    document: str | None = None
    where: Provenance | None = None

    @property
    def value(self) -> float:
        return self.quantity * self.factor * self.sign


@dataclass(frozen=True)
class FactorInput:
    """A factor of the verified figure with where it comes from."""

    parameter: str  # ncv | cc | of | ef_tj | ef
    value: float
    unit: str
    kind: str  # number kind of report.toml [decimals]
    source: str  # lab | default | claim
    source_args: dict = field(default_factory=dict)
    where: Provenance | None = None
    step: str = ""  # the name other steps refer to it by (defaults to the parameter)
    expression: str | None = None  # a formula of workpapers.toml: the figure is computed
    operands: dict[str, str] = field(default_factory=dict)  # placeholder -> step name
    terms: tuple[tuple[str, str], ...] = ()  # (step, step) pairs summed as products: {terms}
    label_args: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.step or self.parameter


@dataclass(frozen=True)
class Recalculation:
    """One stream in one period: the claimed inputs, the verified inputs and their sources."""

    stream: StreamResult
    claimed_of: float | None
    items: list[ActivityItem]
    factors: list[FactorInput]

    @property
    def cc_from_ef(self) -> bool:
        return any(f.parameter == "ef_tj" for f in self.factors)
