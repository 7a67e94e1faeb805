"""Monthly production ledgers (title rows over 产品 / 单位 / 本月产量 / 累计产量): the month's figure
from the month's column, never the cumulative one; materials charged as their consumption."""

import random

import pytest
from openpyxl import Workbook
from truth_compare import diff

from extractors import extract_file
from extractors.read import document_for
from fixtures.generate import plan as planner
from fixtures.generate import records
from fixtures.generate.bundle import render_all
from verify.model.records import DocumentKind, ProductionRecord, StockRecord


def _ledger_doc(lang: str):
    """A month the generator plans with a ledger (the share forced to every month)."""
    from fixtures.generate import ledger

    share, ledger.LEDGER_SHARE = ledger.LEDGER_SHARE, 1.0
    try:
        return _first_ledger_doc(lang)
    finally:
        ledger.LEDGER_SHARE = share


def _first_ledger_doc(lang: str):
    rng = random.Random(3)
    prof = planner.make_profile(rng, 0, lang)
    planner.warm_up(prof, rng, "2025-01")
    for period in planner.periods("2025-01", 12):
        month = planner.plan_month(prof, rng, period)
        docs = [d for d in month.docs if d.layout == "prod_ledger_xlsx"]
        if docs:
            return docs[0]
    raise AssertionError("no ledger month in a year")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_generated_ledger_reads_as_its_truth(tmp_path, lang):
    doc = _ledger_doc(lang)
    (data,) = render_all([doc], [1], jobs=1)
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(data)
    result = extract_file(path, document_for(path))
    assert result.document.kind == DocumentKind.PRODUCTION_RECORD, result.document.error
    got = [records.strip_sources(r.model_dump(mode="json")) for r in result.records]
    assert diff(got, records.for_doc(doc)) == [] and result.notes == []
    steel = next(r for r in result.records if getattr(r, "product", "") == "crude_steel")
    assert steel.where("quantity").cell.startswith("产量月报!D" if lang == "zh" else "Monthly output!D")


def _write(path, rows):
    wb = Workbook()
    ws = wb.active
    ws.title = "月报"
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_cumulative_column_before_the_month_is_not_taken(tmp_path):
    path = _write(tmp_path / "ledger.xlsx", [
        ["某钢铁有限公司 2025年6月 产品产量统计表"],
        [],
        ["产品", "累计产量(吨)", "本月产量(吨)", "备注"],
        ["粗钢", 1203456.5, 201234.5, ""],
        ["石灰石", 60500, 10100.25, "消耗"],
        ["白云石", 36000, 6050, "消耗"],
        ["水渣", 300000, 50000, ""],
        ["合计", 1599956.5, 267384.75, ""],
    ])
    result = extract_file(path, document_for(path))
    assert result.document.kind == DocumentKind.PRODUCTION_RECORD, result.document.error
    prod = {r.product: (r.quantity, r.unit, r.period) for r in result.records
            if isinstance(r, ProductionRecord)}
    stock = {r.stream: (r.consumed, r.opening, r.period) for r in result.records
             if isinstance(r, StockRecord)}
    assert prod == {"crude_steel": (201234.5, "t", "2025-06")}
    assert stock == {"limestone": (10100.25, None, "2025-06"), "dolomite": (6050.0, None, "2025-06")}
    assert result.records[0].where("quantity").cell == "月报!C4"
    assert any("'水渣' names no known product or material" in n for n in result.notes)


def test_ledger_without_a_month_says_which_header_it_saw(tmp_path):
    path = _write(tmp_path / "ledger.xlsx", [
        ["产品产量统计表"],
        ["产品", "单位", "本月产量", "累计产量"],
        ["粗钢", "吨", 201234.5, 1203456.5],
    ])
    result = extract_file(path, document_for(path))
    assert result.document.kind == DocumentKind.PRODUCTION_RECORD, result.document.error
    assert result.records == []
    assert any("ledger header in row 2 (产品 / 单位 / 本月产量 / 累计产量), but no month printed"
               in n for n in result.notes), result.notes
