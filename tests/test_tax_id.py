"""Party tax identifiers: the unified social credit code's check character (GB 32100-2015)
chooses between candidates; other shapes are taken only beside their label."""

import json
from pathlib import Path

import pytest

from extractors.tax_id import kind_of, tax_id, uscc_valid

REAL = Path(__file__).parent / "realdocs" / "einvoices"


def _real_codes() -> list[str]:
    codes = []
    for path in sorted(REAL.glob("*.expected.json")):
        want = json.loads(path.read_text("utf-8"))
        codes += [want[k] for k in ("seller_tax_id", "buyer_tax_id") if want.get(k)]
    return codes


def test_every_real_code_passes_its_check_character():
    codes = _real_codes()
    assert len(codes) == 8
    assert all(uscc_valid(c) for c in codes)


@pytest.mark.parametrize("code", _real_codes())
def test_one_changed_character_fails_the_check(code):
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for i in (3, 10, 17):
        other = alphabet[(alphabet.index(code[i]) + 1) % len(alphabet)]
        assert not uscc_valid(code[:i] + other + code[i + 1:])


@pytest.mark.parametrize("printed, read", [
    ("91440101MA5AL52Y44", "91440101MA5AL52Y44"),
    ("纳税人识别号：91440101MA5AL52Y44", "91440101MA5AL52Y44"),
    ("DE 123 456 789", "DE123456789"),
    ("NL123456789B01", "NL123456789B01"),
    ("FRAB123456789", "FRAB123456789"),
    ("123-456-78-90", "1234567890"),  # a Polish NIP as printed
    ("330106123456789", "330106123456789"),  # a 15-character 纳税人识别号 of before 2015
])
def test_identifiers_are_read_in_their_compact_form(printed, read):
    assert tax_id(printed) == read


@pytest.mark.parametrize("printed", [
    "91440101MA5AL52Y45",  # check character wrong
    "6222021234567890123",  # a bank account
    "0311-88776655",  # a phone number
    "DE12345678",  # a German VAT number one digit short
    "ABCDEFGHJKLMNPQ",  # letters only
])
def test_what_is_not_an_identifier_is_not_taken(printed):
    assert tax_id(printed) is None


def test_kinds():
    assert kind_of("91440101MA5AL52Y44") == "uscc"
    assert kind_of("330106123456789") == "legacy_cn"
    assert kind_of("ATU12345678") == "vat"


# --- on the page ------------------------------------------------------------------------------

SELLER_CODE, BUYER_CODE = "91440101MA5AL52Y44", "91440106068698695J"  # real codes (realdocs)


def _read(tmp_path, body: str):
    from extract_docs import render

    from extractors.read import document_for
    from extractors.worker import extract_file

    pdf = render(body, tmp_path / "invoice.pdf")
    result = extract_file(pdf, document_for(pdf))
    [invoice] = result.records
    return invoice, result.notes


def _western(seller_line: str, buyer_line: str) -> str:
    return f"""
    <div style="width:150mm">Hebei Xuyang Coking Co., Ltd.<br>{seller_line}</div>
    <h2>TAX INVOICE</h2>
    <p>Invoice Number: INV-2025-03314<br>Date of Issue: 08 Mar 2025<br>
    Bill To: Handan Huaye Iron &amp; Steel Co., Ltd.<br>{buyer_line}</p>
    <table><tr><th>Description</th><th>Quantity</th><th>Unit price</th><th>Amount</th>
    <th>VAT rate</th><th>VAT</th></tr>
    <tr><td>Metallurgical coke</td><td>100.00</td><td>2,000.00</td><td>200,000.00</td>
    <td>13%</td><td>26,000.00</td></tr></table>
    <p>Net total: 200,000.00<br>Total tax: 26,000.00<br>Total due: 226,000.00</p>"""


def test_a_wrapped_seller_id_and_a_buyer_qualified_label(tmp_path):
    inv, _ = _read(tmp_path, _western(f"No. 61 Industrial Park, Maanshan · Tax ID<br>{SELLER_CODE}",
                                      f"Buyer Tax ID: {BUYER_CODE}"))
    assert (inv.seller_tax_id, inv.buyer_tax_id) == (SELLER_CODE, BUYER_CODE)
    assert inv.where("seller_tax_id").text == SELLER_CODE  # shown where it is printed


def test_a_lone_vat_number_outside_the_buyer_block_is_the_sellers(tmp_path):
    inv, _ = _read(tmp_path, _western("Industriestr. 5, 45127 Essen · USt-IdNr.: DE 123 456 789",
                                      ""))
    assert (inv.seller_tax_id, inv.buyer_tax_id) == ("DE123456789", None)


def test_a_code_whose_check_fails_is_noted_not_taken(tmp_path):
    bad = SELLER_CODE[:-1] + "5"
    inv, notes = _read(tmp_path, f"""
    <h2>电子发票（增值税专用发票）</h2><p>发票号码：25447000001115703415<br>开票日期：2025年09月23日</p>
    <table><tr><td>购买方 名称：广州华栈天城科技有限公司<br>纳税人识别号：{BUYER_CODE}</td>
    <td>销售方 名称：广州灵感之茶餐饮管理有限公司<br>纳税人识别号：{bad}</td></tr></table>
    <table><tr><th>项目名称</th><th>数量</th><th>单价</th><th>金额</th><th>税率</th><th>税额</th></tr>
    <tr><td>*焦炭*冶金焦</td><td>1</td><td>47.17</td><td>47.17</td><td>6%</td><td>2.83</td></tr>
    </table><p>合计 ¥47.17 ¥2.83<br>价税合计（大写）伍拾圆整 （小写）¥50.00</p>""")
    assert inv.buyer_tax_id == BUYER_CODE and inv.seller_tax_id is None
    assert any(bad in n and "check character" in n for n in notes), notes
