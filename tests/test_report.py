"""The verification report of a Hebei steel plant's March 2025 claim, read back as a verifier would.

The run below is built by hand with the numbers a verifier would have found: a duplicated coke
invoice and an NCV outside tolerance make the misstatement material, so the opinion is
"not verified". The PDF is read back with pdfplumber: the wording, the Chinese facility name
in the bundled Noto face, the totals, the rule ids, the evidence files and the hashes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pdfplumber
import pytest
from openpyxl import load_workbook

from verify.model.errors import Reason, reason_text
from verify.model.records import (
    Basis,
    Document,
    DocumentKind,
    DocumentStatus,
    Finding,
    FuelInvoice,
    InvoiceLine,
    LabReport,
    LabResult,
    ProductionRecord,
    Provenance,
    Severity,
    StockRecord,
)
from verify.model.result import (
    Compared,
    Facility,
    Materiality,
    Opinion,
    RunResult,
    StreamResult,
    to_findings_json,
)
from verify.report import render_html, render_pdf, write_outputs, write_workpapers
from verify.report.pdf import ReportFetcher

FACILITY_NAME = "河北某钢铁有限公司"
SHA_INV, SHA_INV2, SHA_LAB, SHA_PROD, SHA_BAD = (
    hashlib.sha256(name.encode()).hexdigest() for name in ("inv", "inv-copy", "lab", "prod", "bad")
)
INV = "invoices/2025-03/焦炭发票-0001.pdf"
INV2 = "invoices/2025-03/coke-invoice-0001-copy.pdf"
LAB = "lab/coke-2025-03.pdf"
PROD = "production/2025-03.xlsx"
BAD = "scans/truncated.pdf"


def prov(file: str, sha: str, page: int | None = 1, bbox=None, cell=None, text="") -> Provenance:
    return Provenance(file=file, sha256=sha, page=page, bbox=bbox, cell=cell, text=text)


def march_run(findings: int = 2, facility_name: str = FACILITY_NAME) -> RunResult:
    """The run of CN-HB-0001 for 2025-03; `findings` > 2 repeats observations to fill pages."""
    q_inv = prov(INV, SHA_INV, 1, (312.5, 401.2, 360.0, 412.8), text="1,200.000")
    q_dup = prov(INV2, SHA_INV2, 1, (312.5, 401.2, 360.0, 412.8), text="1,200.000")
    ncv = prov(LAB, SHA_LAB, 2, (400.0, 220.4, 440.1, 231.0), text="28.435")
    base = [
        Finding(
            rule="INV-DUPLICATE",
            severity=Severity.MISSTATEMENT,
            stream="coke",
            message="Invoice 25132000000012345678 appears twice; counted once.",
            impact_tco2=3787.15,
            claimed=13200.0,
            evidenced=12000.0,
            difference=1200.0,
            evidence=[q_inv, q_dup],
        ),
        Finding(
            rule="LAB-NCV-TOLERANCE",
            severity=Severity.NON_CONFORMITY,
            stream="coke",
            message="Claimed NCV 29.000 GJ/t differs from the lab value 28.435 GJ/t by 1.99 %.",
            impact_tco2=752.37,
            claimed=29.0,
            evidenced=28.435,
            difference=0.565,
            threshold="0.5 %",
            evidence=[ncv],
        ),
    ]
    extra = [
        Finding(
            rule="DOC-OBSERVATION",
            severity=Severity.OBSERVATION,
            stream="natural_gas",
            message=f"Observation {n}: meter reading {n} was transcribed by hand.",
            impact_tco2=0.0,
            evidence=[prov(PROD, SHA_PROD, None, cell=f"Daily!B{n + 6}")],
        )
        for n in range(max(0, findings - 2))
    ]
    return RunResult(
        run_id="7a0e1e39-6c3f-4a8e-9d6b-3f9a1c2b4d5e",
        facility=Facility(id="CN-HB-0001", name=facility_name),
        period="2025-03",
        method="cn-steel-2025",
        opinion=Opinion.NOT_VERIFIED,
        opinion_reason="The misstatement of 4,539.52 tCO2 (5.61 %) exceeds the 5 % threshold.",
        claimed_total_tco2=80912.34,
        verified_total_tco2=76372.82,
        crude_steel_t=52340.0,
        materiality=Materiality(
            threshold_pct=5.0, misstatement_tco2=4539.52, misstatement_pct=5.61, material=True
        ),
        streams=[
            StreamResult(
                name="coke",
                kind="fuel",
                label="焦炭",
                claimed_tco2=41812.34,
                verified_tco2=37272.82,
                activity=Compared(claimed=13200.0, evidenced=12000.0, unit="t"),
                ncv=Compared(claimed=29.0, evidenced=28.435, unit="GJ/t"),
                carbon_content=Compared(claimed=0.0295, evidenced=0.02979, unit="tC/GJ"),
                oxidation=1.0,
                basis="Purchased from 2 invoices (one duplicate dropped); "
                "NCV and CC from the lab report.",
                evidence=[q_inv, ncv],
            ),
            StreamResult(
                name="limestone",
                kind="process",
                label="石灰石",
                claimed_tco2=39100.0,
                verified_tco2=39100.0,
                activity=Compared(claimed=88863.64, evidenced=88863.64, unit="t"),
                ef=Compared(claimed=0.44, evidenced=0.44, unit="tCO2/t"),
                basis="Accepted as claimed (within 0.5 %).",
            ),
        ],
        findings=base + extra,
        documents=[
            Document(file=INV, sha256=SHA_INV, kind=DocumentKind.FUEL_INVOICE, pages=1),
            Document(file=INV2, sha256=SHA_INV2, kind=DocumentKind.FUEL_INVOICE, pages=1),
            Document(file=LAB, sha256=SHA_LAB, kind=DocumentKind.LAB_REPORT, pages=2),
            Document(file=PROD, sha256=SHA_PROD, kind=DocumentKind.PRODUCTION_RECORD),
            Document(
                file=BAD,
                sha256=SHA_BAD,
                status=DocumentStatus.UNREADABLE,
                error=reason_text(Reason.CORRUPT_PDF, "no %%EOF marker"),
            ),
        ],
        bundle="bundles/CN-HB-0001-2025-03.zip",
        started_at="2025-04-08T09:30:00+08:00",
        thresholds={"ad_tolerance_pct": 0.5, "lab_tolerance_pct": 0.5},
    )


def march_records() -> list:
    """The records behind the run: an invoice, a lab report, production and stock."""
    src = prov(INV, SHA_INV)
    qty = prov(INV, SHA_INV, 1, (312.5, 401.2, 360.0, 412.8), text="1,200.000")
    amount = prov(INV, SHA_INV, 1, (420.0, 401.2, 480.0, 412.8), text="2,760,000.00")
    invoice = FuelInvoice(
        source=src,
        number="25132000000012345678",
        date=dt.date(2025, 3, 12),
        seller="山西某焦化有限公司",
        lines=[
            InvoiceLine(
                source=src,
                description="*焦炭*冶金焦",
                stream="coke",
                unit="吨",
                quantity=1200.0,
                amount=2760000.0,
                sources={"quantity": qty, "amount": amount},
            )
        ],
    )
    lab_src = prov(LAB, SHA_LAB, 1)
    lab = LabReport(
        source=lab_src,
        report_no="HB-LAB-2025-0331",
        lab_name="河北省煤炭质量检测中心",
        stream="coke",
        sampling_date=dt.date(2025, 3, 15),
        results=[
            LabResult(
                source=lab_src,
                parameter="ncv",
                value=28.435,
                unit="GJ/t",
                basis=Basis.AS_RECEIVED,
                method="GB/T 213-2008",
                sources={"value": prov(LAB, SHA_LAB, 2, (400.0, 220.4, 440.1, 231.0))},
            )
        ],
    )
    prod_src = prov(PROD, SHA_PROD, None, cell="Monthly!C4")
    production = ProductionRecord(
        source=prod_src, period="2025-03", product="crude_steel", quantity=52340.0
    )
    stock = StockRecord(
        source=prov(PROD, SHA_PROD, None, cell="Stock!B3"),
        period="2025-03",
        stream="coke",
        opening=800.0,
        received=12000.0,
        consumed=12100.0,
        closing=700.0,
        sources={"closing": prov(PROD, SHA_PROD, None, cell="Stock!F3")},
    )
    return [invoice, lab, production, stock]


@pytest.fixture(scope="module")
def en_outputs(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("report-en")
    return write_outputs(march_run(), march_records(), out, lang="en")


def pdf_text(path: Path) -> tuple[str, list[str], set[str]]:
    """(all text, text per page, font names of the CJK characters)."""
    with pdfplumber.open(path) as pdf:
        pages = [p.extract_text() or "" for p in pdf.pages]
        cjk_fonts = {
            c["fontname"] for p in pdf.pages for c in p.chars if "\u4e00" <= c["text"] <= "\u9fff"
        }
    return "\n".join(pages), pages, cjk_fonts


def index_column(path: Path, header: str, until: str | None = None) -> str:
    """One column of the evidence index read from the page, its wrapped lines joined: from the
    header word `header` to the header word `until` (the page's edge when None)."""
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            if "Evidence index" not in (page.extract_text() or ""):
                continue
            words = page.extract_words()
            kind = next(w for w in words if w["text"] == "Kind")  # the header row
            row = [w for w in words if abs(w["top"] - kind["top"]) < 2]
            left = next(w for w in row if w["text"] == header)
            right = next(w for w in row if w["text"] == until)["x0"] if until else page.width
            table = next(t for t in page.find_tables() if t.bbox[1] <= kind["top"] <= t.bbox[3])
            column = page.crop((left["x0"] - 1, left["bottom"] + 1, right - 1, table.bbox[3]))
            cells = column.extract_words()
            lines = sorted({round(w["top"]) for w in cells})
            return "".join(w["text"] for top in lines for w in cells if round(w["top"]) == top)
    return ""


def index_hashes(path: Path) -> list[str]:
    """The SHA-256 column of the evidence index, read from its own column of the page."""
    text = index_column(path, "SHA-256")
    return [text[i : i + 64] for i in range(0, len(text), 64) if len(text[i : i + 64]) == 64]


def test_march_report_pdf_states_opinion_totals_and_evidence(en_outputs):
    text, pages, cjk_fonts = pdf_text(en_outputs["pdf"])
    assert "not verified" in pages[0]
    assert FACILITY_NAME in pages[0]
    assert cjk_fonts and all("NotoSansSCGB2312" in f.replace("-", "") for f in cjk_fonts)
    assert "80,912.34" in pages[0] and "76,372.82" in pages[0] and "4,539.52" in pages[0]
    assert "5.00 %" in pages[0]
    assert "INV-DUPLICATE" in text and "LAB-NCV-TOLERANCE" in text
    files = index_column(en_outputs["pdf"], "File", "Kind")  # file names wrap in their cells
    assert INV2 in files and INV in files
    assert index_hashes(en_outputs["pdf"]) == [SHA_INV, SHA_INV2, SHA_LAB, SHA_PROD, SHA_BAD]
    assert "Page 1 of " in pages[0] and f"Page {len(pages)} of {len(pages)}" in pages[-1]
    assert all("CN-HB-0001" in p and "2025-03" in p for p in pages)


def test_march_report_html_links_evidence_to_document_index(en_outputs):
    html = en_outputs["html"].read_text("utf-8")
    assert 'id="doc-1"' in html and 'href="#doc-2"' in html
    row = html.split('id="doc-2"', 1)[1].split("</tr>", 1)[0]  # the link's row in the index
    assert INV2 in row.replace("\u200b", "") and SHA_INV2 in row
    assert f'href="#doc-2" title="{INV2}"' in html
    assert "F-001" in html and "F-002" in html
    summary = html.split('id="summary"', 1)[1].split("</section>", 1)[0]
    assert "<td>Coke</td>" in summary and "<td>Limestone</td>" in summary  # names, not ids
    assert ">coke<" not in html and ">limestone<" not in html


def test_march_findings_json_follows_the_contract(en_outputs):
    data = json.loads(en_outputs["findings"].read_text("utf-8"))
    assert data == to_findings_json(march_run())
    assert set(data) == {
        "schema",
        "facility",
        "period",
        "method",
        "opinion",
        "claimed_total_tco2",
        "verified_total_tco2",
        "materiality",
        "streams",
        "findings",
        "documents",
    }
    assert set(data["materiality"]) == {
        "threshold_pct",
        "misstatement_tco2",
        "misstatement_pct",
        "material",
        "reported_tco2",
        "within_tolerance_tco2",
        "tieout_tco2",
        "omitted_tco2",
        "causes",
    }
    assert data["facility"] == {"id": "CN-HB-0001", "name": FACILITY_NAME}
    assert FACILITY_NAME in en_outputs["findings"].read_text("utf-8")  # not \u-escaped
    f = data["findings"][0]
    assert set(f) == {"id", "rule", "severity", "stream", "period", "message", "impact_tco2",
                      "evidence"}
    assert set(f["evidence"][0]) == {"file", "sha256", "page", "bbox", "cell", "text"}
    assert (f["id"], f["rule"], f["evidence"][1]["file"]) == ("F-001", "INV-DUPLICATE", INV2)
    assert set(data["documents"][0]) == {"file", "sha256", "kind", "pages", "status", "error"}
    assert data["documents"][4]["status"] == "unreadable"
    assert set(data["streams"][0]) == {
        "name",
        "kind",
        "period",
        "claimed_tco2",
        "verified_tco2",
        "activity",
        "ncv",
        "carbon_content",
    }


def test_march_records_json_groups_records_by_file(en_outputs):
    data = json.loads(en_outputs["records"].read_text("utf-8"))
    assert [g["file"] for g in data] == [INV, LAB, PROD]
    assert data[0]["records"][0]["lines"][0]["sources"]["quantity"]["bbox"] == [
        312.5,
        401.2,
        360.0,
        412.8,
    ]
    assert len(data[2]["records"]) == 2


def test_march_report_in_chinese(tmp_path):
    html = render_html(march_run(), march_records(), lang="zh")
    pdf = render_pdf(html, tmp_path / "report.pdf")
    text, pages, cjk_fonts = pdf_text(pdf)
    assert "核查不通过" in pages[0] and "核查报告" in pages[0] and FACILITY_NAME in pages[0]
    assert "第 1 页，共" in pages[0]
    flat = "".join(text.split())
    assert "焦炭" in flat and "山西某焦化" in flat  # the seller wraps in its cell
    assert len(cjk_fonts) >= 1


HOSTILE = (
    '<img src="http://attacker.example/pixel.png">'
    "<style>body{background:url(http://attacker.example/bg.png)}</style>"
    '<link rel="stylesheet" href="file:///etc/passwd">'
)


def test_hostile_facility_name_fetches_nothing(tmp_path):
    run = march_run(facility_name="某钢铁" + HOSTILE)
    fetcher = ReportFetcher()
    html = render_html(run, march_records())
    assert "<img" not in html.split("<body", 1)[1]
    assert "&lt;img src=&#34;http://attacker.example/pixel.png&#34;&gt;" in html
    render_pdf(html, tmp_path / "report.pdf", fetcher=fetcher)
    assert fetcher.refused == []
    assert fetcher.fetched and all(
        u.startswith("file://") and "report_templates" in u for u in fetcher.fetched
    )
    text, pages, _ = pdf_text(tmp_path / "report.pdf")
    assert "attacker.example" in pages[0]  # shown as text, not fetched


def test_fetcher_refuses_markup_that_bypassed_escaping(tmp_path):
    fetcher = ReportFetcher()
    html = (
        "<html><body><p>x</p>"
        + HOSTILE
        + '<div style="background:url(file:///etc/hostname)"></div>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        '<img src="../pyproject.toml"></body></html>'
    )
    render_pdf(html, tmp_path / "raw.pdf", fetcher=fetcher)
    assert "http://attacker.example/pixel.png" in fetcher.refused
    assert "http://attacker.example/bg.png" in fetcher.refused
    assert "file:///etc/passwd" in fetcher.refused
    assert "file:///etc/hostname" in fetcher.refused
    assert any(u.endswith("/pyproject.toml") for u in fetcher.refused)
    assert not any("attacker" in u or "/etc/" in u for u in fetcher.fetched)
    assert fetcher.allows("data:text/plain,ok")


def test_workpapers_of_a_run_without_records(tmp_path):
    path = write_workpapers(march_run(), [], tmp_path / "w.xlsx")
    wb = load_workbook(path)
    assert wb["Invoices"].max_row == 1 and wb["Invoices"]["A1"].value == "Invoice no."


def test_many_findings_repeat_the_table_header_on_every_page(tmp_path):
    html = render_html(march_run(findings=120), march_records())
    _, pages, _ = pdf_text(render_pdf(html, tmp_path / "long.pdf"))
    findings_pages = [p for p in pages if "F-0" in p and "DOC-OBSERVATION" in p]
    assert len(findings_pages) >= 3
    assert all("Impact tCO2" in p for p in findings_pages)


def test_a_value_read_by_ocr_shows_its_confidence_where_it_stands():
    from verify.report.formatting import Formatter
    from verify.report.settings import strings

    scanned = Provenance(file="scans/inv.pdf", sha256="0" * 64, page=1,
                         bbox=(10.0, 20.0, 60.0, 30.0), ocr=True, confidence=0.8712)
    assert Formatter(strings("en")).position(scanned) == "p. 1 [10.0, 20.0, 60.0, 30.0] (OCR 0.87)"
    assert "置信度 0.87" in Formatter(strings("zh")).position(scanned)
    assert "OCR" not in Formatter(strings("en")).position(scanned.model_copy(update={"ocr": False}))


def test_tables_stay_inside_the_page_margins(en_outputs):
    """Cell padding counts inside a column's width, so no table runs off the right margin."""
    margin = 14 / 25.4 * 72  # report.css @page side margin, 14 mm
    with pdfplumber.open(en_outputs["pdf"]) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            right = max([r["x1"] for r in page.rects] + [w["x1"] for w in page.extract_words()])
            assert right <= page.width - margin + 1, (number, right)
