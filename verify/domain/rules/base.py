"""What every rule receives and how a finding is worded.

A rule is a module with `ID`, `NAME`, `SEVERITY`, `PARAMETERS` (threshold names it reads) and a
pure `check(ctx) -> Iterator[Finding]`; its docstring is the verifier's reason.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from verify.domain.assess import Assessment, Evidence
from verify.domain.factors import FactorTable
from verify.domain.thresholds import Thresholds
from verify.model.records import Claim, Document, Provenance


@dataclass(frozen=True)
class RuleContext:
    """Everything a rule may look at; nothing it may change."""

    claim: Claim
    assessment: Assessment
    evidence: Evidence
    documents: list[Document]
    thresholds: Thresholds
    factors: FactorTable
    lang: str = "en"
    route: str = "bf-bof"
    plan_streams: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def _messages() -> dict[str, dict[str, str]]:
    text = resources.files("verify").joinpath("data", "messages.toml").read_text("utf-8")
    return tomllib.loads(text)


def fmt(value: float | None, places: int = 2) -> str:
    """A number as a verifier reads it: thousands separators, fixed decimals."""
    return "-" if value is None else f"{value:,.{places}f}"


def files_of(evidence: Iterable[Provenance]) -> str:
    """Distinct files named by evidence, with pages, for a message."""
    seen: list[str] = []
    for p in evidence:
        ref = p.file + (f" p.{p.page}" if p.page else "") + (f" {p.cell}" if p.cell else "")
        if ref not in seen:
            seen.append(ref)
    return ", ".join(seen) or "-"


def term(name: str, lang: str) -> str:
    """A word a message names (a stock field, an arithmetic check) in the run's language."""
    words = _messages()["terms"][name]
    return words.get(lang, words["en"])


def span(low: float, high: float) -> str:
    """A plausible range as a threshold reads it."""
    return f"{low:g}-{high:g}"


def message(key: str, lang: str, **values: object) -> str:
    """The message of a rule in the run's language, filled from the finding's values."""
    templates = _messages()[key]
    return templates.get(lang, templates["en"]).format(**values)
