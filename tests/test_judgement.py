"""Judgement a verifier can defend (issue 12): every difference counts, each error once, the
materiality table reconciles. Real numbers from small bundles built with tests/rule_builder."""

from __future__ import annotations

import pytest
from rule_builder import claim, records

from fixtures.score import match_findings
from verify.domain.conclude import RunSettings, conclude
from verify.domain.thresholds import load_thresholds
from verify.model.result import Opinion

INVOICE = {"number": "25132000000000000101", "date": "2025-03-05", "seller": "山西某焦化有限公司",
           "file": "coke_0101.pdf",
           "lines": [{"stream": "coke", "unit": "吨", "quantity": 10000, "unit_price": 2000.0,
                      "amount": 20000000.0}]}
DUP = {**INVOICE, "number": "25132000000000000102", "file": "coke_0102.pdf",
       "lines": [{"stream": "coke", "unit": "吨", "quantity": 1000, "unit_price": 2000.0,
                  "amount": 2000000.0}]}


def _run(fuel: dict, invoices: list[dict]):
    case = {"claim": {"period": "2025-03", "fuels": [fuel]}, "invoices": invoices}
    return conclude(claim(case["claim"]), records(case), [], load_thresholds(),
                    RunSettings(run_id="t", period="2025-03"))


def test_difference_within_tolerance_counts_in_the_aggregated_line():
    # claimed purchases 10,040 t against 10,000 t invoiced: 0.4 %, below the 0.5 % tolerance
    fuel = {"stream": "coke", "purchased": 10040, "consumed": 10040, "ncv": 28.435,
            "cc": 0.02942, "data_source": "default"}
    r = _run(fuel, [INVOICE])
    assert [f.rule for f in r.findings] == []
    assert r.streams[0].verified_tco2 == pytest.approx(30673.78, abs=0.001)  # 10,000 t, evidenced
    m = r.materiality
    assert m.misstatement_tco2 == pytest.approx(122.70, abs=0.01)
    assert (m.reported_tco2, m.within_tolerance_tco2) == (0.0, pytest.approx(122.70, abs=0.01))
    assert r.opinion == Opinion.SATISFACTORY_WITH_COMMENTS  # uncorrected, immaterial


def test_one_duplicate_seen_by_two_rules_is_one_cause_counted_once():
    fuel = {"stream": "coke", "purchased": 12000, "consumed": 12000, "ncv": 28.435,
            "cc": 0.02942, "data_source": "default"}
    r = _run(fuel, [INVOICE, DUP, {**DUP, "file": "copies/coke_0102.pdf"}])
    impacts = {f.rule: f.impact_tco2 for f in r.findings if f.impact_tco2}
    assert impacts == {"AD-INVOICE": pytest.approx(3067.38, abs=0.01),
                       "INV-DUPLICATE": pytest.approx(3067.38, abs=0.01)}
    m = r.materiality
    [cause] = m.causes
    assert (cause.stream, cause.quantity, cause.rules) == ("coke", "activity",
                                                           ["AD-INVOICE", "INV-DUPLICATE"])
    assert cause.impact_tco2 == pytest.approx(3067.38, abs=0.01)
    # reconciles: causes once + within tolerance + tie-out + omitted = misstatement
    total = m.reported_tco2 + m.within_tolerance_tco2 + m.tieout_tco2 + m.omitted_tco2
    assert total == pytest.approx(m.misstatement_tco2, abs=0.005)
    assert m.misstatement_tco2 == pytest.approx(3067.38, abs=0.01)


def test_scorer_counts_each_surplus_finding_of_one_invoice_as_extra():
    expected = [{"rule": "INV-DUPLICATE", "stream": "coke", "period": "2025-03", "count": 1}]
    got = [{"rule": "INV-DUPLICATE", "stream": "coke", "period": "2025-03"}] * 33
    recall, precision, missed, extra = match_findings(got, expected, "2025-03")
    assert (recall, missed) == (1.0, [])
    assert len(extra) == 32 and precision == pytest.approx(1 / 33)
    assert match_findings(got[:1], expected, "2025-03")[1] == 1.0
