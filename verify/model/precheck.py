"""The plant's pre-check: fix items in the plant's terms, most costly first.

A fix item is one thing the plant should set right before it submits or sends its bundle: what
is missing, what disagrees, what a verifier would read as a misstatement and how large, what a
verifier will ask; each with where to look and what to do.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

PRECHECK_SCHEMA = "carbon-verify/precheck/v1"


class Blocks(StrEnum):
    """What an item would do to the verifier's opinion if it is sent as it is."""

    MISSTATEMENT = "misstatement"  # a misstatement the verifier will report
    SCOPE = "scope_limitation"  # the verifier cannot conclude (the opinion would be not verified)
    NONE = "none"  # a non-conformity, an observation or a question: does not block


class FixItem(BaseModel):
    """One item of the plant's fix list."""

    model_config = ConfigDict(frozen=True)

    no: int  # position in the list, 1 = most costly
    kind: str  # missing | disagrees | question (precheck.toml [kinds])
    rule: str  # the rule or plan check that raised it
    blocks: Blocks
    impact_tco2: float | None = None  # what it moves the verified emissions by (signed)
    stream: str | None = None
    period: str | None = None
    what: str  # what is wrong, with the numbers
    todo: str  # what to do
    where: list[str] = Field(default_factory=list)  # "file p.2", "file Sheet!B7"
    finding_id: str | None = None  # the run's finding (F-001) it comes from


class Precheck(BaseModel):
    """A bundle's pre-check: the items, whether anything blocks, and the month's deadline."""

    model_config = ConfigDict(frozen=True)

    facility_id: str
    facility_name: str = ""
    period: str
    lang: str = "en"
    deadline: str | None = None  # the month's filing deadline (ISO date), when the period is a month
    opinion: str = ""  # the opinion a verifier would give the bundle as it is
    misstatement_tco2: float = 0.0
    misstatement_pct: float = 0.0
    threshold_pct: float = 0.0
    items: list[FixItem] = Field(default_factory=list)

    @property
    def blocking(self) -> list[FixItem]:
        return [i for i in self.items if i.blocks != Blocks.NONE]
