"""The claim is for the period the bundle's evidence is verified for.

Why: a claim for 2024-07 checked against 2025-03 evidence mixes two months: its figures would be
compared with documents of another period, or carried unverified. The period verified is the
bundle's (bundle.toml `period`, or `--period`); claimed months outside it are not assessed, and
the verifier says so (ISO 14064-3:2019 s5.1 agreement on the period; EU AVR Art. 27: a scope too
limited to conclude; docs/verification.md, input values).
Fails: a claim whose months do not include the period verified: a non-conformity and a scope
limitation (no claimed figure of that period to verify; no other rule on the claim runs). A
claim with months outside the period verified as well as inside it: an observation naming the
months not verified. Passes: the claim's period is the period verified.
"""

from __future__ import annotations

from collections.abc import Iterator

from verify.domain.rules.base import RuleContext, message
from verify.model.periods import months_of
from verify.model.records import Finding, Severity

ID = "CLAIM-PERIOD"
NAME = "claim for the period verified"
SEVERITY = Severity.NON_CONFORMITY
PARAMETERS: tuple[str, ...] = ()


def disjoint(ctx: RuleContext) -> bool:
    """No month of the claim is in the period verified."""
    return not set(months_of(ctx.claim.period)) & set(ctx.assessment.months)


def check(ctx: RuleContext) -> Iterator[Finding]:
    months, ignored = ctx.assessment.months, ctx.assessment.ignored_months()
    verified = months[0] if len(months) == 1 else f"{months[0]}..{months[-1]}"
    claimed = months_of(ctx.claim.period)
    if set(claimed) == set(months) and not ignored:
        return
    missing = disjoint(ctx)
    yield Finding(
        rule=ID, severity=SEVERITY if missing else Severity.OBSERVATION,
        period=verified, scope_limitation=missing, threshold=f"period {verified}",
        evidence=[ctx.claim.where("period")],
        message=message(f"{ID}-DISJOINT" if missing else ID, ctx.lang, claimed=ctx.claim.period,
                        verified=verified, ignored=", ".join(ignored) or "-"),
    )
