"""A bundle whose production evidence is only a monthly ledger with title rows (产品 / 单位 /
本月产量 / 累计产量): the process and product streams are verified from the ledger's month column,
end to end through verify.pipeline, and compared with the generator's truth field by field.

The bundle is one generated month kept small and fast: its invoices in one XLSX invoice list, the
ledger, the stock record without its limestone and dolomite rows (so those come from the ledger
alone), the gas meters and the claim; no lab report (LAB-MISSING follows in the truth)."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from fixtures.generate import bundle, defects
from fixtures.generate import claim as claims
from fixtures.generate import plan as planner
from fixtures.generate.ledger import PROCESS, Ledger
from fixtures.generate.model import Doc
from fixtures.score import score
from verify.model.result import to_findings_json
from verify.pipeline import RunOptions, run_bundle

KEPT = ("claim", "production_record", "stock_record", "meter_record")


def _ledger_month(seed: int):
    """The first month of a generated year whose production record is a ledger."""
    rng = random.Random(seed)
    prof = planner.make_profile(rng, 0, "mixed")
    planner.warm_up(prof, rng, "2025-01")
    for period in planner.periods("2025-01", 12):
        month = planner.plan_month(prof, rng, period)
        if any(isinstance(d.payload, Ledger) for d in month.docs):
            return month, prof, rng
    raise AssertionError("no ledger month in a year")


@pytest.fixture(scope="module")
def ledger_run(tmp_path_factory):
    month, prof, rng = _ledger_month(3)
    invoices = [inv for d in month.docs if d.kind == "fuel_invoice" for inv in d.payload]
    month.docs[:] = [d for d in month.docs if d.kind in KEPT and d.layout != "prod_pdf"]
    month.docs.insert(0, Doc("fuel_invoice", "xlsx_list", "zh", invoices, month.period))
    for d in month.docs:
        if d.kind == "stock_record":
            d.payload = [r for r in d.payload if r.period != month.period or r.stream not in PROCESS]
    defects.apply(month, ["production_mismatch"], rng, prof, {}, None)
    limestone = next(p for p in month.claim.process if p.material == "limestone")
    limestone.consumed = (limestone.consumed * Decimal("0.96")).quantize(Decimal("0.01"))
    claims.refresh(month.claim)  # the claim now states less limestone than the ledger shows
    out = tmp_path_factory.mktemp("ledger-bundle")
    truth = bundle.write(out, month, month.docs, [month.period], month.period, False, 3, rng,
                         0.0, month.defects, month.findings)
    outcome = run_bundle(out / "bundle", RunOptions(store=False, out=None))
    ledger = next(d for d in month.docs if isinstance(d.payload, Ledger))
    return truth, outcome, ledger


def test_ledger_is_the_only_production_evidence(ledger_run):
    truth, outcome, ledger = ledger_run
    production = [d for d in truth["documents"] if d["kind"] == "production_record"]
    assert [d["layout"] for d in production] == ["prod_ledger_xlsx"]
    stock = next(d for d in truth["documents"] if d["kind"] == "stock_record")
    assert not {r["stream"] for r in stock["records"] if r["period"] == ledger.period} & set(PROCESS)
    kinds = {d.file: d.kind.value for d in outcome.result.documents}
    assert kinds[ledger.name] == "production_record"


def test_process_and_product_streams_are_verified_from_the_ledger(ledger_run):
    truth, outcome, ledger = ledger_run
    got = {(s.name, s.kind): s for s in outcome.result.streams}
    expected = [s for s in truth["expected"]["streams"] if s["kind"] in ("process", "product")]
    from_ledger = [s for s in expected if s["name"] in ledger.payload.month]
    assert {s["name"] for s in from_ledger} >= {"limestone", "dolomite", "crude_steel"}
    for s in expected:
        run = got[(s["name"], s["kind"])]
        assert run.claimed_tco2 == pytest.approx(s["claimed_tco2"], abs=0.005), s["name"]
        assert run.verified_tco2 == pytest.approx(s["verified_tco2"], abs=0.01), s["name"]
        assert run.activity.claimed == pytest.approx(s["activity_claimed"]), s["name"]
        assert run.activity.evidenced == pytest.approx(s["activity_evidenced"]), s["name"]
    for s in from_ledger:  # the month's figure, never the cumulative one, from the ledger's cell
        run = got[(s["name"], s["kind"])]
        assert run.activity.evidenced == pytest.approx(float(ledger.payload.month[s["name"]]))
        assert run.activity.support == "evidenced"
        assert ledger.name in {p.file for p in run.evidence}, s["name"]
    limestone = got[("limestone", "process")]
    assert limestone.activity.claimed < limestone.activity.evidenced


def test_ledger_bundle_scores_as_its_truth(ledger_run):
    truth, outcome, _ = ledger_run
    s = score(to_findings_json(outcome.result), truth)
    assert (s.missed, s.extra) == ([], []), (s.missed, s.extra)
    assert s.opinion_match and s.total_error is not None and s.total_error <= 0.01
    rules = {f["rule"] for f in truth["expected"]["findings"]}
    assert "PROD-MATCH" in rules and "EVIDENCE-MISSING" not in rules
