"""The rule catalogue: an explicit registry of rule modules (DOMAIN.md section 5).

Add a rule by adding its module and one line here. `run_rules` runs every rule and returns every
finding; judging (materiality, opinion) comes after, in `verify.materiality`.
"""

from __future__ import annotations

from types import ModuleType

from verify.records import Finding
from verify.rules import (
    ad_invoice,
    calc_recompute,
    calc_tieout,
    doc_unclassified,
    doc_unreadable,
    inv_duplicate,
    lab_match,
    lab_missing,
)
from verify.rules.base import RuleContext

REGISTRY: tuple[ModuleType, ...] = (
    calc_recompute,
    calc_tieout,
    ad_invoice,
    inv_duplicate,
    lab_match,
    lab_missing,
    doc_unreadable,
    doc_unclassified,
)


def run_rules(ctx: RuleContext, rules: tuple[ModuleType, ...] = REGISTRY) -> list[Finding]:
    """Every finding of every rule, in catalogue order."""
    return [finding for rule in rules for finding in rule.check(ctx)]


def catalogue() -> list[dict[str, object]]:
    """Id, name, severity, parameters and reason of each registered rule."""
    return [
        {"id": r.ID, "name": r.NAME, "severity": r.SEVERITY.value,
         "parameters": list(r.PARAMETERS), "doc": (r.__doc__ or "").strip()}
        for r in REGISTRY
    ]
