"""The verifier's review of a run's findings before signing: a decision on each finding.

A rejected finding leaves the misstatement, an adjusted one changes its impact, an accepted one
stands; each decision keeps its author, time and comment. A review re-issues the run's report;
the original run is never altered.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class ReviewError(ValueError):
    """Decisions that cannot be applied: an unknown finding, an adjustment without an impact."""


class Decision(StrEnum):
    ACCEPT = "accept"
    REJECT = "reject"
    ADJUST = "adjust"


class FindingDecision(BaseModel):
    """One decision on one finding, as the verifier wrote it (workpapers.xlsx or decisions.yml)."""

    model_config = ConfigDict(frozen=True)

    finding_id: str  # F-001, the id of findings.json
    decision: Decision
    adjusted_impact_tco2: float | None = None
    comment: str = ""
    reviewer: str = ""
    decided_at: str = ""  # ISO time; the review's time when not given
    source: str = ""  # where it was written: "workpapers.xlsx Findings!M3", "decisions.yml #2"


class ReviewChange(BaseModel):
    """What one decision did to one finding of the run."""

    model_config = ConfigDict(frozen=True)

    finding_id: str  # the original run's id
    now_id: str | None = None  # its id in the re-issued report (None: rejected)
    rule: str
    stream: str | None = None
    message: str = ""
    decision: Decision
    impact_before: float | None = None
    impact_after: float | None = None
    comment: str = ""
    reviewer: str = ""
    decided_at: str = ""


class Review(BaseModel):
    """A review of one stored run: its decisions and what they did to the opinion."""

    model_config = ConfigDict(frozen=True)

    review_id: str
    run_id: str  # the reviewed (original) run, never altered
    reviewed_at: str
    changes: list[ReviewChange] = Field(default_factory=list)
    opinion_before: str
    opinion_after: str
    misstatement_before_tco2: float
    misstatement_after_tco2: float
    verified_before_tco2: float
    verified_after_tco2: float

    @property
    def reviewers(self) -> list[str]:
        return list(dict.fromkeys(c.reviewer for c in self.changes if c.reviewer))
