"""Statistical tables (country x year, USGS and worldsteel style) are named "not plant evidence"
with what showed it; a sheet of a known kind that yields no record says which header it saw and
which column it missed."""

from __future__ import annotations

from openpyxl import Workbook

from extractors import extract_file
from extractors.read import document_for
from verify.model.records import DocumentKind, DocumentStatus


def _write(path, rows, title="Table 1"):
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


def _read(path):
    return extract_file(path, document_for(path))


def test_worldsteel_style_table_is_not_plant_evidence(tmp_path):
    path = _write(tmp_path / "steel.xlsx", [
        ["Crude steel production, million tonnes"], [],
        ["Country", 2019, 2020, 2021, 2022, "2023e"],
        ["China", 995.4, 1064.7, 1035.2, 1018.0, 1019.1],
        ["India", 111.4, 100.3, 118.2, 125.4, 140.8],
        ["Japan", 99.3, 83.2, 96.3, 89.2, 87.0],
        ["World", 1875.1, 1879.8, 1951.9, 1885.0, 1888.2],
    ])
    result = _read(path)
    doc = result.document
    assert (doc.kind, doc.status, result.records) == (DocumentKind.UNKNOWN,
                                                      DocumentStatus.UNCLASSIFIED, [])
    assert doc.error.startswith("a statistical table of countries by year, not plant evidence")
    assert "sheet 'Table 1' row 3: Country / 2019 / 2020 / 2021 / 2022 ... 2023e" in doc.error
    assert "rows China, India, Japan, World" in doc.error


def test_usgs_style_table_with_places_but_no_country_header(tmp_path):
    path = _write(tmp_path / "usgs.xlsx", [
        ["Iron and steel: world production (thousand metric tons)"],
        ["", "2022", "2023", "2024e"],
        ["United States", 80500, 81400, 80000],
        ["China", 1018000, 1019000, 1005000],
        ["World total (rounded)", 1890000, 1890000, 1880000],
    ], title="MCS")
    doc = _read(path).document
    assert doc.kind == DocumentKind.UNKNOWN
    assert "not plant evidence" in doc.error and "United States, China" in doc.error


def test_plant_sheet_with_years_is_still_read(tmp_path):
    """A plant's own sheet with year columns names products, not places: not a statistics table."""
    path = _write(tmp_path / "ledger.xlsx", [
        ["某钢铁有限公司 2025年6月 产品产量统计表"], [],
        ["产品", "本月产量(吨)", "累计产量(吨)", "2023", "2024"],
        ["粗钢", 201234.5, 1203456.5, 2300000, 2350000],
    ], title="月报")
    result = _read(path)
    assert result.document.kind == DocumentKind.PRODUCTION_RECORD, result.document.error
    assert [(r.product, r.quantity) for r in result.records] == [("crude_steel", 201234.5)]


def test_production_sheet_without_a_product_column_says_so(tmp_path):
    path = _write(tmp_path / "prod.xlsx", [
        ["某钢铁公司 生产日报"],
        ["日期", "班组", "备注"],
        ["粗钢", "甲班", "正常"],
    ], title="产量")
    result = _read(path)
    assert result.document.kind == DocumentKind.PRODUCTION_RECORD and result.records == []
    assert ("no production record read: sheet '产量' row 2: 日期 / 班组 / 备注: no column of "
            "product (粗钢 / crudesteel / 生铁 ...)") in result.notes
