"""The cited factor library: default NCV, carbon content, oxidation and emission factors.

Each method (`cn-steel-2025`, `cn-steel-2013`, `eu-mrr`) is one CSV file in `data/factors/`
with a source on every row, so an official table can replace a third-party one without code.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from verify.model.errors import UnknownMethod

METHODS = ("cn-steel-2025", "cn-steel-2013", "eu-mrr")


@dataclass(frozen=True)
class Factor:
    """One cited value."""

    value: float
    unit: str
    source: str


@dataclass(frozen=True)
class FactorTable:
    """All factors of one method, keyed by (stream, parameter)."""

    method: str
    rows: dict[tuple[str, str], Factor] = field(default_factory=dict)

    def get(self, stream: str, parameter: str) -> Factor | None:
        """A factor, or None when the method has none for that stream."""
        return self.rows.get((stream, parameter))

    def value(self, stream: str, parameter: str) -> float:
        """A factor's value; a missing one is a configuration fault, named precisely."""
        factor = self.get(stream, parameter)
        if factor is None:
            raise KeyError(f"method {self.method} has no {parameter} for stream {stream}")
        return factor.value

    @property
    def eu_style(self) -> bool:
        """Whether fuels use the tCO2/TJ emission-factor form instead of carbon content."""
        return any(p == "ef_tj" for _, p in self.rows)

    def streams(self) -> set[str]:
        return {s for s, _ in self.rows}

    def default_carbon_content(self, stream: str) -> Factor | None:
        """CC in tC/GJ; the EU form's tCO2/TJ factor is turned into the same quantity."""
        cc = self.get(stream, "carbon_content")
        if cc is not None:
            return cc
        ef = self.get(stream, "ef_tj")
        if ef is None:
            return None
        return Factor(ef.value / 1000 * 12 / 44, "tC/GJ", f"{ef.source} (as tC/GJ)")


def _parse(method: str, text: str) -> FactorTable:
    rows = {
        (r["stream"], r["parameter"]): Factor(float(r["value"]), r["unit"], r["source"])
        for r in csv.DictReader(io.StringIO(text))
    }
    return FactorTable(method, rows)


@cache
def factor_table(method: str) -> FactorTable:
    """The factor table of a method, read from its data file."""
    if method not in METHODS:
        raise UnknownMethod(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    path = resources.files("verify").joinpath("data", "factors", f"{method}.csv")
    return _parse(method, path.read_text("utf-8"))
