"""The verifier's review (issue 16): decisions written in workpapers.xlsx (or decisions.yml)
re-issue a stored run's report: a rejected finding leaves the misstatement, an adjusted one
changes it, opinion and totals follow, every decision is in the report's review section (HTML
and the PDF read back), the review is stored beside the run and the original run is unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pdfplumber
import pytest
import yaml
from openpyxl import load_workbook
from pg_fresh import fresh_pg_url  # noqa: F401  (fixture)
from typer.testing import CliRunner

from fixtures import sample_bundle
from verify.cli import app
from verify.domain.review import apply_review
from verify.model.result import Opinion
from verify.model.review import Decision, FindingDecision, ReviewError
from verify.pipeline import RunOptions, review_run, run_bundle
from verify.report.review_columns import (
    ADJUSTED,
    COMMENT,
    DECISION,
    FINDING_ID,
    REVIEWER,
    read_decisions,
)
from verify.store import engine_for, list_reviews, list_runs, load_review, load_run

ADJUSTED_TCO2 = 500.0


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    """The sample bundle verified once, stored in SQLite, its report files written."""
    root = tmp_path_factory.mktemp("review")
    db = f"sqlite:///{root / 'runs.db'}"
    outcome = run_bundle(sample_bundle(), RunOptions(db=db, out=root / "run"))
    return outcome.result, root, db


def _ids(result, rule: str) -> str:
    [i] = [i for i, f in enumerate(result.findings) if f.rule == rule]
    return result.finding_id(i)


def _fill(workpapers: Path, out: Path, decided: dict[str, tuple]) -> Path:
    """The verifier's columns filled on the first row of each decided finding, by header."""
    wb = load_workbook(workpapers)
    ws = wb["Findings"]
    header = [c.value for c in ws[1]]
    col = {name: header.index(name) + 1 for name in (FINDING_ID, DECISION, ADJUSTED, COMMENT,
                                                     REVIEWER)}
    done = set()
    for row in range(2, ws.max_row + 1):
        fid = ws.cell(row, col[FINDING_ID]).value
        if fid in decided and fid not in done:
            decision, impact, comment = decided[fid]
            ws.cell(row, col[DECISION], decision)
            ws.cell(row, col[ADJUSTED], impact)
            ws.cell(row, col[COMMENT], comment)
            ws.cell(row, col[REVIEWER], "Wang Fang")
            done.add(fid)
    wb.save(out)
    return out


def test_workpapers_carry_the_review_columns(sample_run):
    result, root, _db = sample_run
    ws = load_workbook(root / "run" / "workpapers.xlsx")["Findings"]
    header = [c.value for c in ws[1]]
    assert header[-4:] == [DECISION, ADJUSTED, COMMENT, REVIEWER] and header.count(FINDING_ID) == 1
    ids = {ws.cell(r, header.index(FINDING_ID) + 1).value for r in range(2, ws.max_row + 1)}
    assert ids == {result.finding_id(i) for i in range(len(result.findings))}
    [rule] = [v for v in ws.data_validations.dataValidation
              if v.formula1 == '"accept,reject,adjust"']
    letter = ws.cell(1, header.index(DECISION) + 1).column_letter
    assert str(rule.sqref) == f"{letter}2:{letter}{ws.max_row}"


def test_reject_one_adjust_one_reissues_the_report(sample_run, tmp_path):
    result, root, db = sample_run
    engine = engine_for(db)
    before = load_run(engine, result.run_id)
    lab, invoice = _ids(result, "LAB-MATCH"), _ids(result, "AD-INVOICE")
    decisions = _fill(root / "run" / "workpapers.xlsx", tmp_path / "decided.xlsx", {
        lab: ("reject", None, "the plant's second lab report stands"),
        invoice: ("adjust", ADJUSTED_TCO2, "one invoice was found after the run")})
    out = tmp_path / "reviewed"
    run = CliRunner().invoke(app, ["review", result.run_id, "--decisions", str(decisions),
                                   "--out", str(out), "--db", db])
    m = result.materiality
    lab_cause = next(c for c in m.causes if lab in c.findings)
    coke_cause = next(c for c in m.causes if invoice in c.findings)
    expected = round(m.misstatement_tco2 - abs(lab_cause.impact_tco2)
                     - abs(coke_cause.impact_tco2) + ADJUSTED_TCO2, 2)
    findings = json.loads((out / "findings.json").read_text("utf-8"))
    assert findings["materiality"]["misstatement_tco2"] == pytest.approx(expected, abs=0.01)
    assert findings["materiality"]["material"] is False
    assert findings["opinion"] == Opinion.SATISFACTORY_WITH_COMMENTS.value
    assert run.exit_code == 0, run.output
    assert "LAB-MATCH" not in {f["rule"] for f in findings["findings"]}
    [adjusted] = [f for f in findings["findings"] if f["rule"] == "AD-INVOICE"]
    assert adjusted["impact_tco2"] == ADJUSTED_TCO2
    # verified total moves back by the rejected and adjusted causes (claimed - verified)
    moved = lab_cause.impact_tco2 + coke_cause.impact_tco2 - ADJUSTED_TCO2
    assert findings["verified_total_tco2"] == pytest.approx(result.verified_total_tco2 + moved,
                                                            abs=0.01)
    review = json.loads((out / "review.json").read_text("utf-8"))
    assert {(c["finding_id"], c["decision"], c["reviewer"]) for c in review["changes"]} == {
        (lab, "reject", "Wang Fang"), (invoice, "adjust", "Wang Fang")}
    assert all(c["decided_at"] for c in review["changes"])
    html = (out / "report.html").read_text("utf-8")
    assert 'id="review"' in html and "the plant&#39;s second lab report stands" in html
    with pdfplumber.open(out / "report.pdf") as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    assert "Verifier's review" in text and "Wang Fang" in text
    # the original run and its files are unchanged; the review is stored beside it
    assert load_run(engine, result.run_id) == before == result
    [row] = [r for r in list_runs(engine) if r.run_id == result.run_id]
    assert row.opinion == result.opinion.value
    assert 'id="review"' not in (root / "run" / "report.html").read_text("utf-8")
    [stored] = list_reviews(engine, result.run_id)
    assert load_review(engine, stored.review_id).review.review_id == stored.review_id
    assert stored.opinion == findings["opinion"] and stored.reviewers == "Wang Fang"
    shown = CliRunner().invoke(app, ["runs", "--db", db])
    assert f"{result.run_id}" in shown.output and "reviewed x1" in shown.output
    one = CliRunner().invoke(app, ["show", result.run_id, "--db", db])
    assert one.exit_code == 0 and stored.review_id in one.output
    engine.dispose()


def test_decisions_yml_is_read_like_the_workbook(sample_run, tmp_path):
    result, _root, _db = sample_run
    lab = _ids(result, "LAB-MATCH")
    path = tmp_path / "decisions.yml"
    path.write_text(yaml.safe_dump([{"finding id": lab, "decision": "adjust",
                                     "adjusted_impact_tco2": -50, "comment": "re-tested",
                                     "reviewer": "Li Wei"}]), "utf-8")
    [d] = read_decisions(path)
    assert (d.finding_id, d.decision, d.adjusted_impact_tco2, d.reviewer) == (
        lab, Decision.ADJUST, -50.0, "Li Wei")
    reviewed = apply_review(result, [d], "r1", "2026-01-05T09:00:00+00:00")
    cause = next(c for c in reviewed.materiality.causes if c.rules == ["LAB-MATCH"])
    assert cause.impact_tco2 == -50.0
    assert reviewed.materiality.misstatement_tco2 == pytest.approx(
        result.materiality.misstatement_tco2 - abs(-245.60) + 50, abs=0.01)


def test_accepting_every_finding_changes_nothing(sample_run):
    result, _root, _db = sample_run
    decisions = [FindingDecision(finding_id=result.finding_id(i), decision=Decision.ACCEPT,
                                 reviewer="Li Wei") for i in range(len(result.findings))]
    reviewed = apply_review(result, decisions, "r2", "2026-01-05T09:00:00+00:00")
    assert reviewed.model_copy(update={"review": None}) == result
    assert reviewed.review.opinion_after == result.opinion.value


@pytest.mark.parametrize("entry, words", [
    ({"finding id": "F-099", "decision": "reject", "reviewer": "Li"}, "F-099"),
    ({"finding id": "F-001", "decision": "adjust", "reviewer": "Li"}, "adjusted impact"),
    ({"finding id": "F-001", "decision": "maybe", "reviewer": "Li"}, "accept, reject, adjust"),
    ({"finding id": "F-001", "decision": "reject"}, "no reviewer"),
])
def test_decisions_that_cannot_be_applied_exit_2_with_the_reason(sample_run, tmp_path, entry,
                                                                  words):
    result, _root, db = sample_run
    path = tmp_path / "decisions.yml"
    path.write_text(yaml.safe_dump([entry]), "utf-8")
    run = CliRunner().invoke(app, ["review", result.run_id, "--decisions", str(path),
                                   "--out", str(tmp_path / "out"), "--db", db])
    assert run.exit_code == 2 and words in run.output, run.output
    assert not (tmp_path / "out").exists()


def test_a_finding_decided_twice_is_refused(sample_run):
    result, _root, _db = sample_run
    twice = [FindingDecision(finding_id="F-001", decision=Decision.REJECT, reviewer="A"),
             FindingDecision(finding_id="F-001", decision=Decision.ACCEPT, reviewer="B")]
    with pytest.raises(ReviewError, match="decided twice"):
        apply_review(result, twice, "r3", "2026-01-05T09:00:00+00:00")


def test_review_is_stored_on_postgresql(sample_run, fresh_pg_url, tmp_path):  # noqa: F811
    from verify.store import save_run

    result, _root, _db = sample_run
    engine = engine_for(fresh_pg_url)
    run_id = save_run(engine, result, [])
    path = tmp_path / "decisions.yml"
    path.write_text(yaml.safe_dump([{"finding id": _ids(result, "LAB-MATCH"),
                                     "decision": "reject", "reviewer": "Li Wei"}]), "utf-8")
    outcome = review_run(run_id, path, None, fresh_pg_url)
    [stored] = list_reviews(engine, run_id)
    assert load_review(engine, stored.review_id) == outcome.result
    assert load_run(engine, run_id) == result.model_copy(update={"run_id": run_id})
    engine.dispose()
