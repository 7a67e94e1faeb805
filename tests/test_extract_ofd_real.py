"""Real OFD e-invoices (tests/realdocs/einvoices, sources and licences in tests/realdocs/
MANIFEST.tsv) read field by field against their expected values, and generated OFDs laid out as
the real ones are: labels in the template page, values in the page, custom tags pointing at them.

The three real files: a 2024 数电 增值税专用发票 (custom tags only), a 2020 Zhejiang 增值税电子
普通发票 (custom tags in a CustomTag.xml that breaks the namespace rules, and the 2019 eInvoice
XML attached) and a 2022 Zhejiang one (no tags, an XBRL invoice attached)."""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from decimal import Decimal as D
from pathlib import Path

import pytest

from extractors import extract_file
from extractors.explain import explain_file
from extractors.ofd.merge import Said, choose
from extractors.ofd.package import open_ofd
from extractors.ofd.pages import page_of
from extractors.read import document_for
from fixtures.generate import exports
from fixtures.generate.invoices import make_line
from fixtures.generate.model import Doc, Invoice, Party
from verify.model.records import DocumentStatus, Provenance

REAL = Path(__file__).parent / "realdocs" / "einvoices"
SPECIAL = REAL / "ofdrw_24112000000048542163.ofd"  # 2024 数电, CustomTag.xml
ZJ2020 = REAL / "ofdrw_033002000211_83089647.ofd"  # eInvoice XML + namespace-broken tags
ZJ2022 = REAL / "ofdrw_033002200211_99934328.ofd"  # XBRL attached, no tags
MM = 72 / 25.4


def read(path: Path, status: DocumentStatus = DocumentStatus.PARSED):
    result = extract_file(path, document_for(path))
    assert result.document.status == status, result.document.error
    return result


def expected(path: Path) -> dict:
    return json.loads(path.with_name(path.stem + ".expected.json").read_text("utf-8"))


def rate(text: str) -> float:
    return float(text.rstrip("%")) / 100


@pytest.mark.parametrize("path", [SPECIAL, ZJ2020, ZJ2022], ids=lambda p: p.stem)
def test_real_ofd_reads_every_field_as_expected(path):
    result = read(path)
    assert len(result.records) == 1
    inv, want = result.records[0], expected(path)
    assert inv.number == want["invoice_number"]
    assert inv.code == want.get("invoice_code")
    assert inv.date == dt.date.fromisoformat(want["issue_date"])
    assert inv.seller == want["seller_name"]
    assert inv.buyer == want["buyer_name"]
    assert (inv.seller_tax_id, inv.buyer_tax_id) == (want["seller_tax_id"], want["buyer_tax_id"])
    assert inv.where("seller_tax_id").bbox is not None  # shown where the page prints it
    assert inv.currency == "CNY"
    assert inv.total_amount == pytest.approx(float(want["total_amount_excl_tax"]), abs=0.001)
    assert inv.total_tax == pytest.approx(float(want["total_tax"]), abs=0.001)
    assert inv.total_with_tax == pytest.approx(float(want["total_incl_tax"]), abs=0.001)
    assert abs(inv.total_amount + inv.total_tax - inv.total_with_tax) < 0.005
    assert len(inv.lines) == len(want["lines"])
    for got, line in zip(inv.lines, want["lines"], strict=True):
        assert got.description == line["item"]
        assert got.quantity == pytest.approx(float(line["quantity"]))
        assert got.unit_price == pytest.approx(float(line["unit_price"]), rel=1e-12)
        assert got.amount == pytest.approx(float(line["amount"]), abs=0.001)
        assert got.tax_rate == pytest.approx(rate(line["tax_rate"]))
        assert got.tax == pytest.approx(float(line["tax"]), abs=0.001)
        assert got.spec == line.get("spec") and got.unit == line.get("unit")
    if "total_in_words" in want:
        assert inv.total_with_tax_words == want["total_in_words"]
    assert result.notes == []  # the XML, the tags and the page agree on every field


def test_special_invoice_values_stand_where_the_tags_point():
    """2024 数电: labels in Tpl_0, values in Page_0; each value at its TextObject's box."""
    inv = read(SPECIAL).records[0]
    number = inv.where("number")  # object 6922: Boundary 170 10.3 (mm), baseline 3.6414 below
    assert (number.page, number.cell, number.text) == (1, None, "24112000000048542163")
    assert number.bbox[0] == pytest.approx(170 * MM, abs=0.01)
    assert number.bbox[2] == pytest.approx((170 + 20 * 1.5875) * MM, abs=0.6)
    total = inv.where("total_with_tax")  # objects 6935 ('¥') and 6936, one Boundary
    assert total.text == "¥4449.00" and total.bbox[0] == pytest.approx(155.5164 * MM, abs=0.01)
    name = inv.lines[0].where("description")  # objects 6939 and 6940: the name wraps
    assert name.bbox[3] - name.bbox[1] > 1.8 * (inv.lines[0].where("amount").bbox[3]
                                                - inv.lines[0].where("amount").bbox[1])


def test_template_labels_and_page_values_stand_side_by_side():
    """The label of the template layer ends before the value of the page layer begins."""
    page = page_of(open_ofd(SPECIAL).pages[0])
    line = next(ln for ln in page.lines if "发票号码" in ln.text)
    label, value = line.words[-2], line.words[-1]
    assert (label.text, value.text) == ("发票号码：", "24112000000048542163")
    assert label.x1 <= value.x0
    assert not any(w.top > page.height for w in page.words)  # the off-page 开票人 object


def test_namespace_broken_custom_tags_are_read():
    """Doc_0/Tags/CustomTag.xml of the 2020 file opens with '<:eInvoice xmlns:="">' and uses
    an undeclared 'ofd:' prefix: well-formed XML 1.0, read without namespaces."""
    with zipfile.ZipFile(ZJ2020) as zf:
        head = zf.read("Doc_0/Tags/CustomTag.xml")[:80]
    assert head.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<:eInvoice xmlns:="">')
    ofd = open_ofd(ZJ2020)
    assert ofd.tags["InvoiceNo"] == [("1", "70")]
    assert ofd.tags["GoodsInfos/GoodsInfo/Amount"] == [("1", "94")]
    inv = read(ZJ2020).records[0]
    assert inv.where("number").bbox is not None  # stamped on the page, not only in the XML


def rewritten(path: Path, out: Path, name: str, change) -> Path:
    """A copy of a zip with one entry's bytes changed."""
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, change(data) if info.filename == name else data)
    return out


def test_namespace_broken_part_with_entities_stays_refused(tmp_path):
    def hostile(data: bytes) -> bytes:
        return data.replace(b"<:eInvoice", b'<!DOCTYPE x [<!ENTITY a "aaaa">]>\n<:eInvoice', 1)

    path = rewritten(ZJ2020, tmp_path / "hostile.ofd", "Doc_0/Tags/CustomTag.xml", hostile)
    result = read(path, DocumentStatus.UNREADABLE)
    assert "OFD entry Doc_0/Tags/CustomTag.xml declares entities" in result.document.error


def test_part_that_is_not_xml_stays_malformed(tmp_path):
    path = rewritten(ZJ2020, tmp_path / "broken.ofd", "Doc_0/Tags/CustomTag.xml",
                     lambda data: data.replace(b"</InvoiceNo>", b"", 1))
    result = read(path, DocumentStatus.UNREADABLE)
    assert result.document.error.startswith("malformed XML: OFD entry Doc_0/Tags/CustomTag.xml")


def test_xml_that_differs_from_the_page_is_noted_with_both_values(tmp_path):
    """The attached XML's value is kept, stamped with its element; the note names the field,
    what the XML states and what the tag points at on the page."""
    xml = "Doc_0/Attachs/original_invoice.xml"
    path = rewritten(ZJ2020, tmp_path / "changed.ofd", xml, lambda data: data.replace(
        b"<fp:TaxInclusiveTotalAmount>526.00<", b"<fp:TaxInclusiveTotalAmount>562.00<"))
    result = read(path)
    inv = result.records[0]
    assert inv.total_with_tax == 562.0
    where = inv.where("total_with_tax")
    assert (where.page, where.cell) == (None, f"{xml}!/eInvoice/TaxInclusiveTotalAmount")
    assert inv.where("total_tax").page == 1  # the fields that agree stay on the page
    assert len(result.notes) == 1
    assert re.fullmatch(r"total_with_tax: the XML states '562\.00', custom tag "
                        r"TaxInclusiveTotalAmount points at '¥526\.00' \(page 1 at \[[\d, ]+\]\)",
                        result.notes[0]), result.notes


def test_xbrl_value_the_page_does_not_print_is_noted():
    said = Said("*金属制品*A系列一字形螺丝批3.2x75MM", "*金属制品*A系列一字形螺丝批3.2x75MM",
                Provenance(file="f", sha256="s", cell="x.xml!/xbrl/Name"))
    notes: list[str] = []
    chosen = choose("description", "lines[1].description", said, None, None, "螺丝批3.2x7", notes)
    assert chosen is said
    assert notes == ["lines[1].description: the XML states '*金属制品*A系列一字形螺丝批3.2x75MM', "
                     "which the page does not print"]


def test_explain_on_an_ofd_speaks_of_pages_boxes_and_tags():
    view = explain_file(SPECIAL).records[0]
    assert "number <- custom tag InvoiceNo (object 6922, page 1)" in view.tags
    assert "lines[1].description <- custom tag Item (objects 6939, 6940, page 1)" in view.tags
    reasons = " ".join(m.reason for m in view.missing)
    assert "spreadsheet" not in reasons and "column headed" not in reasons
    unit = next(m for m in view.missing if m.field == "lines[1].unit")
    assert "seen on page 1" in unit.reason and "custom tag" in unit.reason


# --- generated OFDs laid out as the real ones ---------------------------------------------------


def coke_invoice() -> Invoice:
    """A coke invoice with a freight line: 2 lines at 13 % and 9 %."""
    seller = Party("山西晋中宏达焦化有限公司", "91140700MA0K8XQ122", "晋中市工业园区8号", "6222020200112233")
    buyer = Party("唐山鑫钢钢铁有限公司", "91130200MA07ABCD3X", "唐山市工业园区3号", "6222020200445566")
    lines = [make_line("coke", "*煤炭*冶金焦炭", "一级", "吨", D("1200.50"), D("2150.00"), D("0.13")),
             make_line(None, "*运输服务*公路货物运输服务", "焦炭运输", "吨", D("1200.50"), D("62.50"),
                       D("0.09"))]
    return Invoice("25132000000123456789", None, dt.date(2025, 3, 14), seller, buyer, lines)


def generated(tmp_path: Path, export: str = "ofd_bare") -> Path:
    doc = Doc("fuel_invoice", "cn_digital", "zh", [coke_invoice()], "2025-03", export=export)
    path = tmp_path / "invoice.ofd"
    path.write_bytes(exports.render(doc))
    return path


def test_generated_ofd_has_labels_in_the_template_and_values_in_the_page(tmp_path):
    ofd = open_ofd(generated(tmp_path))
    (template, tpl_root), (page, page_root) = ofd.pages[0].layers
    assert template.endswith("Tpls/Tpl_0/Content.xml") and page == ofd.pages[0].part
    text = lambda root: "".join(e.text or "" for e in root.iter() if e.tag.endswith("TextCode"))  # noqa: E731
    assert "发票号码：" in text(tpl_root) and "发票号码" not in text(page_root)
    assert "25132000000123456789" in text(page_root)
    assert {"InvoiceNo", "Item", "Amount", "TaxInclusiveTotalAmount"} <= set(ofd.tags)
    assert len(ofd.tags["Amount"]) == 2  # one object per goods line, flat as in the 2024 file
    assert len(ofd.tags["TaxInclusiveTotalAmount"]) == 2  # '¥' and the figure


def test_generated_ofd_is_read_from_its_tags_when_the_labels_are_gone(tmp_path):
    """Without the template's labels nothing can be read by label; the tags still say it all."""
    path = generated(tmp_path)
    no_labels = rewritten(path, tmp_path / "nolabels.ofd", "Doc_0/Tpls/Tpl_0/Content.xml",
                          lambda data: re.sub(rb"<ofd:TextObject .*?</ofd:TextObject>", b"",
                                              data, flags=re.S))
    result = read(no_labels)
    inv = result.records[0]
    assert inv.number == "25132000000123456789" and inv.date == dt.date(2025, 3, 14)
    assert inv.seller == "山西晋中宏达焦化有限公司" and inv.buyer == "唐山鑫钢钢铁有限公司"
    assert [ln.amount for ln in inv.lines] == [2581075.0, 75031.25]
    assert [ln.description for ln in inv.lines] == ["*煤炭*冶金焦炭", "*运输服务*公路货物运输服务"]
    assert inv.total_with_tax == 2998398.81
    assert inv.lines[1].where("amount").page == 1


# --- parts an issuer's tool writes in GBK ------------------------------------------------------

TAGS = '<?xml version="1.0" encoding="{enc}"?>\n<ofd:root xmlns:ofd="http://www.ofdspec.org/2016">' \
    '<ofd:Note>{text}</ofd:Note></ofd:root>'


@pytest.mark.parametrize("declared,codec", [("GBK", "gbk"), ("gb2312", "gbk"), ("UTF-8", "gbk"),
                                            ("UTF-8", "utf-8")],
                         ids=["gbk", "gb2312", "utf8-declared-gbk-bytes", "utf8"])
def test_gbk_parts_are_read(declared, codec):
    from extractors.xmlsafe import parse_xml

    root = parse_xml(TAGS.format(enc=declared, text="收款人:李蓉蓉").encode(codec), "a part")
    assert root[0].text == "收款人:李蓉蓉"


def test_gbk_part_declaring_entities_stays_refused():
    from extractors.xmlsafe import parse_xml
    from verify.model.errors import Reason, Unreadable

    data = ('<?xml version="1.0" encoding="GBK"?><!DOCTYPE a [<!ENTITY x "李">]><a>&x;中</a>'
            ).encode("gbk")
    with pytest.raises(Unreadable) as refused:
        parse_xml(data, "a part")
    assert refused.value.reason == Reason.HOSTILE_XML


def test_encoding_expat_cannot_read_is_malformed_not_a_crash():
    from extractors.xmlsafe import parse_xml
    from verify.model.errors import Reason, Unreadable

    with pytest.raises(Unreadable) as refused:
        parse_xml('<?xml version="1.0" encoding="Big5"?><a>中文</a>'.encode("big5"), "a part")
    assert refused.value.reason == Reason.MALFORMED_XML


def test_custom_data_that_differs_from_the_invoice_is_noted(tmp_path):
    """OFD.xml's DocInfo repeats key figures (合计税额 ...): a figure that differs is noted,
    the printed value kept."""
    path = rewritten(SPECIAL, tmp_path / "meta.ofd", "OFD.xml", lambda data: data.replace(
        'Name="合计税额">251.83<'.encode(), 'Name="合计税额">215.83<'.encode()))
    result = read(path)
    assert result.records[0].total_tax == 251.83
    assert len(result.notes) == 1
    assert re.fullmatch(r"total_tax: the document's custom data 合计税额 states '215\.83', the "
                        r"invoice read gives '¥251\.83' \(page 1 at \[[\d, ]+\]\)",
                        result.notes[0]), result.notes


def test_xml_value_printed_in_another_form_is_not_noted():
    """2022-09-01 in the XML is printed 2022年09月01日; 12345.6 is printed ¥12,345.60."""
    where = Provenance(file="f", sha256="s", cell="x.xml!/xbrl/DateOfIssue")
    notes: list[str] = []
    choose("date", "date", Said(dt.date(2022, 9, 1), "2022-09-01", where), None, None,
           "开票日期：2022年09月01日", notes)
    choose("total_amount", "total_amount", Said(12345.6, "12345.60", where), None, None,
           "合计12,345.60", notes)
    assert notes == []
