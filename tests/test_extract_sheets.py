"""Production, stock and meter spreadsheets, and recognising a claim workbook."""

import time

import pytest
from extract_docs import claim_xlsx, meter_csv, production_xlsx, stock_xlsx

from extractors import extract_file
from extractors.classify import classify
from extractors.read import document_for
from verify.records import DocumentKind


def read(path):
    return extract_file(path, document_for(path))


def test_daily_production_sheet_summed_per_product(tmp_path):
    started = time.perf_counter()
    result = read(production_xlsx(tmp_path / "p.xlsx"))
    assert time.perf_counter() - started < 2.0  # the inflated used range is not walked
    by = {r.product: r for r in result.records}
    assert set(by) == {"crude_steel", "pig_iron", "sinter"}
    steel = by["crude_steel"]
    assert (steel.period, steel.quantity, steel.unit, steel.daily_rows) == ("2025-03", 310496.0, "t", 31)
    assert steel.where("quantity").cell == "3月产量!B35"
    assert result.notes == []


def test_total_row_that_disagrees_is_a_note(tmp_path):
    result = read(production_xlsx(tmp_path / "p.xlsx", total_delta=100))
    steel = next(r for r in result.records if r.product == "crude_steel")
    assert steel.quantity == 310496.0
    assert any("B35" in n and "310596" in n for n in result.notes)


def test_stock_ledger_one_record_per_fuel(tmp_path):
    result = read(stock_xlsx(tmp_path / "s.xlsx"))
    coke, coal = result.records
    assert (coke.stream, coke.period, coke.unit) == ("coke", "2025-03", "吨")
    assert (coke.opening, coke.received, coke.consumed, coke.outbound, coke.closing) == \
        (12000, 45000.5, 50100, 0, 6900.5)
    assert coal.stream == "washed_coal" and coal.received == 30000.0
    assert coke.where("closing").cell == "进销存!G3"


def test_gbk_meter_csv(tmp_path):
    result = read(meter_csv(tmp_path / "m.csv"))
    assert result.document.kind == DocumentKind.METER_RECORD
    by = {r.stream: r for r in result.records}
    assert by["blast_furnace_gas"].total == pytest.approx(sum(100.5 + d for d in range(1, 31)))
    assert by["coke_oven_gas"].unit == "万Nm3" and by["coke_oven_gas"].daily_rows == 30


@pytest.mark.parametrize("chinese", [False, True])
def test_claim_workbook_is_recognised(tmp_path, chinese):
    assert classify(claim_xlsx(tmp_path / "c.xlsx", chinese)).kind == DocumentKind.CLAIM
