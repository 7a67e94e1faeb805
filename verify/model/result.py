"""The outcome of one verification run: what findings.json, the report and the store hold.

The field names follow the findings.json contract of ARCHITECTURE.md; `to_findings_json` is the
one place that writes that shape.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from verify.model.records import Document, Finding, Provenance
from verify.model.review import Review

FINDINGS_SCHEMA = "carbon-verify/findings/v1"


class Opinion(StrEnum):
    SATISFACTORY = "satisfactory"
    SATISFACTORY_WITH_COMMENTS = "satisfactory_with_comments"
    NOT_VERIFIED = "not_verified"


class Compared(BaseModel):
    """A claimed value beside the value the evidence supports."""

    model_config = ConfigDict(frozen=True)

    claimed: float | None = None
    evidenced: float | None = None
    unit: str = ""
    support: str = ""  # evidenced | defaulted | unsupported: what the verified figure stands on


class StreamResult(BaseModel):
    """One emission stream: claimed and verified tCO2 and the inputs behind them."""

    model_config = ConfigDict(frozen=True)

    name: str
    kind: str  # fuel | process | product
    period: str | None = None
    label: str = ""
    claimed_tco2: float
    verified_tco2: float
    activity: Compared = Compared()
    ncv: Compared | None = None
    carbon_content: Compared | None = None
    oxidation: float | None = None
    ef: Compared | None = None
    basis: str = ""  # how the verified figure was reached, in words
    evidence: list[Provenance] = Field(default_factory=list)


class Cause(BaseModel):
    """One error behind the misstatement: a part of a stream's difference (a figure of its
    equation: activity, ncv, cc, recompute, ...) and every rule that saw it; counted once."""

    model_config = ConfigDict(frozen=True)

    stream: str
    period: str | None = None
    quantity: str
    impact_tco2: float
    rules: list[str] = Field(default_factory=list)
    findings: list[str] = Field(default_factory=list)  # ids, F-001


class Materiality(BaseModel):
    model_config = ConfigDict(frozen=True)

    threshold_pct: float
    misstatement_tco2: float
    misstatement_pct: float
    material: bool
    # how the misstatement is made up (docs/verification.md, totals): stream differences shown
    # with a finding, differences within tolerance (aggregated, no finding of their own), the
    # tie-out difference and omitted evidenced streams; the four add up to misstatement_tco2
    reported_tco2: float = 0.0
    within_tolerance_tco2: float = 0.0
    tieout_tco2: float = 0.0
    omitted_tco2: float = 0.0
    causes: list[Cause] = Field(default_factory=list)  # the reported line, cause by cause


class Facility(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    name: str = ""


class RunResult(BaseModel):
    """Everything one run concluded; stored whole and rendered to every output."""

    model_config = ConfigDict(frozen=True)

    run_id: str
    facility: Facility
    period: str
    method: str
    opinion: Opinion
    opinion_reason: str = ""
    claimed_total_tco2: float
    verified_total_tco2: float
    crude_steel_t: float | None = None
    materiality: Materiality
    streams: list[StreamResult] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    documents: list[Document] = Field(default_factory=list)
    lang: str = "en"
    bundle: str = ""
    started_at: str = ""
    thresholds: dict[str, float | str] = Field(default_factory=dict)
    review: Review | None = None  # the verifier's decisions, on a re-issued report only

    def finding_id(self, index: int) -> str:
        """The stable id of the finding at `index` ("F-001")."""
        return f"F-{index + 1:03d}"


def _evidence_json(p: Provenance) -> dict:
    return {
        "file": p.file,
        "sha256": p.sha256,
        "page": p.page,
        "bbox": list(p.bbox) if p.bbox else None,
        "cell": p.cell,
        "text": p.text,
    }


def _compared_json(c: Compared | None) -> dict | None:
    return None if c is None else {"claimed": c.claimed, "evidenced": c.evidenced, "unit": c.unit,
                                   "support": c.support}


def to_findings_json(result: RunResult) -> dict:
    """The findings.json document of ARCHITECTURE.md, exactly."""
    return {
        "schema": FINDINGS_SCHEMA,
        "facility": {"id": result.facility.id, "name": result.facility.name},
        "period": result.period,
        "method": result.method,
        "opinion": result.opinion.value,
        "claimed_total_tco2": result.claimed_total_tco2,
        "verified_total_tco2": result.verified_total_tco2,
        "materiality": result.materiality.model_dump(),
        "streams": [
            {
                "name": s.name,
                "kind": s.kind,
                "period": s.period,
                "claimed_tco2": s.claimed_tco2,
                "verified_tco2": s.verified_tco2,
                "activity": _compared_json(s.activity),
                "ncv": _compared_json(s.ncv),
                "carbon_content": _compared_json(s.carbon_content),
            }
            for s in result.streams
        ],
        "findings": [
            {
                "id": result.finding_id(i),
                "rule": f.rule,
                "severity": f.severity.value,
                "stream": f.stream,
                "period": f.period,
                "message": f.message,
                "impact_tco2": f.impact_tco2,
                "evidence": [_evidence_json(p) for p in f.evidence],
            }
            for i, f in enumerate(result.findings)
        ],
        "documents": [
            {
                "file": d.file,
                "sha256": d.sha256,
                "kind": d.kind.value,
                "pages": d.pages,
                "status": d.status.value,
                "error": d.error,
            }
            for d in result.documents
        ],
    }
