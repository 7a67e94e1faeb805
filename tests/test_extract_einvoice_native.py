"""The 数电 e-invoice in its native exports, read against the generator's truth: the national
XML (values stamped with their element), the OFD carrying that XML, the OFD without it (read by
position, as a PDF page), and the hostile or broken files that must become unreadable."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal as D
from pathlib import Path

import pytest
from truth_compare import compare_bundle, diff

from extractors import extract_file
from extractors.classify import classify
from extractors.ofd.text import numbers
from extractors.read import document_for
from extractors.sniff import file_format
from fixtures.generate import exports, records
from fixtures.generate.invoices import make_line
from fixtures.generate.model import Doc, Invoice, Party
from fixtures.generate.run import generate
from verify.model.records import DocumentKind, DocumentStatus

NUMBER = "25132000000123456789"
BASIC = "/EInvoice/EInvoiceData/BasicInformation"


def coke_invoice() -> Invoice:
    """A coke invoice with a freight line: 2 lines at 13 % and 9 %."""
    seller = Party("山西晋中宏达焦化有限公司", "91140700MA0K8XQ122", "晋中市工业园区8号", "6222020200112233")
    buyer = Party("唐山鑫钢钢铁有限公司", "91130200MA07ABCD3X", "唐山市工业园区3号", "6222020200445566")
    lines = [make_line("coke", "*煤炭*冶金焦炭", "一级", "吨", D("1200.50"), D("2150.00"), D("0.13")),
             make_line(None, "*运输服务*公路货物运输服务", "焦炭运输", "吨", D("1200.50"), D("62.50"),
                       D("0.09"))]
    return Invoice(NUMBER, None, dt.date(2025, 3, 14), seller, buyer, lines)


def exported(tmp_path: Path, export: str, inv: Invoice | None = None) -> tuple[Path, Doc]:
    """The invoice written in one native format, and its Doc (for the truth's records)."""
    doc = Doc("fuel_invoice", "cn_digital", "zh", [inv or coke_invoice()], "2025-03", export=export)
    path = tmp_path / f"invoice.{exports.extension(doc)}"
    path.write_bytes(exports.render(doc))
    return path, doc


def read(path: Path, status: DocumentStatus = DocumentStatus.PARSED):
    result = extract_file(path, document_for(path))
    assert result.document.status == status, result.document.error
    return result


def dumped(result) -> list[dict]:
    return [records.strip_sources(r.model_dump(mode="json")) for r in result.records]


def rewritten(path: Path, name: str, change) -> Path:
    """A copy of a zip with one entry's bytes changed."""
    out = path.with_name("changed.ofd")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, change(data) if info.filename == name else data)
    return out


@pytest.mark.parametrize("export", ["xml", "ofd", "ofd_bare"])
def test_each_native_format_reads_as_the_truth_says(tmp_path, export):
    path, doc = exported(tmp_path, export)
    result = read(path)
    assert result.document.kind == DocumentKind.FUEL_INVOICE
    assert result.document.pages == (None if export == "xml" else 1)
    assert diff(dumped(result), records.for_doc(doc), "records") == []
    assert result.notes == []
    inv = result.records[0]
    assert (inv.number, inv.date, inv.buyer) == (NUMBER, dt.date(2025, 3, 14), "唐山鑫钢钢铁有限公司")
    assert (inv.total_amount, inv.total_tax, inv.total_with_tax) == (2656106.25, 342292.56, 2998398.81)
    assert inv.total_with_tax_words == "贰佰玖拾玖万捌仟叁佰玖拾捌圆捌角壹分"
    assert [ln.stream for ln in inv.lines] == ["coke", None]
    assert [ln.tax_rate for ln in inv.lines] == [0.13, 0.09]


def test_xml_values_are_stamped_with_their_element(tmp_path):
    inv = read(exported(tmp_path, "xml")[0]).records[0]
    total_tax = inv.where("total_tax")
    assert (total_tax.cell, total_tax.text) == (f"{BASIC}/TotalTaxAm", "342292.56")
    assert total_tax.page is None and total_tax.bbox is None
    assert inv.where("number").cell == "/EInvoice/TaxSupervisionInfo/InvoiceNumber"
    quantity = inv.lines[1].where("quantity")
    assert (quantity.cell, quantity.text) == (
        "/EInvoice/EInvoiceData/IssuItemInformation[2]/Quantity", "1200.50")


def test_ofd_with_the_xml_attached_reads_the_attachment(tmp_path):
    """The XML's value, stamped where the page prints it (the custom tag points there)."""
    path, _ = exported(tmp_path, "ofd")
    result = read(path)
    assert "attached" in classify(path).reason
    assert result.records[0].total_with_tax == 2998398.81
    where = result.records[0].where("total_with_tax")
    assert (where.page, where.cell, where.text) == (1, None, "¥2998398.81")
    assert result.notes == []


def test_ofd_without_attachment_is_read_by_position(tmp_path):
    result = read(exported(tmp_path, "ofd_bare")[0])
    inv = result.records[0]
    number = inv.where("number")
    assert (number.page, number.cell, number.text) == (1, None, NUMBER)
    assert number.bbox[0] == pytest.approx((148 + 14 + 0.5) * 72 / 25.4, abs=0.01)  # mm -> pt
    line = inv.lines[0]
    assert line.where("quantity").bbox[0] > line.where("unit").bbox[2]
    assert line.where("amount").text == "2581075.00"
    assert max(inv.where(f).bbox[2] for f in ("total_tax", "total_with_tax")) < 210 * 72 / 25.4


def test_ofd_line_that_does_not_add_up_is_read_as_printed(tmp_path):
    """The PDF readers' last resort (camelot) needs a PDF; an OFD page keeps what it printed."""
    inv = coke_invoice()
    inv.lines[0].amount += D("100000.00")
    result = read(exported(tmp_path, "ofd_bare", inv)[0])
    assert result.records[0].lines[0].amount == 2681075.0
    assert result.notes == ["goods lines (word columns): line 1: "
                            "quantity x unit price 2581075.00 != amount 2681075.00"]


def test_custom_tag_pointing_at_another_object_is_noted(tmp_path):
    path, _ = exported(tmp_path, "ofd_bare")

    def swap(data: bytes) -> bytes:  # InvoiceNo's tag now points at the date's object
        date_id = re.search(rb"<ofd:IssueDate><ofd:ObjectRef PageRef=\"2\">(\d+)<", data)[1]
        return re.sub(rb"(<ofd:InvoiceNo><ofd:ObjectRef PageRef=\"2\">)\d+", rb"\g<1>" + date_id,
                      data)

    result = read(rewritten(path, "Doc_0/Tags/CustomTag.xml", swap))
    assert result.records[0].number == NUMBER
    assert len(result.notes) == 1
    assert re.fullmatch(rf"number: custom tag InvoiceNo points at '2025年03月14日' \(page 1 at "
                        rf"\[[\d, ]+\]\), which is not an invoice number; '{NUMBER}' read "
                        rf"\(page 1 at \[[\d, ]+\]\)", result.notes[0]), result.notes


def test_namespaced_xml_missing_elements_are_named_in_the_notes(tmp_path):
    path, _ = exported(tmp_path, "xml")
    text = path.read_text("utf-8").replace("<EInvoice>", '<EInvoice xmlns="urn:example:einvoice">')
    text = re.sub(r"\s*<BuyerName>.*?</BuyerName>", "", text)
    text = re.sub(r"\s*<SpecMod>一级</SpecMod>", "", text)
    path.write_text(text, "utf-8")
    result = read(path)
    inv = result.records[0]
    assert inv.buyer is None and inv.seller == "山西晋中宏达焦化有限公司"
    assert inv.lines[0].spec is None and inv.lines[1].spec == "焦炭运输"
    assert "buyer: not in the XML (EInvoiceData/BuyerInformation/BuyerName)" in result.notes
    assert "goods line 1: not in the XML: SpecMod" in result.notes


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE EInvoice [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<EInvoice><Header><EIid>&d;</EIid></Header></EInvoice>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE EInvoice [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<EInvoice><TaxSupervisionInfo><InvoiceNumber>&secret;</InvoiceNumber></TaxSupervisionInfo></EInvoice>"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["bomb", "external"])
def test_hostile_xml_is_unreadable_with_the_reason(tmp_path, data):
    path = tmp_path / "hostile.xml"
    path.write_bytes(data)
    result = read(path, DocumentStatus.UNREADABLE)
    assert result.document.error.startswith("hostile XML refused: the XML file declares entities")
    assert result.records == []


def test_hostile_xml_attached_to_an_ofd_is_refused(tmp_path):
    path, _ = exported(tmp_path, "ofd")
    result = read(rewritten(path, f"Doc_0/Attachs/{NUMBER}.xml", lambda _: EXTERNAL_ENTITY),
                  DocumentStatus.UNREADABLE)
    assert f"OFD entry Doc_0/Attachs/{NUMBER}.xml declares entities" in result.document.error


def test_truncated_ofd_is_unreadable(tmp_path):
    path, _ = exported(tmp_path, "ofd")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert file_format(path) == "ofd"  # the first entry still names OFD.xml
    result = read(path, DocumentStatus.UNREADABLE)
    assert result.document.error.startswith("truncated or corrupt OFD package: BadZipFile")


def test_ofd_entry_that_inflates_like_a_bomb_is_refused(tmp_path):
    path, _ = exported(tmp_path, "ofd_bare")
    bomb = rewritten(path, "Doc_0/Pages/Page_0/Content.xml",
                     lambda data: data + b" " * 30_000_000)
    result = read(bomb, DocumentStatus.UNREADABLE)
    assert "Doc_0/Pages/Page_0/Content.xml: zip bomb suspected" in result.document.error


def test_unrelated_xml_is_unclassified(tmp_path):
    path = tmp_path / "pom.xml"
    path.write_bytes(b'<?xml version="1.0"?>\n<project><name>x, y</name></project>\n')
    result = read(path, DocumentStatus.UNCLASSIFIED)
    assert result.document.error == "XML that is not a 数电 e-invoice (root <project>)"


def test_formats_are_sniffed_by_content(tmp_path):
    xml, _ = exported(tmp_path, "xml")
    ofd, _ = exported(tmp_path, "ofd_bare")
    html = tmp_path / "page.xml"
    html.write_bytes(b"<!DOCTYPE html><html><body>a, b</body></html>")
    no_declaration = tmp_path / "bare"
    no_declaration.write_bytes(b"\xef\xbb\xbf  <EInvoice><Header/></EInvoice>")
    assert [file_format(p) for p in (xml, ofd, html, no_declaration)] == ["xml", "ofd", "csv", "xml"]
    assert classify(ofd).kind == DocumentKind.FUEL_INVOICE


def test_delta_shorthand_expands():
    assert numbers("g 3 2.5 1.4 g 2 0") == [2.5, 2.5, 2.5, 1.4, 0.0, 0.0]


def test_ofd_bytes_are_the_same_for_the_same_invoice(tmp_path):
    a = exports.render(Doc("fuel_invoice", "cn_digital", "zh", [coke_invoice()], "", export="ofd"))
    b = exports.render(Doc("fuel_invoice", "cn_digital", "zh", [coke_invoice()], "", export="ofd"))
    assert a == b
    with zipfile.ZipFile(io.BytesIO(a)) as zf:
        assert zf.namelist()[0] == "OFD.xml"
        assert {i.date_time for i in zf.infolist()} == {(2025, 3, 14, 0, 0, 0)}


@pytest.mark.slow
def test_generated_bundle_with_native_exports_matches_truth(tmp_path):
    (truth,) = generate(tmp_path, 24, 1, 1, [], "zh")
    exported_files = {d["file"]: d["export"] for d in truth["documents"] if d.get("export")}
    assert exported_files, "no cn_digital invoice was exported as XML or OFD"
    report = compare_bundle(next(tmp_path.rglob("truth.json")))
    for entry in report["documents"]:
        if entry["file"] in exported_files:
            assert (entry["kind"], entry["status"], entry["diffs"]) == ("fuel_invoice", "parsed", []), \
                (exported_files[entry["file"]], entry)
    assert report["wrong"] <= 0.01 * report["fields"]
