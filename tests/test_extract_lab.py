"""A coal test report: header fields, accreditation marks and result rows with basis."""

from extract_docs import lab_report, render

from extractors import extract_file
from extractors.read import document_for
from verify.records import Basis, DocumentKind


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
