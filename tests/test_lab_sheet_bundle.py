"""A month whose coal lab evidence is the laboratory's sample workbook (proximate analysis only,
no carbon), end to end through verify.pipeline against the generator's truth: the report of
recomputed means is the coal's lab report, the claim's NCV is judged against it (LAB-MATCH when
the plant claims another mean), carbon is missing (LAB-COMPLETENESS) and the defaults stand.

Kept small: the month's invoices in one XLSX list, the sample workbook, the stock record, the gas
meters and the claim (no PDF certificate; the other measured fuels are LAB-MISSING in the truth)."""

from __future__ import annotations

import random

import pytest

from fixtures.generate import bundle
from fixtures.generate import claim as claims
from fixtures.generate import plan as planner
from fixtures.generate.lab_sheet import LAYOUT
from fixtures.generate.model import Doc
from fixtures.score import score
from verify.model.result import to_findings_json
from verify.pipeline import RunOptions, run_bundle

KEPT = ("claim", "stock_record", "meter_record", "production_record")


def _sheet_month(seed: int):
    rng = random.Random(f"{seed}:0")
    prof = planner.make_profile(rng, 0, "mixed")
    planner.warm_up(prof, rng, "2025-01")
    for period in planner.periods("2025-01", 12):
        month = planner.plan_month(prof, rng, period)
        if any(d.layout == LAYOUT for d in month.docs):
            return month, rng
    raise AssertionError("no sample workbook in a year")


@pytest.fixture(scope="module")
def sheet_run(tmp_path_factory):
    month, rng = _sheet_month(1)
    sheet = next(d for d in month.docs if d.layout == LAYOUT)
    invoices = [inv for d in month.docs if d.kind == "fuel_invoice" for inv in d.payload]
    month.docs[:] = [d for d in month.docs if d.kind in KEPT and d.layout != "prod_pdf"]
    month.docs[:0] = [Doc("fuel_invoice", "xlsx_list", "zh", invoices, month.period), sheet]
    stream = sheet.payload[0].stream
    row = next(f for f in month.claim.fuels if f.stream == stream)
    mean = float(next(v.value for v in sheet.payload[0].results if v.parameter == "ncv"))
    row.data_source = "measured"  # the workbook's NCV claimed as measured, the CC the default
    row.ncv = round(mean * 1.03, 2)  # ... and a mean 3 % above its samples'
    claims.refresh(month.claim)
    out = tmp_path_factory.mktemp("lab-sheet-bundle")
    truth = bundle.write(out, month, month.docs, [month.period], month.period, False, 1, rng,
                         0.0, month.defects, month.findings)
    outcome = run_bundle(out / "bundle", RunOptions(store=False, out=None))
    return truth, outcome, sheet, stream


def test_sample_workbook_month_scores_as_its_truth(sheet_run):
    truth, outcome, _sheet, stream = sheet_run
    s = score(to_findings_json(outcome.result), truth)
    assert (s.missed, s.extra) == ([], []), (s.missed, s.extra)
    assert s.opinion_match and s.total_error is not None and s.total_error <= 0.01
    keys = {(f["rule"], f["stream"]) for f in truth["expected"]["findings"]}
    assert {("LAB-MATCH", stream), ("LAB-COMPLETENESS", stream)} <= keys


def test_the_recomputed_mean_is_the_lab_value_and_the_defaults_stand(sheet_run):
    _truth, outcome, sheet, stream = sheet_run
    (fuel,) = [s for s in outcome.result.streams if s.name == stream]
    mean = float(next(v.value for v in sheet.payload[0].results if v.parameter == "ncv"))
    match = next(f for f in outcome.result.findings if f.rule == "LAB-MATCH" and f.stream == stream)
    assert match.evidenced == pytest.approx(round(mean, 3))
    assert any(p.file == sheet.name for p in match.evidence)
    assert fuel.ncv.support == "defaulted" and fuel.carbon_content.support == "defaulted"
