"""The plant's pre-check (issue 16): each generator defect is a fix item with its place and
remedy, in English and Chinese; the exit code says whether anything blocks; precheck.xlsx and
precheck.json read back. Real bundles from the truth-known generator, read once each."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from fixtures import sample_bundle
from fixtures.generate.run import generate
from verify.cli import app
from verify.domain.config import StreamPlan
from verify.domain.precheck import plan_gaps
from verify.model.precheck import Blocks
from verify.pipeline import RunOptions, evidence_records, precheck_read, read_bundle
from verify.report.precheck_outputs import headings, statuses, write_precheck

# every defect the generator plants that the verifier's rules see (as tests/test_fixtures_generator)
DEFECTS = ["duplicate_invoice", "out_of_period_invoice", "invoice_arithmetic", "unit_slip",
           "ncv_mismatch", "cc_mismatch", "lab_no_accreditation", "late_lab", "missing_lab",
           "stock_discontinuity", "unclaimed_fuel", "production_mismatch", "trend_break",
           "intensity_range", "corrupt_pdf", "encrypted_pdf", "empty_file", "unrelated_document",
           "lab_out_of_range", "lab_incomplete", "meter_mismatch", "stock_balance_error"]
CJK = re.compile(r"[\u4e00-\u9fff]")
NO_STORE = RunOptions(store=False, out=None)


def _bundle(root: Path, truth: dict) -> Path:
    return root / truth["facility"]["id"] / truth["period"] / "bundle"


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    """(truth, bundle, {lang: Precheck}) for bundles holding every defect, one clean bundle and
    one whose only finding is an observation."""
    root = tmp_path_factory.mktemp("precheck")
    cases = [(root / "defects", t) for t in generate(root / "defects", 8, 2, 2, DEFECTS, "mixed")]
    cases += [(root / "clean", t) for t in generate(root / "clean", 11, 1, 1, [], "en")]
    cases += [(root / "note", t) for t in generate(root / "note", 30, 1, 1, ["lab_out_of_range"],
                                                   "zh")]
    out = []
    for base, truth in cases:
        bundle = _bundle(base, truth)
        read = read_bundle(bundle, NO_STORE)
        out.append((truth, bundle, {lang: precheck_read(read, RunOptions(store=False, out=None,
                                                                         lang=lang))
                                    for lang in ("en", "zh")}))
    return out


def _blocks(severity: str) -> set[Blocks]:
    return {Blocks.MISSTATEMENT} if severity == "misstatement" else {Blocks.NONE, Blocks.SCOPE}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_defect_is_a_fix_item_with_its_place_and_remedy(checked, lang):
    planted = set()
    for truth, _bundle, prechecks in checked:
        p = prechecks[lang]
        planted |= {d["name"] for d in truth["defects"]}
        for expected in truth["expected"]["findings"]:
            items = [i for i in p.items if (i.rule, i.stream, i.period)
                     == (expected["rule"], expected["stream"], expected["period"])]
            assert items, (truth["facility"]["id"], truth["period"], expected)
            for item in items:
                assert item.blocks in _blocks(expected["severity"]), (expected, item)
                assert item.where, item  # where to look: a file of the bundle, page or cell
                for place in item.where:
                    assert any(place.startswith(doc["file"]) for doc in truth["documents"]), place
                assert item.todo and item.what
                words = item.todo
                for place in item.where:  # a sheet of a Chinese workbook is named in Chinese
                    words = words.replace(place, "")
                assert bool(CJK.search(words)) == (lang == "zh"), item.todo
    assert planted == set(DEFECTS)


def test_items_run_most_costly_first_and_name_their_finding(checked):
    for _truth, _bundle, prechecks in checked:
        p = prechecks["en"]
        costs = [abs(i.impact_tco2 or 0) for i in p.items if i.rule != "MATERIALITY"]
        assert costs == sorted(costs, reverse=True)
        assert [i.no for i in p.items] == list(range(1, len(p.items) + 1))
        findings = [i for i in p.items if i.finding_id]
        assert len({i.finding_id for i in findings}) == len(findings)


def test_remedy_quotes_the_claim_and_the_lab_report():
    read = read_bundle(sample_bundle(), NO_STORE)
    p = precheck_read(read, RunOptions(store=False, out=None, lang="en"))
    [lab] = [i for i in p.items if i.rule == "LAB-MATCH"]
    # the sample's washed coal: claimed NCV 25.215 GJ/t, lab report MZ202503-0002 26.289 GJ/t
    assert "25.215" in lab.todo and "26.289" in lab.todo
    assert "MZ202503-0002" in lab.what
    assert any(w.startswith("scans/doc015.pdf p.") for w in lab.where)
    # the sample's plan samples natural gas weekly; the bundle holds one report of the month
    [sampling] = [i for i in p.items if i.rule == "PLAN-SAMPLING"]
    assert sampling.stream == "natural_gas" and "at least 4" in sampling.todo
    assert p.deadline == "2025-05-10"  # 2025-03-31 + 40 days


def test_exit_code_follows_what_blocks(checked):
    for truth, _bundle, prechecks in checked:
        e = truth["expected"]
        blocked = e["opinion"] == "not_verified" or any(
            f["severity"] == "misstatement" for f in e["findings"])
        assert bool(prechecks["en"].blocking) == blocked == bool(prechecks["zh"].blocking)
    assert any(not p["en"].blocking for _t, _b, p in checked)  # a 0 among the cases


@pytest.mark.parametrize("case, code", [(0, 1), (-2, 0)])
def test_cli_writes_the_list_and_exits(checked, tmp_path, case, code):
    truth, bundle, prechecks = checked[case]
    result = CliRunner().invoke(app, ["precheck", str(bundle), "--out", str(tmp_path),
                                      "--lang", "zh"])
    assert result.exit_code == code, result.output
    assert headings("zh")["title"] in result.output
    data = json.loads((tmp_path / "precheck.json").read_text("utf-8"))
    assert data["schema"] == "carbon-verify/precheck/v1"
    assert [i["rule"] for i in data["items"]] == [i.rule for i in prechecks["zh"].items]
    assert (data["blocking"] > 0) == (code == 1)
    ws = load_workbook(tmp_path / "precheck.xlsx").active
    header = [c.value for c in ws[1]]
    status = header.index(headings("zh")["status"]) + 1
    assert ws.max_row == len(data["items"]) + 1
    assert all(ws.cell(row, status).value == statuses("zh")[0] for row in range(2, ws.max_row + 1))
    if data["items"]:
        [rule] = ws.data_validations.dataValidation
        assert statuses("zh")[1] in rule.formula1


def test_precheck_xlsx_keeps_document_text_inert(checked, tmp_path):
    _truth, _bundle, prechecks = checked[0]
    p = prechecks["en"]
    item = p.items[0].model_copy(update={"what": "=HYPERLINK(\"http://x\")"})
    write_precheck(p.model_copy(update={"items": [item]}), tmp_path)
    ws = load_workbook(tmp_path / "precheck.xlsx").active
    header = [c.value for c in ws[1]]
    assert ws.cell(2, header.index(headings("en")["what"]) + 1).value.startswith("'=")


def test_a_month_is_checked_against_its_monitoring_plan():
    read = read_bundle(sample_bundle(), NO_STORE)
    records = evidence_records(read.extractions)
    documents = [e.document for e in read.extractions]
    plan = {"coke": StreamPlan(measured=True, sampling="monthly"),
            "anthracite": StreamPlan(measured=True, sampling="monthly"),
            "natural_gas": StreamPlan(measured=True, sampling="weekly")}
    found = plan_gaps(plan, "2025-03", records, documents)
    gaps = {(g.rule, g.stream, g.values.get("need")) for g in found}
    # anthracite: no invoice, meter or stock record, no lab report; coke has both
    assert {("PLAN-STREAM", "anthracite", "activity"), ("PLAN-STREAM", "anthracite",
                                                         "lab_report")} <= gaps
    assert not [g for g in gaps if g[1] == "coke"]
    [weekly] = [g for g in found if g.rule == "PLAN-SAMPLING"]
    assert (weekly.stream, weekly.values) == ("natural_gas", {"frequency": "weekly",
                                                              "required": 4, "found": 1})
    without_stock = [d for d in documents if d.kind.value != "stock_record"]
    missing = plan_gaps({}, "2025-03", records, without_stock)
    assert {(g.rule, g.values.get("document")) for g in missing} == {
        ("PLAN-ABSENT", None), ("PLAN-DOCUMENT", "stock_record")}
