"""Materiality and the opinion: judged after every rule has run (STYLE.md point 5).

Misstatement is summed per stream and month as |claimed - verified| plus the tie-out difference,
so one error that several rules point at counts once (docs/verification.md). The verified figure
is always the evidence's: a difference within tolerance has no finding of its own but still
counts, in the line "differences within tolerance, aggregated".
"""

from __future__ import annotations

from verify.domain.assess import Assessment
from verify.domain.calculation import round_half_up
from verify.domain.thresholds import Thresholds
from verify.model.records import Finding, Severity
from verify.model.result import Materiality, Opinion


def omissions(findings: list[Finding]) -> list[Finding]:
    """Evidenced streams the claim left out: misstated by their whole emissions."""
    return [f for f in findings if f.rule == "STREAM-COMPLETENESS"
            and f.severity == Severity.MISSTATEMENT and f.impact_tco2]


def verified_total(a: Assessment, findings: list[Finding]) -> float:
    """Verified emissions of the claimed streams plus those of omitted, evidenced streams."""
    return round_half_up(a.verified_total - sum(f.impact_tco2 for f in omissions(findings)))


# Findings whose impact is (part of) their stream's claimed - verified difference: a stream and
# month with one of these has its difference reported; without, the difference is within
# tolerance and aggregated. (Other non-conformities quantify a hypothetical, such as the effect of
# the default factors, that is not in the verified figure.)
EXPLAINING_NON_CONFORMITIES = frozenset({"LAB-MISSING", "EVIDENCE-MISSING"})


def explains(f: Finding) -> bool:
    """Whether a finding reports its stream's difference (see EXPLAINING_NON_CONFORMITIES)."""
    return bool(f.stream) and (f.severity == Severity.MISSTATEMENT
                               or f.rule in EXPLAINING_NON_CONFORMITIES)


def stream_differences(a: Assessment) -> list[tuple[str, str, float]]:
    """(stream, month, claimed - verified tCO2) of every assessed row."""
    rows = [(f.row.stream, f.month, f.row.emissions - f.verified_tco2) for f in a.fuels]
    rows += [(m.stream, m.month, m.claimed_tco2 - m.verified_tco2) for m in a.process + a.products]
    return rows


def breakdown(a: Assessment, findings: list[Finding] = ()) -> dict[str, float]:
    """The misstatement's lines, tCO2: reported (stream differences with a finding), within
    tolerance (aggregated), tie-out, omitted streams. Their sum is the misstatement."""
    reported_at = {(f.stream, f.period) for f in findings if explains(f)}
    reported = within = 0.0
    for stream, month, diff in stream_differences(a):
        if (stream, month) in reported_at:
            reported += abs(diff)
        else:
            within += abs(diff)
    return {"reported_tco2": round_half_up(reported), "within_tolerance_tco2": round_half_up(within),
            "tieout_tco2": round_half_up(abs(a.claim.total_tco2 - a.claimed_rows_total)),
            "omitted_tco2": round_half_up(sum(abs(f.impact_tco2) for f in omissions(findings)))}


def misstatement_tco2(a: Assessment, findings: list[Finding] = ()) -> float:
    """Sum of absolute uncorrected misstatements, tCO2 (per stream, tie-out, omissions)."""
    rows = [d for _s, _m, d in stream_differences(a)]
    rows += [f.impact_tco2 for f in omissions(findings)]
    tieout = a.claim.total_tco2 - a.claimed_rows_total
    return round_half_up(sum(abs(r) for r in rows) + abs(tieout))


def threshold_pct(claimed_total: float, months: int, t: Thresholds) -> float:
    """5 %, or 2 % above the large-installation boundary (a month's claim is annualised)."""
    if t.materiality_override_pct is not None:
        return t.materiality_override_pct
    annual = claimed_total * 12 / max(months, 1)
    return t.materiality_pct_large if annual > t.large_installation_t else t.materiality_pct


def judge(claimed_total: float, misstatement: float, pct_threshold: float,
          lines: dict[str, float] | None = None) -> Materiality:
    """Whether the misstatement is material against the claimed total (`lines`: its breakdown)."""
    pct = misstatement / claimed_total * 100 if claimed_total else (0.0 if not misstatement else 100.0)
    return Materiality(threshold_pct=pct_threshold, misstatement_tco2=round_half_up(misstatement),
                       misstatement_pct=round_half_up(pct, 4), material=pct >= pct_threshold,
                       **(lines or {}))


def scope_limitation(findings: list[Finding]) -> str | None:
    """Why the scope is too limited to conclude, or None.

    A file that could not be read may have held evidence for or against any stream; the
    verifier cannot say it did not, so the scope is limited until the plant sends it readable.
    """
    unreadable = [p.file for f in findings if f.rule == "DOC-UNREADABLE" for p in f.evidence]
    if unreadable:
        return f"{', '.join(unreadable)} could not be read"
    explicit = [f for f in findings if f.scope_limitation]
    return explicit[0].message if explicit else None


def opinion(findings: list[Finding], materiality: Materiality) -> tuple[Opinion, str]:
    """The opinion of AVR Art. 27 and the reason for it."""
    if materiality.material:
        return Opinion.NOT_VERIFIED, (
            f"material misstatement: {materiality.misstatement_pct:.2f}% of the claimed total "
            f"against a threshold of {materiality.threshold_pct}%")
    limit = scope_limitation(findings)
    if limit:
        return Opinion.NOT_VERIFIED, f"scope limitation: {limit}"
    if findings:
        return Opinion.SATISFACTORY_WITH_COMMENTS, (
            f"{len(findings)} finding(s), none material "
            f"({materiality.misstatement_pct:.2f}% against {materiality.threshold_pct}%)")
    if materiality.misstatement_tco2 >= 0.01:  # AVR Art. 27(1)(b): uncorrected, not material
        return Opinion.SATISFACTORY_WITH_COMMENTS, (
            f"uncorrected misstatement of {materiality.misstatement_tco2:,.2f} t within tolerance, "
            f"not material ({materiality.misstatement_pct:.2f}% against "
            f"{materiality.threshold_pct}%)")
    return Opinion.SATISFACTORY, "no findings"
