"""Materiality and the opinion: judged after every rule has run (STYLE.md point 5).

Misstatement is summed over the parts of each stream's claimed - verified difference (one part
per figure of the equation) plus the tie-out difference and omissions. A part is one cause
however many rules saw it, so one error counts once (docs/verification.md). The verified figure
is always the evidence's: a part no finding reports is within tolerance but still counts, in
the line "differences within tolerance, aggregated".
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources

from verify.domain.assess import Assessment, FuelAssessment, MaterialAssessment
from verify.domain.calculation import CO2_PER_C, round_half_up
from verify.domain.thresholds import Thresholds
from verify.model import units
from verify.model.records import Finding, Severity
from verify.model.result import Cause, Materiality, Opinion


def omissions(findings: list[Finding]) -> list[Finding]:
    """Evidenced streams the claim left out: misstated by their whole emissions."""
    return [f for f in findings if f.rule == "STREAM-COMPLETENESS"
            and f.severity == Severity.MISSTATEMENT and f.impact_tco2]


def verified_total(a: Assessment, findings: list[Finding]) -> float:
    """Verified emissions of the claimed streams plus those of omitted, evidenced streams."""
    return round_half_up(a.verified_total - sum(f.impact_tco2 for f in omissions(findings)))


# The parts a stream's difference (claimed - verified tCO2) is split into, one per figure of the
# equation, and the rules that report each part. A part some finding reports is a cause, counted
# once however many rules saw it; a part no finding reports is within tolerance and aggregated.
PART_RULES: dict[str, tuple[str, ...]] = {
    "recompute": ("CALC-RECOMPUTE",),
    "activity": ("AD-INVOICE", "INV-DUPLICATE", "INV-PERIOD", "AD-STOCK-BALANCE", "AD-METER",
                 "UNIT-SUSPECT", "PROD-MATCH", "EVIDENCE-MISSING"),
    "ncv": ("LAB-MATCH", "UNIT-SUSPECT", "LAB-MISSING"),
    "cc": ("LAB-MATCH", "LAB-MISSING"),
    "oxidation": (),
    "ef": (),
}


def _chain(values: list[tuple[str, float]], last: float) -> dict[str, float]:
    """Telescoping parts: value i minus value i+1 (the last is `last`), each rounded to 0.01 t,
    the rounding left on the largest so that the parts add up to round(first - last, 2)."""
    points = [v for _, v in values] + [last]
    parts = {name: round_half_up(points[i] - points[i + 1]) for i, (name, _) in enumerate(values)}
    rest = round_half_up(round_half_up(points[0] - last) - sum(parts.values()))
    if rest:
        big = max(parts, key=lambda k: abs(parts[k]))
        parts[big] = round_half_up(parts[big] + rest)
    return parts


def fuel_parts(f: FuelAssessment) -> dict[str, float]:
    """claimed - verified tCO2 of a fuel row, by figure: the row's own arithmetic, then NCV, CC
    and OF at the claimed AD, then AD at the verified factors (as AD-INVOICE measures it)."""
    r, k = f.row, CO2_PER_C
    ncv = units.ncv_to_standard(r.ncv, r.ncv_unit, r.unit)
    return _chain([("recompute", r.emissions),
                   ("ncv", r.consumed * ncv * r.carbon_content * r.oxidation * k),
                   ("cc", r.consumed * f.ncv * r.carbon_content * r.oxidation * k),
                   ("oxidation", r.consumed * f.ncv * f.cc * r.oxidation * k),
                   ("activity", r.consumed * f.ncv * f.cc * f.oxidation * k)], f.verified_tco2)


def material_parts(m: MaterialAssessment) -> dict[str, float]:
    """claimed - verified tCO2 of a process or product row: arithmetic, EF, then quantity."""
    return _chain([("recompute", m.claimed_tco2), ("ef", m.claimed_mass * m.claimed_ef),
                   ("activity", m.claimed_mass * m.ef)], m.verified_tco2)


def stream_parts(a: Assessment) -> list[tuple[str, str, dict[str, float]]]:
    """(stream, month, parts) of every assessed row."""
    return ([(f.row.stream, f.month, fuel_parts(f)) for f in a.fuels]
            + [(m.stream, m.month, material_parts(m)) for m in a.process + a.products])


def _reports(f: Finding, part: str) -> bool:
    if f.rule not in PART_RULES.get(part, ()):
        return False
    return f.quantity is None or f.quantity == part


def causes(a: Assessment, findings: list[Finding]) -> list[Cause]:
    """Each part of a stream's difference some finding reports: one cause, with the rules (and
    finding ids, F-001 by position) that saw it, its tCO2 counted once."""
    out = []
    for stream, month, parts in stream_parts(a):
        for part, value in parts.items():
            seen = [(i, f) for i, f in enumerate(findings)
                    if f.stream == stream and f.period == month and _reports(f, part)]
            if not seen or (not value and all(f.rule == "EVIDENCE-MISSING" for _, f in seen)):
                continue
            out.append(Cause(stream=stream, period=month, quantity=part, impact_tco2=value,
                             rules=list(dict.fromkeys(f.rule for _, f in seen)),
                             findings=[f"F-{i + 1:03d}" for i, _ in seen]))
    return out


def breakdown(a: Assessment, findings: list[Finding] = ()) -> dict:
    """The misstatement's lines, tCO2: reported (the causes, each once), within tolerance
    (aggregated: parts no finding reports), tie-out, omitted streams; they add up to it."""
    found = causes(a, list(findings))
    reported = round_half_up(sum(abs(c.impact_tco2) for c in found))
    total = round_half_up(sum(abs(v) for _s, _m, parts in stream_parts(a) for v in parts.values()))
    return {"reported_tco2": reported, "within_tolerance_tco2": round_half_up(total - reported),
            "tieout_tco2": round_half_up(abs(a.claim.total_tco2 - a.claimed_rows_total)),
            "omitted_tco2": round_half_up(sum(abs(f.impact_tco2) for f in omissions(findings))),
            "causes": found}


def misstatement_tco2(a: Assessment, findings: list[Finding] = ()) -> float:
    """Sum of absolute uncorrected misstatements, tCO2: every part of every stream's difference
    (a difference of one figure does not offset another's), the tie-out and omissions."""
    rows = [v for _s, _m, parts in stream_parts(a) for v in parts.values()]
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
    # against the size of the claim: a negative claimed total (CLAIM-VALUES) must not make any
    # misstatement look immaterial
    pct = (misstatement / abs(claimed_total) * 100 if claimed_total
           else (0.0 if not misstatement else 100.0))
    return Materiality(threshold_pct=pct_threshold, misstatement_tco2=round_half_up(misstatement),
                       misstatement_pct=round_half_up(pct, 4), material=pct >= pct_threshold,
                       **(lines or {}))


@lru_cache(maxsize=1)
def _messages() -> dict[str, dict[str, str]]:
    text = resources.files("verify").joinpath("data", "messages.toml").read_text("utf-8")
    return tomllib.loads(text)


def _say(key: str, lang: str, **values: object) -> str:
    templates = _messages()[f"MATERIALITY-{key}"]
    return templates.get(lang, templates["en"]).format(**values)


def scope_limitation(findings: list[Finding], lang: str = "en") -> str | None:
    """Why the scope is too limited to conclude, or None.

    A file that could not be read may have held evidence for or against any stream; the
    verifier cannot say it did not, so the scope is limited until the plant sends it readable.
    """
    unreadable = [p.file for f in findings if f.rule == "DOC-UNREADABLE" for p in f.evidence]
    if unreadable:
        return _say("UNREADABLE", lang, files=", ".join(unreadable))
    explicit = [f for f in findings if f.scope_limitation]
    return explicit[0].message if explicit else None


def opinion(findings: list[Finding], materiality: Materiality,
            lang: str = "en") -> tuple[Opinion, str]:
    """The opinion of EU AVR Art. 27 (ISO 14064-3:2019 s9) and the reason for it, in the run's
    language. Not verified: a material misstatement, or a scope too limited to conclude.
    Satisfactory with comments: misstatements (uncorrected, immaterial) or non-conformities.
    Satisfactory: neither; observations are given as recommendations for improvement and do
    not qualify the opinion."""
    m = materiality
    figures = {"pct": f"{m.misstatement_pct:.2f}", "threshold": f"{m.threshold_pct:g}",
               "tco2": f"{m.misstatement_tco2:,.2f}"}
    if m.material:
        return Opinion.NOT_VERIFIED, _say("MATERIAL", lang, **figures)
    limit = scope_limitation(findings, lang)
    if limit:
        return Opinion.NOT_VERIFIED, _say("SCOPE", lang, limit=limit)
    faults = [f for f in findings if f.severity != Severity.OBSERVATION]
    notes = len(findings) - len(faults)
    if faults:
        return Opinion.SATISFACTORY_WITH_COMMENTS, _say(
            "COMMENTS", lang, misstatements=sum(f.severity == Severity.MISSTATEMENT for f in faults),
            non_conformities=sum(f.severity == Severity.NON_CONFORMITY for f in faults),
            observations=notes, **figures)
    if m.misstatement_tco2 >= 0.01:  # AVR Art. 27(1)(b): uncorrected, not material
        return Opinion.SATISFACTORY_WITH_COMMENTS, _say("UNCORRECTED", lang, observations=notes,
                                                        **figures)
    return Opinion.SATISFACTORY, _say("SATISFACTORY", lang, observations=notes)
