"""The rule catalogue: an explicit registry of rule modules (docs/domain.md section 5).

Add a rule by adding its module and one line here. `run_rules` runs every rule and returns every
finding; judging (materiality, opinion) comes after, in `verify.domain.materiality`.
"""

from __future__ import annotations

from types import ModuleType

from verify.domain.rules import (
    ad_invoice,
    ad_meter,
    ad_stock_balance,
    ad_stock_continuity,
    annual_tieout,
    calc_recompute,
    calc_tieout,
    claim_period,
    claim_values,
    doc_ocr_confidence,
    doc_unclassified,
    doc_unreadable,
    evidence_missing,
    intensity_range,
    inv_arithmetic,
    inv_duplicate,
    inv_period,
    lab_accreditation,
    lab_completeness,
    lab_match,
    lab_missing,
    lab_range,
    lab_timing,
    prod_match,
    stream_completeness,
    trend_break,
    unit_suspect,
)
from verify.domain.rules.base import RuleContext
from verify.model.records import Finding

REGISTRY: tuple[ModuleType, ...] = (  # in the order of docs/domain.md section 5
    calc_recompute,
    calc_tieout,
    ad_invoice,
    ad_stock_balance,
    ad_stock_continuity,
    ad_meter,
    lab_match,
    lab_range,
    lab_missing,
    lab_accreditation,
    lab_timing,
    lab_completeness,
    inv_duplicate,
    inv_period,
    inv_arithmetic,
    unit_suspect,
    prod_match,
    intensity_range,
    trend_break,
    annual_tieout,
    stream_completeness,
    doc_unreadable,
    doc_unclassified,
    doc_ocr_confidence,  # extension: scanned evidence (docs/verification.md)
    evidence_missing,  # extension: unsupported claimed figures (docs/verification.md)
    claim_values,  # extension: input values checked at the door (docs/verification.md)
    claim_period,  # extension: the claim's period is the period verified (docs/verification.md)
)


# Rules that still run when the claim is for another period than the bundle's: the claim has
# nothing to compare, so only the period and the documents themselves are judged (one error,
# one finding, not a cascade of every evidenced stream "unclaimed").
WRONG_PERIOD = (claim_period, doc_unreadable, doc_unclassified, doc_ocr_confidence)


def run_rules(ctx: RuleContext, rules: tuple[ModuleType, ...] = REGISTRY) -> list[Finding]:
    """Every finding of every rule, in catalogue order (for a claim of another period, only
    those of WRONG_PERIOD)."""
    if claim_period.disjoint(ctx):
        rules = tuple(r for r in rules if r in WRONG_PERIOD)
    return [finding for rule in rules for finding in rule.check(ctx)]


def catalogue() -> list[dict[str, object]]:
    """Id, name, severity, parameters and reason of each registered rule."""
    return [
        {"id": r.ID, "name": r.NAME, "severity": r.SEVERITY.value,
         "parameters": list(r.PARAMETERS), "doc": (r.__doc__ or "").strip()}
        for r in REGISTRY
    ]
