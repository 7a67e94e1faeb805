"""Lab reports: header fields, accreditation marks and result rows with basis; several reports
in one PDF read as one record each."""

import random

import pytest
from extract_docs import PAGE_BREAK, lab_report, render
from truth_compare import diff

from extractors import extract_file
from extractors.read import document_for
from fixtures.generate import plan as planner
from fixtures.generate import records
from fixtures.generate.bundle import render_all
from fixtures.generate.lab_files import BATCH_LAYOUTS
from fixtures.generate.model import Doc
from verify.model.records import Basis, DocumentKind


def test_coal_test_report(tmp_path):
    path = render(lab_report(), tmp_path / "lab.pdf")
    result = extract_file(path, document_for(path))
    assert result.document.kind == DocumentKind.LAB_REPORT
    report = result.records[0]
    assert report.report_no == "HBJC-2025-0318"
    assert report.lab_name == "河北省煤炭质量检测中心"
    assert report.accreditation == ["CMA 191312340567", "CNAS L1234"]
    assert (report.sample_id, report.sample_description, report.stream) == ("S250302-01", "冶金焦炭", "coke")
    assert (str(report.sampling_date), str(report.report_date)) == ("2025-03-02", "2025-03-08")
    ncv = report.result("ncv", Basis.AS_RECEIVED)
    assert (ncv.value, ncv.unit, ncv.method) == (28.35, "MJ/kg", "GB/T 213-2008")
    assert ncv.where("value").text == "28.35" and ncv.where("value").page == 1
    carbon = report.result("carbon")
    assert (carbon.value, carbon.basis, carbon.unit) == (78.45, Basis.AS_RECEIVED, "%")
    assert report.result("moisture_total").basis == Basis.AS_RECEIVED
    assert report.result("ash").basis == Basis.AIR_DRIED
    assert len(report.results) == 6
    assert result.notes == []


def test_gas_composition_report(tmp_path):
    html = """<h2>Test Report</h2><p>Report No.: GAS-0301<br>Sample: Natural gas<br>
    Sampling date: 2025-03-05<br>Report date: 2025-03-07</p>
    <table><tr><th>Component</th><th>Unit</th><th>Result</th><th>Method</th></tr>
    <tr><td>Methane CH4</td><td>mol%</td><td>92.15</td><td>GB/T 13610-2020</td></tr>
    <tr><td>Ethane C2H6</td><td>mol%</td><td>4.10</td><td>GB/T 13610-2020</td></tr>
    <tr><td>Carbon dioxide CO2</td><td>mol%</td><td>0.85</td><td>GB/T 13610-2020</td></tr>
    <tr><td>Net calorific value</td><td>MJ/Nm3</td><td>35.10</td><td>GB/T 11062-2020</td></tr>
    </table>"""
    path = render(html, tmp_path / "gas.pdf")
    result = extract_file(path, document_for(path))
    report = result.records[0]
    assert (report.report_no, report.stream) == ("GAS-0301", "natural_gas")
    got = {(r.parameter, r.value, r.unit) for r in report.results}
    assert got == {("ch4", 92.15, "mol%"), ("c2h6", 4.1, "mol%"), ("co2", 0.85, "mol%"),
                   ("ncv", 35.1, "MJ/Nm3")}


def _reports(tmp_path, html: str):
    path = render(html, tmp_path / "labs.pdf")
    result = extract_file(path, document_for(path))
    assert result.document.kind == DocumentKind.LAB_REPORT
    return result


def test_month_of_reports_in_one_pdf_one_record_each_and_a_two_page_report_kept_whole(tmp_path):
    html = PAGE_BREAK.join([lab_report("HBJC-2025-0318", "S250302-01", "冶金焦炭", "28.35"),
                            lab_report("HBJC-2025-0319", "S250305-02", "洗精煤", "25.10", break_after=3),
                            lab_report("HBJC-2025-0320", "S250309-01", "烟煤", "22.40")])
    result = _reports(tmp_path, html)
    assert result.document.pages == 4 and result.notes == []
    got = [(r.report_no, r.sample_id, r.stream, r.source.page, len(r.results)) for r in result.records]
    assert got == [("HBJC-2025-0318", "S250302-01", "coke", 1, 6),
                   ("HBJC-2025-0319", "S250305-02", "washed_coal", 2, 6),
                   ("HBJC-2025-0320", "S250309-01", "bituminous_coal", 4, 6)]
    ncvs = [r.result("ncv", Basis.AS_RECEIVED) for r in result.records]
    assert [(n.value, n.where("value").page) for n in ncvs] == [(28.35, 1), (25.1, 3), (22.4, 4)]
    for report in result.records:
        assert report.lab_name == "河北省煤炭质量检测中心"
        assert report.accreditation == ["CMA 191312340567", "CNAS L1234"]
        assert str(report.report_date) == "2025-03-08"


def test_two_reports_on_one_page_split_at_the_second_title_block(tmp_path):
    html = lab_report("HBJC-2025-0318", "S250302-01", "冶金焦炭", "28.35") + \
        '<p style="margin-top:8mm">以下空白。　批准：周建国</p>' + \
        lab_report("HBJC-2025-0321", "S250311-04", "无烟煤", "24.05")
    result = _reports(tmp_path, html)
    assert result.document.pages == 1 and result.notes == []
    first, second = result.records
    assert (first.report_no, first.stream, first.result("ncv").value) == ("HBJC-2025-0318", "coke", 28.35)
    assert (second.report_no, second.stream, second.result("ncv").value) == ("HBJC-2025-0321", "anthracite", 24.05)
    assert len(first.results) == len(second.results) == 6
    assert second.lab_name == "河北省煤炭质量检测中心"  # the letterhead above its title goes with it
    assert second.accreditation == ["CMA 191312340567", "CNAS L1234"]
    assert second.where("lab_name").bbox[1] > first.result("ncv").where("value").bbox[1]


def test_running_header_and_repeated_title_do_not_split_one_report(tmp_path):
    header = '<h2 style="text-align:center">检测报告</h2>'
    html = lab_report(break_after=2).replace(
        PAGE_BREAK, PAGE_BREAK + header + "<p>报告编号：HBJC-2025-0318　第2页</p>", 1)
    html += PAGE_BREAK + header + "<p>以下空白。</p><p>批准：周建国　审核：孙梅</p>"
    # the kind is judged from the first page, so it names what the report measures
    html = html.replace("2025年03月08日</p>", "2025年03月08日<br>检测项目：工业分析、元素碳、发热量</p>")
    result = _reports(tmp_path, html)
    assert result.document.pages == 3
    (report,) = result.records
    assert (report.report_no, report.sample_id, len(report.results)) == ("HBJC-2025-0318", "S250302-01", 6)
    assert report.result("ncv").where("value").page == 2


@pytest.mark.parametrize("layout", BATCH_LAYOUTS)
def test_generated_month_of_reports_in_one_pdf_reads_as_its_truth(tmp_path, layout):
    rng = random.Random(5)
    prof = planner.make_profile(rng, 0, "mixed")
    planner.warm_up(prof, rng, "2025-03")
    month = planner.plan_month(prof, rng, "2025-03")
    reps = sorted((r for d in month.docs if d.kind == "lab_report" for r in d.payload),
                  key=lambda r: r.layout)
    doc = Doc("lab_report", layout, "en", reps, "2025-03")
    (data,) = render_all([doc], [3], jobs=1)
    (tmp_path / "labs.pdf").write_bytes(data)
    result = extract_file(tmp_path / "labs.pdf", document_for(tmp_path / "labs.pdf"))
    got = [records.strip_sources(r.model_dump(mode="json")) for r in result.records]
    assert diff(got, records.for_doc(doc)) == [] and result.notes == []


def test_report_whose_results_start_on_page_two_is_classified_by_its_first_pages(tmp_path):
    from extract_docs import render

    from extractors.classify import classify_pdf

    html = ('<div style="page-break-after:always;padding:20mm"><h1>检测报告</h1>'
            "<p>报告编号：MZ2025-0301</p><p>样品编号：S250301-01</p><p>委托单位：某钢铁有限公司</p>"
            '</div><div style="padding:20mm"><table><tr><th>项目</th><th>结果</th></tr>'
            "<tr><td>收到基低位发热量 Qnet,ar (MJ/kg)</td><td>28.41</td></tr>"
            "<tr><td>元素碳 Car (%)</td><td>83.52</td></tr></table></div>")
    pdf = render(html, tmp_path / "two_pages.pdf")
    verdict = classify_pdf(pdf)
    assert verdict.kind.value == "lab_report", verdict.reason


def _month_reports(seed: int = 5) -> list:
    rng = random.Random(seed)
    prof = planner.make_profile(rng, 0, "zh")
    planner.warm_up(prof, rng, "2025-03")
    month = planner.plan_month(prof, rng, "2025-03")
    return [r for d in month.docs if d.kind == "lab_report" for r in d.payload
            if r.stream != "natural_gas"]


@pytest.mark.parametrize("scanned", [False, True])
def test_bilingual_certificate_reads_the_value_after_both_labels(tmp_path, scanned):
    """'样品名称 Sample 冶金焦炭', '采样日期 Sampling date' wrapped over two lines with the date
    centred between them, '报告日期' over 'Report date': the English label is never the value."""
    rep = _month_reports()[0]
    rep.layout = "lab_cn_bilingual"
    doc = Doc("lab_report", "lab_cn_bilingual", "zh", [rep], "2025-03", scanned=scanned)
    (data,) = render_all([doc], [3], jobs=1)
    (tmp_path / "lab.pdf").write_bytes(data)
    result = extract_file(tmp_path / "lab.pdf", document_for(tmp_path / "lab.pdf"))
    assert result.document.kind == DocumentKind.LAB_REPORT
    got = [records.strip_sources(r.model_dump(mode="json")) for r in result.records]
    want = records.for_doc(doc)
    if scanned:  # OCR may misread one character of a description; the stream must still hold
        got[0]["sample_description"] = want[0]["sample_description"] \
            if got[0]["stream"] == want[0]["stream"] else got[0]["sample_description"]
    assert diff(got, want) == [] and result.notes == []
    report = result.records[0]
    assert report.where("sampling_date").page == 1
    assert report.sample_description not in ("Sample", "Samplingdate")
