"""Which fields each kind of record should have, from data/expected.toml.

One list serves two readers: `explain` (why is a field missing?) and the supplier templates
(a record missing a required field may be completed by a template).
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field


class Rows(BaseModel):
    """A record's list: the vocabulary section of its labels, the fields each row should state,
    or the parameters (by `parameter`) the rows should hold."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    section: str
    fields: tuple[str, ...] = ()
    parameters: tuple[str, ...] = ()
    instead: dict[str, tuple[str, ...]] = Field(default_factory=dict)

    def lacks(self, rows: list, parameter: str) -> bool:
        """Whether no row states the parameter (or one that stands in for it)."""
        wanted = {parameter, *self.instead.get(parameter, ())}
        return not any(getattr(r, "parameter", None) in wanted for r in rows)


class Expected(BaseModel):
    """One kind's expectations: required and further expected fields, and its rows."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    section: str
    required: tuple[str, ...] = ()
    expected: tuple[str, ...] = ()
    rows: dict[str, Rows] = Field(default_factory=dict)

    @property
    def fields(self) -> tuple[str, ...]:
        return self.required + self.expected


@lru_cache(maxsize=1)
def expectations() -> dict[str, Expected]:
    """Kind (fuel_invoice, lab_report) -> what a record of it should have."""
    text = resources.files("extractors").joinpath("data", "expected.toml").read_text("utf-8")
    return {kind: Expected(**spec) for kind, spec in tomllib.loads(text).items()}


def is_missing(record: object, name: str) -> bool:
    """Whether a record lacks a field (None, empty text or an empty list)."""
    return getattr(record, name, None) in (None, "", [])


def missing_required(kind: str, record: object) -> list[str]:
    """The required fields of its kind a record lacks."""
    spec = expectations().get(kind)
    return [n for n in spec.required if is_missing(record, n)] if spec else []
