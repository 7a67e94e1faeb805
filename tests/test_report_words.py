"""The report's words for what readers and rules write in code: a reader's reason, XPath
positions, many places in one file, figures side by side, units and route ids inside messages,
file names that wrap. Pure functions over the shipped strings; no rendering."""

from __future__ import annotations

from test_report import march_run

from verify.model.errors import Reason, reason_text
from verify.model.records import Provenance
from verify.report.findings import finding_text
from verify.report.formatting import Formatter
from verify.report.html import breakable
from verify.report.settings import strings

EN, ZH = Formatter(strings("en")), Formatter(strings("zh"))


def test_a_readers_reason_is_translated_and_its_detail_kept_in_english():
    error = reason_text(Reason.CORRUPT_PDF, "Failed to load document (PDFium: Data format error)")
    assert EN.reason(error) == error
    assert ZH.reason(error) == "PDF 文件截断或损坏"
    assert ZH.reason("something no reader says") == strings("zh")["doc_reason"]["other"]
    assert ZH.reason(None) == ""


def test_an_xpath_is_named_and_many_places_are_counted():
    xml = [Provenance(file="e.xml", sha256="0" * 64,
                      cell=f"/EInvoice/EInvoiceData/IssuItemInformation[{n}]/Quantity")
           for n in range(1, 28)]
    assert EN.places(xml) == [("e.xml", ["e-invoice data"])]
    sheet = [Provenance(file="s.xlsx", sha256="0" * 64, cell=f"燃料!E{n}") for n in range(2, 9)]
    [(_, places)] = EN.places(sheet)
    assert places == ["sheet 燃料, cell E2", "sheet 燃料, cell E3", "sheet 燃料, cell E4",
                      "4 more places"]


def test_figures_side_by_side_share_their_decimals():
    assert EN.compared(660.2482, 20.3122, 639.936) == ["660.2482", "20.3122", "639.9360"]
    assert EN.compared(13200.0, 12000.0, 1200.0) == ["13,200", "12,000", "1,200"]
    assert EN.compared(29.0, 28.435, None) == ["29.000", "28.435", "—"]


def test_messages_lose_their_document_list_and_speak_units_and_routes():
    run = march_run()
    en = finding_text("Coke 2025-03: 660.248 10^4 Nm3 is close to the 立方米 / 10^4 Nm3 factor, "
                      "outside the bf-bof range; effect 1.00 tCO2. Documents: a.xml "
                      "/EInvoice/EInvoiceData/IssuItemInformation[1]/Quantity.", run, "en", str)
    assert en == ("Coke 2025-03: 660.248 10^4 Nm³ is close to the m³ / 10^4 Nm³ factor, outside "
                  "the blast furnace - basic oxygen furnace range; effect 1.00 tCO2.")
    zh = finding_text("焦炭 2025-03：超出 bf-bof 工艺合理范围，影响 1.00 tCO2。文件：a.pdf p. 1。",
                      run, "zh", str)
    assert zh == "焦炭 2025-03：超出 高炉-转炉长流程 工艺合理范围，影响 1.00 tCO2。"


def test_file_names_wrap_after_separators_only():
    assert str(breakable("docs/ca2e8572-7974-188e.xlsx")) == (
        "docs/\u200bca2e8572-\u200b7974-\u200b188e.\u200bxlsx")
    assert "<script>" not in str(breakable("<script>.pdf"))  # still escaped


def test_a_factor_names_its_guideline_and_its_table_entry():
    from verify.report.findings import factor_rows

    ncv = factor_rows("cn-steel-2025")[("coke", "ncv")]
    assert ncv.document.startswith("MEE 2025") and "annex of default values" in ncv.document
    assert ncv.item == "焦炭 低位发热量" and ncv.status == "3p"
    assert ncv.document + ": " + ncv.item in ncv.source
