"""The claim template read back from XLSX and CSV, English and Chinese labels."""

import csv

import pytest

from extractors.claim import read_claim
from extractors.claim_template import write_claim_workbook
from verify.model.errors import ClaimError
from verify.model.records import DataSource

SUMMARY = {"facility_id": "CN-HB-0001", "facility_name": "河北某钢铁有限公司", "period": "2025-03",
           "method": "cn-steel-2025", "crude_steel_t": 595279, "total_tco2": 1214057.49}
FUELS = [
    {"stream": "焦炭", "unit": "t", "opening": 1200, "purchased": "66,522.44", "closing": 1200,
     "outbound": 0, "consumed": 66522.44, "ncv": 28.435, "ncv_unit": "GJ/t",
     "carbon_content": 0.02942, "oxidation": 1, "emissions": 204049.48, "data_source": "实测"},
    {"stream": "Coke oven gas", "unit": "10^4 Nm3", "consumed": 920.5, "ncv": 173.854,
     "carbon_content": 0.0121, "oxidation": 1, "emissions": 7100.11, "data_source": "default"},
]
PROCESS = [{"material": "石灰石", "consumed": 1891.38, "ef": 0.44, "emissions": 832.21}]
PRODUCTS = [{"product": "Crude steel", "output": 595279, "ef": 0.037, "deduction": 22025.32}]


def _read(path):
    return read_claim([path], [(path.name, "0" * 64)])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_claim_workbook_round_trip(tmp_path, lang):
    path = write_claim_workbook(tmp_path / f"claim-{lang}.xlsx", lang, SUMMARY, FUELS, PROCESS, PRODUCTS)
    claim = _read(path)
    assert claim.facility_id == "CN-HB-0001" and claim.facility_name == "河北某钢铁有限公司"
    assert claim.period == "2025-03" and claim.total_tco2 == 1214057.49
    coke, cog = claim.fuels
    assert (coke.stream, coke.purchased, coke.consumed, coke.ncv) == ("coke", 66522.44, 66522.44, 28.435)
    assert coke.data_source == DataSource.MEASURED and coke.emissions == 204049.48
    assert (cog.stream, cog.unit, cog.data_source) == ("coke_oven_gas", "10^4 Nm3", DataSource.DEFAULT)
    assert claim.process[0].material == "limestone" and claim.process[0].emissions == 832.21
    assert claim.products[0].product == "crude_steel" and claim.products[0].output == 595279
    sheet = "燃料" if lang == "zh" else "Fuels"
    assert coke.where("purchased").cell == f"{sheet}!E2"
    assert claim.where("total_tco2").cell.endswith("!B6")


def test_blank_template_has_every_sheet_and_reads_as_empty_claim_error(tmp_path):
    path = write_claim_workbook(tmp_path / "blank.xlsx", "en")
    with pytest.raises(ClaimError, match="Facility ID"):
        _read(path)


def test_malformed_number_names_sheet_row_and_column(tmp_path):
    bad = [dict(FUELS[0], consumed="sixty thousand")]
    path = write_claim_workbook(tmp_path / "bad.xlsx", "en", SUMMARY, bad, PROCESS, PRODUCTS)
    with pytest.raises(ClaimError, match=r"Fuels!H2 \(column 'Consumed'\): 'sixty thousand'"):
        _read(path)


def test_unknown_fuel_is_named(tmp_path):
    bad = [dict(FUELS[0], stream="Moon rock")]
    path = write_claim_workbook(tmp_path / "bad.xlsx", "en", SUMMARY, bad, PROCESS, PRODUCTS)
    with pytest.raises(ClaimError, match=r"Fuels!B2: 'Moon rock' is not a known fuel"):
        _read(path)


def test_claim_from_csv_tables_in_gbk(tmp_path):
    files = []
    tables = {
        "summary": [["排放单位编号", "CN-HB-0001"], ["核算月份", "2025-03"], ["排放总量", "1,000.00"]],
        "fuels": [["燃料品种", "消耗量", "低位发热量", "单位热值含碳量", "排放量"],
                  ["焦炭", "12.5", "28.435", "0.02942", "38.35"]],
    }
    for name, rows in tables.items():
        path = tmp_path / f"{name}.csv"
        with path.open("w", encoding="gbk", newline="") as fh:
            csv.writer(fh).writerows(rows)
        files.append(path)
    claim = read_claim(files, [(p.name, "0" * 64) for p in files])
    assert claim.total_tco2 == 1000.0 and claim.fuels[0].stream == "coke"
    assert claim.fuels[0].where("emissions").cell == "E2"
    assert claim.fuels[0].where("emissions").file == "fuels.csv"
