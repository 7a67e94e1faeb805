"""Coal-laboratory workbooks with proximate analysis only (sample rows by shift, hour, lot or date;
Mt, Mad, Aad, Vdaf, St,ad, Qgr,ad, Qnet,ar; no carbon column) read as lab reports: the means
recomputed from the samples (tonnage-weighted when the sheet gives tonnage), the plant's mean row
checked, NCV from Qnet,ar or converted from Qgr,ad by GB/T 213, carbon left to the default."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook

from extractors import extract_file
from extractors.read import document_for
from verify.model.records import Basis, DocumentKind, LabReport

HEAD = ["日期", "班次", "煤量(t)", "Mt(%)", "Mad(%)", "Aad(%)", "Vdaf(%)", "St,ad(%)",
        "Qgr,ad(MJ/kg)", "Had(%)", "Qnet,ar(MJ/kg)"]
SAMPLES = [  # date, shift, t, Mt, Mad, Aad, Vdaf, St,ad, Qgr,ad, Had, Qnet,ar
    ("2025-06-01", "白班", 1200, 9.8, 1.2, 10.1, 28.5, 0.62, 30.12, 4.61, 26.10),
    ("2025-06-01", "夜班", 800, 10.4, 1.1, 10.5, 28.1, 0.60, 29.90, 4.55, 25.70),
    ("2025-06-02", "白班", 1000, 9.6, 1.3, 9.9, 28.9, 0.65, 30.30, 4.70, 26.35),
]


def _write(path, rows, title=("某钢铁公司化验室 入厂洗精煤化验日报", "2025年6月"), name="6月"):
    wb = Workbook()
    ws = wb.active
    ws.title = name
    for t in title:
        ws.append([t])
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


def _read(path):
    result = extract_file(path, document_for(path))
    assert result.document.kind == DocumentKind.LAB_REPORT, result.document.error
    (report,) = result.records
    assert isinstance(report, LabReport)
    return report, result.notes


def _weighted(col: int, samples=SAMPLES) -> float:
    return round(sum(s[col] * s[2] for s in samples) / sum(s[2] for s in samples), 4)


def test_sample_rows_become_one_report_of_tonnage_weighted_means(tmp_path):
    mean_row = ["加权平均", "", 3000, 9.9, 1.2, 10.1, 28.5, 0.62, 30.1, 4.6, 26.1]
    report, notes = _read(_write(tmp_path / "coal.xlsx", [HEAD, *SAMPLES, mean_row]))
    got = {(r.parameter, r.basis): (r.value, r.unit) for r in report.results}
    assert got == {
        ("moisture_total", Basis.AS_RECEIVED): (_weighted(3), "%"),
        ("moisture_ad", Basis.AIR_DRIED): (_weighted(4), "%"),
        ("ash", Basis.AIR_DRIED): (_weighted(5), "%"),
        ("volatiles", Basis.DRY_ASH_FREE): (_weighted(6), "%"),
        ("sulphur", Basis.AIR_DRIED): (_weighted(7), "%"),
        ("gcv", Basis.AIR_DRIED): (_weighted(8), "MJ/kg"),
        ("hydrogen", Basis.AIR_DRIED): (_weighted(9), "%"),
        ("ncv", Basis.AS_RECEIVED): (_weighted(10), "MJ/kg"),
    }
    assert (report.stream, report.sampling_date) == ("washed_coal", dt.date(2025, 6, 2))
    assert report.sample_id == "3 samples" and report.result("carbon") is None
    ncv = report.result("ncv")
    assert ncv.where("value").cell == "6月!K4:K6"
    assert "weighted by tonnage" in ncv.where("value").text
    assert not any("is not the mean" in n for n in notes), notes  # the mean row agrees
    assert any("no carbon column" in n and "default" in n for n in notes), notes


def test_a_mean_row_that_is_not_the_samples_mean_is_said_and_not_used(tmp_path):
    mean_row = ["加权平均", "", 3000, 9.9, 1.2, 10.1, 28.5, 0.62, 30.1, 4.6, 26.5]
    report, notes = _read(_write(tmp_path / "coal.xlsx", [HEAD, *SAMPLES, mean_row]))
    assert report.result("ncv").value == _weighted(10) != 26.5
    (note,) = [n for n in notes if "is not the mean" in n]
    assert note.startswith("6月!K7: the sheet's mean Qnet,ar(MJ/kg) 26.5")
    assert f"({_weighted(10):g}); the recomputed mean is used" in note


def test_without_tonnage_the_mean_is_plain(tmp_path):
    head = ["时间", "Mt", "Mad", "Aad", "Qnet,ar (MJ/kg)"]
    rows = [("08:00", 9.0, 1.0, 10.0, 25.0), ("16:00", 10.0, 1.2, 11.0, 26.0),
            ("24:00", 11.0, 1.4, 12.0, 24.1)]
    report, notes = _read(_write(tmp_path / "hours.xlsx", [head, *rows, ("平均", 10, 1.2, 11, 25.03)],
                                 title=("焦炭化验记录 2025-06",), name="Sheet1"))
    assert report.result("ncv").value == pytest.approx(round((25.0 + 26.0 + 24.1) / 3, 4))
    assert report.result("moisture_total").value == pytest.approx(10.0)
    assert report.stream == "coke" and report.sampling_date == dt.date(2025, 6, 30)
    assert "weighted" not in report.result("ncv").where("value").text
    assert not any("is not the mean" in n for n in notes), notes


def test_ncv_converted_from_gross_by_gb_t_213_when_no_net_column(tmp_path):
    head = [h for h in HEAD if not h.startswith("Qnet")]
    rows = [s[:-1] for s in SAMPLES]
    report, notes = _read(_write(tmp_path / "gross.xlsx", [head, *rows]))

    def net(s):  # GB/T 213-2008, constant volume: (Qgr,ad - 206 Had)(100 - Mt)/(100 - Mad) - 23 Mt, J/g
        return ((s[8] * 1000 - 206 * s[9]) * (100 - s[3]) / (100 - s[4]) - 23 * s[3]) / 1000

    expected = sum(net(s) * s[2] for s in SAMPLES) / sum(s[2] for s in SAMPLES)
    ncv = report.result("ncv", Basis.AS_RECEIVED)
    assert ncv.value == pytest.approx(expected, abs=1e-4) and ncv.unit == "MJ/kg"
    assert ncv.method == "GB/T 213-2008" and ncv.where("value").cell == "6月!I4:I6"
    assert any("no Qnet,ar column" in n and "converted from Qgr,ad" in n for n in notes), notes


def test_gross_without_hydrogen_gives_no_ncv_and_says_why(tmp_path):
    head = [h for h in HEAD if not h.startswith(("Qnet", "Had"))]
    rows = [s[:9] for s in SAMPLES]
    report, notes = _read(_write(tmp_path / "gross.xlsx", [head, *rows]))
    assert report.result("ncv") is None and report.result("gcv").value == _weighted(8)
    assert any("no Qgr,ad with Had, Mt and Mad to convert" in n for n in notes), notes


def _generated_sheets() -> dict[bool, object]:
    """The first generated sample workbook of each kind (with a Qnet,ar column, without)."""
    import random

    from fixtures.generate import plan as planner
    from fixtures.generate.lab_sheet import LAYOUT

    found: dict[bool, object] = {}
    for seed in range(1, 6):
        rng = random.Random(f"{seed}:0")
        prof = planner.make_profile(rng, 0, "mixed")
        planner.warm_up(prof, rng, "2025-01")
        for period in planner.periods("2025-01", 12):
            for doc in planner.plan_month(prof, rng, period).docs:
                if doc.layout == LAYOUT:
                    found.setdefault(doc.payload[0].net_column, doc)
            if len(found) == 2:
                return found
    raise AssertionError(f"generated sample workbooks: {sorted(found)}")


@pytest.mark.parametrize("net_column", [True, False], ids=["qnet", "from-qgr"])
def test_generated_sample_workbook_reads_as_its_truth(tmp_path, net_column):
    from truth_compare import diff

    from fixtures.generate import records
    from fixtures.generate.bundle import render_all

    doc = _generated_sheets()[net_column]
    (data,) = render_all([doc], [1], jobs=1)
    path = tmp_path / "samples.xlsx"
    path.write_bytes(data)
    result = extract_file(path, document_for(path))
    assert result.document.kind == DocumentKind.LAB_REPORT, result.document.error
    got = [records.strip_sources(r.model_dump(mode="json")) for r in result.records]
    assert diff(got, records.for_doc(doc)) == []
    (report,) = result.records
    assert report.result("carbon") is None and report.accreditation
    converted = any("converted from Qgr,ad" in n for n in result.notes)
    assert converted == (not net_column), result.notes
