"""Every case of tests/rules/<id>.yml, run through `conclude` as a real run would be.

A case gives a claim and evidence records; a `pass` case expects no finding of the file's rule,
a failing case lists the findings it expects (stream, period, severity, impact to 0.01 t,
documents named). Each case runs in English and in Chinese, so both messages are filled.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from rule_builder import claim, documents, records

from verify.domain.conclude import RunSettings, conclude
from verify.domain.thresholds import load_thresholds
from verify.model.records import Finding

CASES_DIR = Path(__file__).parent / "rules"


def _cases() -> list:
    out = []
    for path in sorted(CASES_DIR.glob("*.yml")):
        spec = yaml.safe_load(path.read_text("utf-8"))
        for case in spec["cases"]:
            out.append(pytest.param(spec["rule"], case, id=f"{spec['rule']}:{case['name']}"))
    return out


def run_case(rule: str, case: dict[str, Any], lang: str = "en") -> list[Finding]:
    """The findings of `rule` when the case's bundle is concluded."""
    ctx = case.get("context", {})
    settings = RunSettings(run_id=case["name"], period=ctx.get("period"), lang=lang,
                           route=ctx.get("route", "bf-bof"),
                           plan_streams=tuple(ctx.get("plan_streams", ())))
    result = conclude(claim(case["claim"]), records(case), documents(case),
                      load_thresholds(case.get("thresholds")), settings)
    return [f for f in result.findings if f.rule == rule]


def _matches(finding: Finding, want: dict[str, Any]) -> bool:
    if finding.stream != want.get("stream"):
        return False
    if "period" in want and finding.period != want["period"]:
        return False
    if "severity" in want and finding.severity.value != want["severity"]:
        return False
    if "impact" in want and (finding.impact_tco2 is None) != (want["impact"] is None):
        return False
    if want.get("impact") is not None and abs(finding.impact_tco2 - want["impact"]) > 0.01:
        return False
    if "scope_limitation" in want and finding.scope_limitation != want["scope_limitation"]:
        return False
    files = {p.file for p in finding.evidence}
    return all(doc in files for doc in want.get("documents", []))


def _describe(findings: list[Finding]) -> str:
    return "\n".join(f"{f.stream} {f.period} {f.severity.value} impact={f.impact_tco2} "
                     f"[{', '.join(p.file for p in f.evidence)}] {f.message}" for f in findings)


@pytest.mark.parametrize("rule,case", _cases())
def test_rule_case(rule: str, case: dict[str, Any]) -> None:
    findings = run_case(rule, case)
    if case.get("pass"):
        assert not findings, f"expected no {rule} finding:\n{_describe(findings)}"
        return
    left = list(findings)
    for want in case["expect"]:
        hit = next((f for f in left if _matches(f, want)), None)
        assert hit is not None, f"no finding like {want} among:\n{_describe(findings)}"
        left.remove(hit)
        for text in want.get("message_has", []):
            assert text in hit.message, hit.message
    assert not left, f"unexpected {rule} findings:\n{_describe(left)}"


@pytest.mark.parametrize("rule,case", [c for c in _cases() if not c.values[1].get("pass")])
def test_rule_case_in_chinese(rule: str, case: dict[str, Any]) -> None:
    en, zh = run_case(rule, case), run_case(rule, case, lang="zh")
    assert len(zh) == len(en)
    assert all(z.message and z.message != e.message for z, e in zip(zh, en, strict=True))


CLEAN_MONTH = """
claim:
  period: "2025-03"
  crude_steel_t: 60000
  fuels:
    - {stream: coke, opening: 1200, purchased: 10000, closing: 1000, outbound: 0,
       consumed: 10200, ncv: 28.435, cc: 0.02942}
    - {stream: blast_furnace_gas, consumed: 10000, ncv: 33.0, cc: 0.0708, data_source: default}
  process: [{material: limestone, consumed: 10000, ef: 0.440}]
  products: [{product: crude_steel, output: 60000, ef: 0.037}]
invoices:
  - number: "25132000000000000101"
    date: 2025-03-05
    seller: 山西某焦化有限公司
    lines: [{stream: coke, unit: 吨, quantity: 6000, unit_price: 2000.00, amount: 12000000.00,
             tax_rate: 0.13, tax: 1560000.00}]
    total_amount: 12000000.00
    total_tax: 1560000.00
    total_with_tax: 13560000.00
  - number: "25132000000000000102"
    date: 2025-03-20
    seller: 山西某焦化有限公司
    lines: [{stream: coke, unit: kg, quantity: 4000000, unit_price: 2.00, amount: 8000000.00}]
labs:
  - {report_no: CK-2503-01, stream: coke, accreditation: ["CMA 191234567890", "CNAS L1234"],
     sampling_date: 2025-03-15, report_date: 2025-04-02,
     results: [[ncv, 28.435, MJ/kg, ar], [carbon, 83.66, "%", ar], [moisture_total, 5.2, "%"]]}
stock:
  - {period: "2025-02", stream: coke, opening: 900, received: 9000, consumed: 8700, closing: 1200}
  - {period: "2025-03", stream: coke, opening: 1200, received: 10000, consumed: 10200,
     outbound: 0, closing: 1000}
  - {period: "2025-03", stream: limestone, opening: 500, received: 10000, consumed: 10000,
     closing: 500}
production:
  - {period: "2025-03", product: crude_steel, quantity: 60000, daily_rows: 31}
meters:
  - {period: "2025-03", stream: blast_furnace_gas, unit: Nm3, total: 100000000}
context: {plan_streams: [coke, blast_furnace_gas, limestone, crude_steel]}
"""


def test_a_clean_month_with_full_evidence_has_no_finding():
    """Every rule at once on one consistent bundle: no rule fires where nothing is wrong."""
    case = {"name": "clean_month", **yaml.safe_load(CLEAN_MONTH)}
    ctx = case["context"]
    settings = RunSettings(run_id="clean", plan_streams=tuple(ctx["plan_streams"]))
    result = conclude(claim(case["claim"]), records(case), [], load_thresholds(), settings)
    assert result.findings == [], _describe(result.findings)
    assert result.opinion.value == "satisfactory"
    assert result.claimed_total_tco2 == result.verified_total_tco2 == 119135.26
