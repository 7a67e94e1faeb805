"""数电 and provincial e-invoice PDFs as plants send them: a real 数电 PDF field by field, two
generated layouts that differ from it (a 焦炭 fuel invoice with a wrapped goods name and a
discount line; an older provincial 增值税电子普通发票 with an order number under （小写）), and
printed totals that contradict each other."""

import csv
import json
from pathlib import Path

import pytest
from docs_cn_digital import (
    provincial_e_invoice,
    render,
    shudian_coke_invoice,
    shudian_exempt_invoice,
)

from extractors import extract_file, invoice
from extractors.pdf.document import open_pdf
from extractors.provenance import Origin
from extractors.read import document_for
from verify.model.records import DocumentKind, DocumentStatus

REAL = Path(__file__).parent / "realdocs"
SHUDIAN = REAL / "einvoices" / "shudian_putong_25447000001115703415.pdf"


def read(path):
    result = extract_file(path, document_for(path))
    assert result.document.status == DocumentStatus.PARSED, result.document.error
    return result


def test_real_shudian_pdf_is_listed_in_the_manifest():
    with open(REAL / "MANIFEST.tsv", encoding="utf-8") as f:
        rows = {r["file"]: r for r in csv.DictReader(f, delimiter="\t")}
    row = rows["einvoices/shudian_putong_25447000001115703415.pdf"]
    assert row["license"].startswith("MIT") and row["source_repo"] == "MARSCHEN-CN/FapiaoGO"
    assert row["ground_truth"].endswith(SHUDIAN.with_suffix(".expected.json").name)
    assert SHUDIAN.with_suffix(".expected.json").exists()


@pytest.fixture(scope="module")
def real():
    return read(SHUDIAN)


def test_real_shudian_pdf_field_by_field(real):
    expected = json.loads(SHUDIAN.with_suffix(".expected.json").read_text(encoding="utf-8"))
    assert real.document.kind == DocumentKind.FUEL_INVOICE
    assert len(real.records) == 1
    inv = real.records[0]
    assert inv.number == expected["invoice_number"] == "25447000001115703415"
    assert str(inv.date) == expected["issue_date"]
    assert inv.seller == expected["seller_name"]
    assert inv.buyer == expected["buyer_name"]
    assert inv.seller_tax_id == expected["seller_tax_id"]
    assert inv.buyer_tax_id == expected["buyer_tax_id"]
    assert inv.where("buyer_tax_id").text == expected["buyer_tax_id"]
    assert inv.total_amount == float(expected["total_amount_excl_tax"])
    assert inv.total_tax == float(expected["total_tax"])
    assert inv.total_with_tax == float(expected["total_incl_tax"])
    assert inv.total_with_tax_words == "伍拾圆整"
    [line] = inv.lines
    want = expected["lines"][0]
    assert line.description == want["item"]
    assert line.quantity == float(want["quantity"])
    assert line.unit_price == float(want["unit_price"])
    assert line.amount == float(want["amount"])
    assert line.tax_rate == 0.06
    assert line.tax == float(want["tax"])
    assert real.notes == []


def test_real_shudian_values_keep_where_they_are_printed(real):
    inv = real.records[0]
    number = inv.where("number")
    assert number.page == 1 and number.text == "25447000001115703415"
    assert number.bbox[0] > 470  # right of '发票号码：', though it starts inside that label's box
    assert inv.where("seller").text == "广州灵感之茶餐饮管理有限公司"
    assert inv.where("total_with_tax").text == "50.00"


@pytest.fixture(scope="module")
def coke(tmp_path_factory):
    return read(render(shudian_coke_invoice(), tmp_path_factory.mktemp("cn") / "coke.pdf"))


def test_shudian_coke_invoice_header_and_parties(coke):
    [inv] = coke.records
    assert (inv.number, str(inv.date)) == ("26427000000145891963", "2025-03-14")
    assert (inv.buyer, inv.seller) == ("唐山钢铁集团有限责任公司", "河北冀东焦化有限公司")
    assert inv.where("number").text == "26427000000145891963"  # its label glued before it
    assert (inv.total_amount, inv.total_tax, inv.total_with_tax) == (2575720.0, 334843.6, 2910563.6)
    assert inv.total_with_tax_words == "贰佰玖拾壹万零伍佰陆拾叁圆陆角"
    assert coke.notes == []


def test_shudian_coke_invoice_wrapped_name_and_discount_line(coke):
    first, wrapped, discount = coke.records[0].lines
    assert (first.description, first.stream, first.quantity, first.unit_price) == \
        ("*焦炭*冶金焦炭", "coke", 1000.0, 2200.0)
    assert (first.amount, first.tax_rate, first.tax) == (2200000.0, 0.13, 286000.0)
    assert wrapped.description == "*焦炭*准一级冶金焦炭（块状）"
    assert (wrapped.quantity, wrapped.amount, wrapped.tax) == (200.0, 390000.0, 50700.0)
    assert (discount.quantity, discount.amount, discount.tax_rate, discount.tax) == \
        (None, -14280.0, 0.13, -1856.4)
    assert sum(ln.amount for ln in coke.records[0].lines) == pytest.approx(2575720.0)


def test_vertical_seller_title_against_a_long_buyer_name_is_not_read_into_it(tmp_path):
    buyer = "唐山钢铁集团有限责任公司第二炼铁厂燃料分公司"
    # the seller's vertical title starts 1 pt after the buyer name ends: one word in the text
    seller_x = 32 + 27 - 2.5 + 9 * len(buyer) + 1.0
    [inv] = read(render(shudian_coke_invoice(buyer=buyer, seller_x=seller_x),
                        tmp_path / "glued.pdf")).records
    assert (inv.buyer, inv.seller) == (buyer, "河北冀东焦化有限公司")


def test_number_and_date_found_by_type_when_their_labels_are_not_known(tmp_path):
    """Read by the invoice reader itself (without its labels the page is not classified)."""
    path = render(shudian_coke_invoice(number_label="号码：", date_label="日期："), tmp_path / "n.pdf")
    [inv], _ = invoice.parse(open_pdf(path), Origin("n.pdf", "0"))
    assert (inv.number, str(inv.date)) == ("26427000000145891963", "2025-03-14")


@pytest.fixture(scope="module")
def provincial(tmp_path_factory):
    return read(render(provincial_e_invoice(), tmp_path_factory.mktemp("cn") / "prov.pdf"))


def test_provincial_e_invoice_code_number_date_parties(provincial):
    [inv] = provincial.records
    assert (inv.code, inv.number, str(inv.date)) == ("044001800111", "12345678", "2019-05-20")
    assert inv.buyer == "广东韶钢松山股份有限公司"
    assert inv.seller == "中国石化销售股份有限公司广东韶关石油分公司"
    [line] = inv.lines
    assert (line.description, line.stream, line.unit, line.quantity) == ("*燃料*柴油", "diesel", "升", 500.0)
    # 500 x 6.9027 = 3451.35: within the 4-place price's rounding of 3451.33
    assert (line.unit_price, line.amount, line.tax_rate, line.tax) == (6.9027, 3451.33, 0.13, 448.67)


def test_order_number_under_the_figures_is_not_the_total(provincial):
    inv = provincial.records[0]
    assert (inv.total_amount, inv.total_tax, inv.total_with_tax) == (3451.33, 448.67, 3900.0)
    assert inv.where("total_with_tax").text == "¥3900.00"
    assert inv.total_with_tax_words == "叁仟玖佰圆整"
    assert provincial.notes == []


def test_totals_that_contradict_each_other_are_a_note_naming_field_and_candidates(tmp_path):
    # the figure says 2,920,563.60; 金额 + 税额 and the capitals both say 2,910,563.60
    result = read(render(shudian_coke_invoice(total="2,920,563.60"), tmp_path / "bad.pdf"))
    [inv] = result.records
    assert inv.total_with_tax == 2920563.6  # the printed figure is kept, not corrected
    notes = " | ".join(result.notes)
    assert "价税合计 (total_with_tax): 金额 2575720.00 + 税额 334843.60 = 2910563.60, " \
        "but the total reads 2920563.60" in notes
    assert "candidates: 2920563.60 (p1" in notes and "¥2,920,563.60" in notes
    assert "capitals state 2910563.60, figures state 2920563.60" in notes


def test_total_tax_that_contradicts_the_lines_is_a_note(tmp_path):
    result = read(render(shudian_coke_invoice(total_tax="334,483.60", total="2,910,203.60",
                                              capitals="贰佰玖拾壹万零贰佰零叁圆陆角"),
                         tmp_path / "tax.pdf"))
    [inv] = result.records
    assert inv.total_tax == 334483.6
    assert any(n.startswith("税额合计 (total_tax): the lines' tax sums to 334843.60, but the total "
                            "tax reads 334483.60; candidates:") for n in result.notes)


def test_exempt_line_with_stars_for_tax_is_left_out_of_the_tax_sum(tmp_path):
    result = read(render(shudian_exempt_invoice(), tmp_path / "exempt.pdf"))
    [inv] = result.records
    assert (inv.number, str(inv.date)) == ("25132000000067001234", "2025-06-30")
    assert (inv.buyer, inv.seller) == ("河北钢铁股份有限公司唐山分公司", "唐山市丰润区粮油农产品合作社")
    exempt, taxed = inv.lines
    assert (exempt.amount, exempt.tax_rate, exempt.tax) == (42000.0, None, None)
    assert exempt.where("tax").text == "***"
    assert (taxed.amount, taxed.tax_rate, taxed.tax) == (1886.79, 0.06, 113.21)
    assert (inv.total_amount, inv.total_tax, inv.total_with_tax) == (43886.79, 113.21, 44000.0)
    assert result.notes == []


def test_wrapped_goods_name_straddling_its_figures_is_one_line(tmp_path):
    """The figures centred between the two lines of a wrapped `*类别*名称`, as 数电 prints them."""
    result = read(render(shudian_coke_invoice(centred=True), tmp_path / "centred.pdf"))
    lines = result.records[0].lines
    assert [ln.description for ln in lines] == \
        ["*焦炭*冶金焦炭", "*焦炭*准一级冶金焦炭（块状）", "*焦炭*冶金焦炭"]
    assert (lines[1].spec, lines[1].quantity, lines[1].amount) == ("25-40mm", 200.0, 390000.0)
    assert result.notes == []


def test_vertical_title_glued_to_the_name_label_is_taken_off_it(tmp_path):
    """'销' of 销售方信息 level with and touching '名称：' reads as one word '销名称：'."""
    path = render(shudian_coke_invoice(title_gap=0.5, title_top=88), tmp_path / "glued_label.pdf")
    assert any(w.text == "销名称：" for w in open_pdf(path).pages[0].words)
    [inv] = read(path).records
    assert (inv.buyer, inv.seller) == ("唐山钢铁集团有限责任公司", "河北冀东焦化有限公司")


def test_cipher_area_beside_the_buyer_name_is_not_read_into_it(tmp_path):
    """The 密码区's vertical title touches the end of the buyer's name (one word '…公司密') and its
    cipher text follows within a word's gap: the name stops where the 密码区 block starts."""
    path = render(provincial_e_invoice(cipher_x=166.5), tmp_path / "cipher.pdf")
    assert any(w.text.endswith("有限公司密") for w in open_pdf(path).pages[0].words)
    [inv] = read(path).records
    assert inv.buyer == "广东韶钢松山股份有限公司"
    assert inv.where("buyer").text == "广东韶钢松山股份有限公司"
