"""The sample bundle end to end, against its truth file: opinion, totals, rule ids, outputs."""

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fixtures import sample_bundle, sample_truth
from verify.cli import app
from verify.pipeline import RunOptions, run_bundle


def _rules(findings) -> list[tuple[str, str | None]]:
    return sorted((f["rule"], f.get("stream")) for f in findings)


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    db = f"sqlite:///{out / 'runs.db'}"
    result = CliRunner().invoke(app, ["demo", "--out", str(out), "--db", db])
    return result, out, db


def test_demo_prints_opinion_totals_and_findings(demo_run):
    result, out, _ = demo_run
    truth = sample_truth()["expected"]
    assert result.exit_code == (1 if truth["opinion"] == "not_verified" else 0), result.output
    assert f"opinion:   {truth['opinion']}" in result.output
    assert f"{truth['claimed_total_tco2']:,.2f} tCO2" in result.output
    assert f"{truth['verified_total_tco2']:,.2f} tCO2" in result.output
    assert f"findings:  {len(truth['findings'])}" in result.output


def test_demo_findings_json_matches_truth(demo_run):
    _, out, _ = demo_run
    truth = sample_truth()["expected"]
    findings = json.loads((out / "findings.json").read_text("utf-8"))
    assert findings["schema"] == "carbon-verify/findings/v1"
    assert findings["opinion"] == truth["opinion"]
    assert findings["claimed_total_tco2"] == pytest.approx(truth["claimed_total_tco2"], abs=0.005)
    assert findings["verified_total_tco2"] == pytest.approx(truth["verified_total_tco2"], abs=0.01)
    assert _rules(findings["findings"]) == _rules(truth["findings"])
    by_name = {(s["name"]): s for s in findings["streams"]}
    for stream in truth["streams"]:
        got = by_name[stream["name"]]
        assert got["verified_tco2"] == pytest.approx(stream["verified_tco2"], abs=0.01), stream["name"]
        assert got["claimed_tco2"] == pytest.approx(stream["claimed_tco2"], abs=0.005)
    assert findings["materiality"]["material"] == truth["materiality"]["material"]


def test_demo_writes_every_output(demo_run):
    _, out, _ = demo_run
    for name in ("report.pdf", "report.html", "findings.json", "workpapers.xlsx"):
        assert (out / name).stat().st_size > 0, name
    assert (out / "report.pdf").read_bytes().startswith(b"%PDF")


def test_every_finding_of_the_demo_points_at_a_file_of_the_bundle(demo_run):
    _, out, _ = demo_run
    findings = json.loads((out / "findings.json").read_text("utf-8"))
    files = {d["file"]: d["sha256"] for d in findings["documents"]}
    for f in findings["findings"]:
        assert f["evidence"], f
        for e in f["evidence"]:
            assert files[e["file"]] == e["sha256"]
            assert e["page"] or e["cell"] or f["rule"].startswith("DOC-")


def test_two_runs_are_both_stored(demo_run, tmp_path):
    from verify.store import engine_for, list_runs

    _, _, db = demo_run
    run_bundle(sample_bundle(), RunOptions(db=db, out=None))
    runs = list_runs(engine_for(db))
    assert len(runs) >= 2 and len({r.run_id for r in runs}) == len(runs)


def test_bundle_with_a_corrupt_pdf_and_an_empty_file_still_verifies(tmp_path):
    bundle = tmp_path / "bundle"
    shutil.copytree(sample_bundle(), bundle)
    some_pdf = next(p for p in sorted(bundle.rglob("*.pdf")))
    (bundle / "scan" ).mkdir(exist_ok=True)
    (bundle / "scan" / "broken.pdf").write_bytes(some_pdf.read_bytes()[:700])
    (bundle / "scan" / "nothing.pdf").write_bytes(b"")
    outcome = run_bundle(bundle, RunOptions(db=f"sqlite:///{tmp_path / 'r.db'}", out=None))
    unreadable = {p.file for f in outcome.result.findings if f.rule == "DOC-UNREADABLE"
                  for p in f.evidence}
    assert unreadable == {"scan/broken.pdf", "scan/nothing.pdf"}
    truth = sample_truth()["expected"]
    assert outcome.result.verified_total_tco2 == pytest.approx(truth["verified_total_tco2"], abs=0.01)
    reasons = {d.file: d.error for d in outcome.result.documents if d.status.value == "unreadable"}
    assert "empty" in reasons["scan/nothing.pdf"].lower()
    assert reasons["scan/broken.pdf"]


def test_zipped_bundle_gives_the_same_result(tmp_path):
    archive = shutil.make_archive(str(tmp_path / "bundle"), "zip", sample_bundle())
    outcome = run_bundle(Path(archive), RunOptions(store=False))
    truth = sample_truth()["expected"]
    assert outcome.result.opinion.value == truth["opinion"]
    assert outcome.result.verified_total_tco2 == pytest.approx(truth["verified_total_tco2"], abs=0.01)


def test_missing_bundle_exits_2():
    result = CliRunner().invoke(app, ["run", "/nonexistent/bundle"])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_template_claim_writes_a_workbook_the_reader_knows(tmp_path):
    out = tmp_path / "claim.xlsx"
    result = CliRunner().invoke(app, ["template", "claim", str(out), "--lang", "zh"])
    assert result.exit_code == 0, result.output
    from openpyxl import load_workbook
    assert load_workbook(out).sheetnames == ["汇总", "燃料", "过程排放", "产品固碳"]


def test_rules_lists_the_catalogue():
    result = CliRunner().invoke(app, ["rules"])
    assert result.exit_code == 0
    for rule in ("CALC-RECOMPUTE", "AD-INVOICE", "LAB-MATCH", "INV-DUPLICATE", "DOC-UNREADABLE"):
        assert rule in result.output


def test_threshold_override_on_the_command_line_changes_the_findings(tmp_path):
    args = ["run", str(sample_bundle()), "--out", str(tmp_path), "--db", f"sqlite:///{tmp_path / 'r.db'}"]
    loose = CliRunner().invoke(app, args + ["--threshold", "lab_tolerance_pct=10"])
    assert "LAB-MATCH" not in loose.output, loose.output
    assert "INV-DUPLICATE" in loose.output
    bad = CliRunner().invoke(app, args + ["--threshold", "lab_tolerance_pct"])
    assert bad.exit_code == 2 and "KEY=NUMBER" in bad.output
    unknown = CliRunner().invoke(app, args + ["--threshold", "no_such_threshold=1"])
    assert unknown.exit_code == 2 and "no_such_threshold" in unknown.output


def test_extract_prints_records_with_provenance_as_json(tmp_path):
    lab = next(d for d in sample_truth()["documents"] if d["kind"] == "lab_report")
    result = CliRunner().invoke(app, ["extract", str(sample_bundle() / lab["file"])])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    text = json.dumps(data, ensure_ascii=False)
    assert lab["records"][0]["report_no"] in text and '"sha256"' in text and '"bbox"' in text
