"""Production, stock and meter spreadsheets (XLSX, legacy XLS, and the text an ERP names .xls),
and recognising a claim workbook."""

import time

import pytest
from extract_docs import (
    claim_xlsx,
    meter_csv,
    production_xls,
    production_xlsx,
    stock_text_xls,
    stock_xls,
    stock_xlsx,
)

from extractors import extract_file
from extractors.classify import classify
from extractors.read import document_for
from extractors.sheets.grid import read_sheets
from extractors.sniff import OLE, file_format
from verify.model.records import DocumentKind, DocumentStatus


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


def test_legacy_xls_production_report_with_merged_two_row_header(tmp_path):
    path = production_xls(tmp_path / "生产日报.xls")
    assert path.read_bytes()[:8] == OLE and file_format(path) == "xls"  # real BIFF, by xlwt
    result = read(path)
    assert result.document.kind == DocumentKind.PRODUCTION_RECORD and result.notes == []
    got = {r.product: (r.period, r.quantity, r.unit, r.daily_rows, r.where("quantity").cell)
           for r in result.records}
    assert got == {"crude_steel": ("2025-03", 310496.0, "t", 31, "生产日报!B36"),
                   "pig_iron": ("2025-03", 279511.5, "t", 31, "生产日报!C36"),
                   "sinter": ("2025-03", 465000.0, "t", 31, "生产日报!D36")}


def test_legacy_xls_stock_ledger_with_merged_header_cells(tmp_path):
    result = read(stock_xls(tmp_path / "进销存.xls"))
    assert result.document.kind == DocumentKind.STOCK_RECORD and result.notes == []
    coke, coal = result.records
    assert (coke.stream, coke.period, coke.unit) == ("coke", "2025-03", "吨")
    assert (coke.opening, coke.received, coke.consumed, coke.outbound, coke.closing) == \
        (12000, 45000.5, 50100, 0, 6900.5)
    assert (coal.stream, coal.opening, coal.received, coal.consumed, coal.closing) == \
        ("washed_coal", 8000, 30000, 31000, 7000)
    assert [coke.where(k).cell for k in ("opening", "received", "closing")] == \
        ["进销存!C4", "进销存!D4", "进销存!G4"]


@pytest.mark.parametrize("form", ["csv", "tsv", "html"])
def test_xls_named_text_export_is_read_as_what_it_is(tmp_path, form):
    """Many ERP systems save CSV, Unicode text or an HTML page under an .xls name. The verifier
    reads the table it holds (as Excel opens it), so the evidence counts and its cells can be
    cited, rather than refusing a file whose data is all there."""
    path = stock_text_xls(tmp_path / "库存.xls", form)
    assert file_format(path) == "csv"  # a table kept as text, whatever the name says
    result = read(path)
    assert result.document.kind == DocumentKind.STOCK_RECORD and result.notes == []
    coke, coal = result.records
    assert (coke.stream, coke.period, coke.unit) == ("coke", "2025-03", "吨")
    assert (coke.opening, coke.received, coke.consumed, coke.outbound, coke.closing) == \
        (12000, 45000.5, 50100, 0, 6900.5)
    assert (coal.stream, coal.received, coal.closing) == ("washed_coal", 30000, 7000)
    row = 4 if form == "html" else 3  # the HTML header spans two rows
    assert coke.where("closing").cell == f"库存!G{row}"
    assert coke.where("closing").text == ("6900.5" if form == "html" else "6,900.5")


def test_html_page_without_a_table_under_an_xls_name_is_unclassified(tmp_path):
    path = tmp_path / "export.xls"
    path.write_text("<!DOCTYPE html><html><body><p>会话已过期，请重新登录。</p></body></html>",
                    encoding="utf-8")
    result = read(path)
    assert result.document.status == DocumentStatus.UNCLASSIFIED and result.records == []


def test_xlsx_with_used_range_to_row_a_million_and_cached_formula_totals(tmp_path):
    path = production_xlsx(tmp_path / "p.xlsx", stray_row=1_000_000, formulas=True)
    (sheet,) = read_sheets(path, "xlsx")
    assert len(sheet.rows) == 35  # title, blank, header, 31 days, total: not a million rows
    assert [c.value for c in sheet.rows[-1][:4]] == ["合计", 310496, 279511.5, 465000]
    result = read(path)
    steel = next(r for r in result.records if r.product == "crude_steel")
    assert (steel.quantity, steel.daily_rows, steel.where("quantity").cell) == (310496.0, 31, "3月产量!B35")
    assert result.notes == []
    stale = read(production_xlsx(tmp_path / "q.xlsx", stray_row=1_000_000, formulas=True,
                                 total_delta=100))
    assert any("B35" in n and "310596" in n for n in stale.notes)  # the cached result, checked
