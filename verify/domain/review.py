"""The verifier's decisions applied to a concluded run: the re-issued result (pure, no I/O).

A rejected finding leaves the misstatement: the cause it reported (with any other rule that saw
the same error, if all of them are rejected) no longer counts, and the verified figure returns to
the claimed one by as much. An adjusted finding's cause counts its adjusted impact instead. The
misstatement is then judged again and the opinion re-concluded with the logic of conclude.py
(`verify.domain.materiality.judge` and `opinion`); differences within tolerance stay as they
were. The original result is never changed: a new one is returned, with its review.
"""

from __future__ import annotations

from collections.abc import Iterable

from verify.domain.calculation import round_half_up
from verify.domain.materiality import judge, opinion
from verify.model.records import Finding
from verify.model.result import Cause, RunResult, StreamResult
from verify.model.review import Decision, FindingDecision, Review, ReviewChange, ReviewError

TIEOUT_RULE = "CALC-TIEOUT"


def validate(result: RunResult, decisions: Iterable[FindingDecision]) -> dict[str, FindingDecision]:
    """The decisions by finding id; ReviewError naming every problem (an unknown finding, one
    decided twice, an adjustment without an impact, an impact on a decision that is not one)."""
    known = {result.finding_id(i) for i in range(len(result.findings))}
    by_id: dict[str, FindingDecision] = {}
    problems = []
    for d in decisions:
        at = f" ({d.source})" if d.source else ""
        if d.finding_id not in known:
            problems.append(f"{d.finding_id}{at}: the run has no such finding "
                            f"(it has {', '.join(sorted(known)) or 'none'})")
        elif d.finding_id in by_id:
            problems.append(f"{d.finding_id}{at}: decided twice")
        elif d.decision == Decision.ADJUST and d.adjusted_impact_tco2 is None:
            problems.append(f"{d.finding_id}{at}: adjust needs the adjusted impact (tCO2)")
        elif d.decision != Decision.ADJUST and d.adjusted_impact_tco2 is not None:
            problems.append(f"{d.finding_id}{at}: an adjusted impact goes with adjust, "
                            f"not {d.decision.value}")
        by_id.setdefault(d.finding_id, d)
    if problems:
        raise ReviewError("; ".join(problems))
    return by_id


def _new_impact(ids: list[str], decided: dict[str, FindingDecision],
                old: float) -> float:
    """A cause seen by findings `ids`: gone (0) when every one is rejected, the adjusted impact
    when one is adjusted (the largest, sign kept, when several are), else as it was."""
    ds = [decided.get(i) for i in ids]
    adjusted = [d.adjusted_impact_tco2 for d in ds if d and d.decision == Decision.ADJUST]
    if adjusted:
        return max(adjusted, key=abs)  # type: ignore[arg-type]
    if ids and all(d and d.decision == Decision.REJECT for d in ds):
        return 0.0
    return old


def _shift_streams(streams: list[StreamResult], moves: dict[tuple[str, str | None], float]
                   ) -> list[StreamResult]:
    """Each stream's verified tCO2 moved by the change of its causes (claimed - verified)."""
    out = []
    for s in streams:
        move = moves.get((s.name, s.period), 0.0)
        out.append(s.model_copy(update={"verified_tco2": round_half_up(s.verified_tco2 + move)})
                   if move else s)
    return out


def apply_review(result: RunResult, decisions: Iterable[FindingDecision], review_id: str,
                 reviewed_at: str) -> RunResult:
    """The run re-issued with the verifier's decisions, its review recorded in it."""
    decided = validate(result, decisions)
    m = result.materiality
    ids = [result.finding_id(i) for i in range(len(result.findings))]
    causes: list[Cause] = []
    moves: dict[tuple[str, str | None], float] = {}
    verified_move = 0.0
    for c in m.causes:
        new = round_half_up(_new_impact(c.findings, decided, c.impact_tco2))
        if new != c.impact_tco2:
            key = (c.stream, c.period)
            moves[key] = moves.get(key, 0.0) + c.impact_tco2 - new
            verified_move += c.impact_tco2 - new
        if new:
            causes.append(c.model_copy(update={"impact_tco2": new}))
    seen = {i for c in m.causes for i in c.findings}
    for fid, f in zip(ids, result.findings, strict=True):
        d = decided.get(fid)
        if (d and d.decision == Decision.ADJUST and fid not in seen
                and f.rule not in ("STREAM-COMPLETENESS", TIEOUT_RULE)):
            # a finding that counted nothing and that the verifier quantifies: a cause of its own
            new = round_half_up(d.adjusted_impact_tco2 or 0.0)
            causes.append(Cause(stream=f.stream or "-", period=f.period or result.period,
                                quantity="review", impact_tco2=new, rules=[f.rule],
                                findings=[fid]))
            key = (f.stream or "-", f.period or result.period)
            moves[key] = moves.get(key, 0.0) - new
            verified_move -= new
    omitted, tieout = m.omitted_tco2, m.tieout_tco2
    for fid, f in zip(ids, result.findings, strict=True):
        if f.rule == "STREAM-COMPLETENESS" and f.impact_tco2 and fid in decided:
            new = _new_impact([fid], decided, f.impact_tco2)
            omitted += abs(new) - abs(f.impact_tco2)
            verified_move += f.impact_tco2 - new
        if f.rule == TIEOUT_RULE and fid in decided:
            d = decided[fid]
            tieout = 0.0 if d.decision == Decision.REJECT else (
                abs(d.adjusted_impact_tco2) if d.decision == Decision.ADJUST else tieout)
    reported = round_half_up(sum(abs(c.impact_tco2) for c in causes))
    lines = {"reported_tco2": reported, "within_tolerance_tco2": m.within_tolerance_tco2,
             "tieout_tco2": round_half_up(tieout), "omitted_tco2": round_half_up(omitted),
             "causes": _renumbered(causes, ids, decided)}
    total = reported + m.within_tolerance_tco2 + lines["tieout_tco2"] + lines["omitted_tco2"]
    kept = _kept(result.findings, ids, decided)
    materiality = judge(result.claimed_total_tco2, total, m.threshold_pct, lines)
    verdict, reason = opinion([f for _, f in kept], materiality, result.lang)
    reviewed = result.model_copy(update={
        "findings": [f for _, f in kept], "materiality": materiality, "opinion": verdict,
        "opinion_reason": reason,
        "verified_total_tco2": round_half_up(result.verified_total_tco2 + verified_move),
        "streams": _shift_streams(result.streams, moves)})
    review = Review(
        review_id=review_id, run_id=result.run_id, reviewed_at=reviewed_at,
        changes=_changes(result, ids, decided, [fid for fid, _ in kept], reviewed_at),
        opinion_before=result.opinion.value, opinion_after=verdict.value,
        misstatement_before_tco2=m.misstatement_tco2,
        misstatement_after_tco2=materiality.misstatement_tco2,
        verified_before_tco2=result.verified_total_tco2,
        verified_after_tco2=reviewed.verified_total_tco2)
    return reviewed.model_copy(update={"review": review})


def _kept(findings: list[Finding], ids: list[str], decided: dict[str, FindingDecision]
          ) -> list[tuple[str, Finding]]:
    """(original id, finding) of every finding not rejected, an adjusted one with its impact."""
    out = []
    for fid, f in zip(ids, findings, strict=True):
        d = decided.get(fid)
        if d and d.decision == Decision.REJECT:
            continue
        if d and d.decision == Decision.ADJUST:
            f = f.model_copy(update={"impact_tco2": d.adjusted_impact_tco2})
        out.append((fid, f))
    return out


def _renumbered(causes: list[Cause], ids: list[str], decided: dict[str, FindingDecision]
                ) -> list[Cause]:
    """Causes naming the re-issued report's finding ids (rejected findings dropped)."""
    kept = [fid for fid in ids if not (fid in decided and decided[fid].decision == Decision.REJECT)]
    now = {fid: f"F-{n:03d}" for n, fid in enumerate(kept, start=1)}
    return [c.model_copy(update={"findings": [now[i] for i in c.findings if i in now]})
            for c in causes]


def _changes(result: RunResult, ids: list[str], decided: dict[str, FindingDecision],
             kept: list[str], reviewed_at: str) -> list[ReviewChange]:
    now = {fid: f"F-{n:03d}" for n, fid in enumerate(kept, start=1)}
    out = []
    for fid, f in zip(ids, result.findings, strict=True):
        d = decided.get(fid)
        if d is None:
            continue
        after = (None if d.decision == Decision.REJECT else
                 d.adjusted_impact_tco2 if d.decision == Decision.ADJUST else f.impact_tco2)
        out.append(ReviewChange(finding_id=fid, now_id=now.get(fid), rule=f.rule,
                                stream=f.stream, message=f.message, decision=d.decision,
                                impact_before=f.impact_tco2, impact_after=after,
                                comment=d.comment, reviewer=d.reviewer,
                                decided_at=d.decided_at or reviewed_at))
    return out
