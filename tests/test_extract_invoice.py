"""Invoices read by position: 数电 e-invoice (labels drawn before values), older VAT invoice,
English invoice, several invoices in one PDF, a multi-page invoice kept whole, and goods tables
only camelot reads right."""

import pytest
from extract_docs import (
    cn_old_vat_invoice,
    cn_vat_invoice,
    en_invoice,
    render,
    spilled_amounts_invoice,
)

from extractors import extract_file
from extractors import invoice_lines as il
from extractors.pdf import camelot_tables
from extractors.pdf.document import open_pdf
from extractors.provenance import Origin
from extractors.read import document_for
from verify.model.records import DocumentKind, DocumentStatus


def read(path):
    result = extract_file(path, document_for(path))
    assert result.document.status == DocumentStatus.PARSED, result.document.error
    return result


@pytest.fixture(scope="module")
def digital(tmp_path_factory):
    return read(render(cn_vat_invoice(), tmp_path_factory.mktemp("inv") / "digital.pdf"))


def test_digital_invoice_labels_first_in_content_stream(digital):
    """pypdfium2 text has every label before every value; pairing by position still works."""
    inv = digital.records[0]
    assert digital.document.kind == DocumentKind.FUEL_INVOICE
    assert inv.number == "25442000000123456789"
    assert str(inv.date) == "2025-03-14"
    assert inv.buyer == "唐山钢铁集团有限公司"
    assert inv.seller == "河北冀东焦化有限公司"
    assert (inv.total_amount, inv.total_tax, inv.total_with_tax) == (2581075.0, 335539.75, 2916614.75)
    assert inv.total_with_tax_words == "贰佰玖拾壹万陆仟陆佰壹拾肆圆柒角伍分"
    assert digital.notes == []


def test_content_stream_order_really_is_labels_first(tmp_path):
    import pypdfium2 as pdfium

    path = render(cn_vat_invoice(), tmp_path / "d.pdf")
    pdf = pdfium.PdfDocument(str(path))
    text = pdf[0].get_textpage().get_text_range()
    pdf.close()
    assert text.index("开票日期") < text.index("25442000000123456789") < text.index("2025年03月14日")
    assert text.index("名称") < text.index("唐山钢铁集团有限公司")


def test_digital_invoice_line_and_provenance(digital):
    line = digital.records[0].lines[0]
    assert line.description == "*煤炭*冶金焦炭"
    assert line.stream == "coke"
    assert (line.spec, line.unit, line.quantity, line.unit_price) == ("一级", "吨", 1200.5, 2150.0)
    assert (line.amount, line.tax_rate, line.tax) == (2581075.0, 0.13, 335539.75)
    where = line.where("quantity")
    assert where.page == 1 and where.text == "1,200.500" and where.bbox[0] > line.where("unit").bbox[2]
    assert digital.records[0].where("number").text == "25442000000123456789"


def test_capitals_that_disagree_with_figures_are_a_note(tmp_path):
    path = render(cn_vat_invoice(capitals="贰佰玖拾壹万陆仟陆佰壹拾伍圆柒角伍分"), tmp_path / "x.pdf")
    result = read(path)
    assert result.records[0].total_with_tax == 2916614.75
    assert any("capitals state 2916615.75" in n for n in result.notes)


def test_old_vat_invoice_code_number_and_blocks_one_above_the_other(tmp_path):
    inv = read(render(cn_old_vat_invoice(), tmp_path / "old.pdf")).records[0]
    assert (inv.code, inv.number, str(inv.date)) == ("013002500111", "04512345", "2025-03-09")
    assert (inv.buyer, inv.seller) == ("唐山钢铁集团有限公司", "山西焦煤集团有限公司")
    assert inv.lines[0].stream == "washed_coal" and inv.lines[0].quantity == 800.0
    assert (inv.total_amount, inv.total_tax, inv.total_with_tax) == (1280000.0, 166400.0, 1446400.0)
    assert inv.total_with_tax_words == "壹佰肆拾肆万陆仟肆佰圆整"


def test_english_invoice_with_freight_line(tmp_path):
    inv = read(render(en_invoice(), tmp_path / "en.pdf")).records[0]
    assert (inv.number, str(inv.date), inv.currency) == ("INV-2025-00042", "2025-03-14", "USD")
    assert (inv.seller, inv.buyer) == ("Northern Coal Trading Ltd.", "Hebei Steel Works Co., Ltd.")
    assert [ln.description for ln in inv.lines] == ["Washed coking coal", "Road freight service"]
    assert [ln.stream for ln in inv.lines] == ["washed_coal", None]
    assert (inv.total_amount, inv.total_tax, inv.total_with_tax) == (3160000.0, 406000.0, 3566000.0)


def test_several_invoices_in_one_pdf_are_split(tmp_path):
    page_break = '<div style="page-break-after:always"></div>'
    html = en_invoice("INV-2025-00042") + page_break + en_invoice("INV-2025-00043")
    result = read(render(html, tmp_path / "two.pdf"))
    assert [r.number for r in result.records] == ["INV-2025-00042", "INV-2025-00043"]
    assert result.records[1].source.page == 2


def test_multi_page_invoice_is_kept_whole(tmp_path):
    rows = "".join(f"<tr><td>Metallurgical coke lot {i}</td><td>t</td><td>100.00</td>"
                   f"<td>2,000.00</td><td>200,000.00</td><td>13%</td><td>26,000.00</td></tr>"
                   for i in range(1, 61))
    html = f"""<h2>INVOICE</h2><p>Invoice No.: INV-2025-00077<br>Invoice Date: 2025-03-20</p>
    <p>Seller: Coke Supply Ltd.</p><p>Buyer: Steel Works</p>
    <table><thead><tr><th>Description</th><th>Unit</th><th>Quantity</th><th>Unit price</th>
    <th>Amount</th><th>VAT rate</th><th>VAT</th></tr></thead>{rows}</table>
    <p>Subtotal: 12,000,000.00<br>Total tax: 1,560,000.00</p>"""
    result = read(render(html, tmp_path / "long.pdf"))
    assert result.document.pages >= 2
    assert len(result.records) == 1
    inv = result.records[0]
    assert len(inv.lines) == 60 and {ln.stream for ln in inv.lines} == {"coke"}
    assert sum(ln.amount for ln in inv.lines) == inv.total_amount == 12000000.0
    assert result.notes == []


def test_amounts_spilling_past_their_column_rule_are_read_by_camelot(tmp_path):
    """pdfplumber's ruled grid cuts each amount at the column rule, and its word columns miss
    the headers printed over two lines: both readers' lines fail the invoice's own arithmetic,
    so camelot (which keeps each printed number whole) reads the goods lines."""
    path = render(spilled_amounts_invoice(), tmp_path / "form.pdf")
    pages, origin = open_pdf(path).pages, Origin(file="form.pdf", sha256="")
    for rows in (il.rows_by_grid(pages), il.rows_by_columns(pages)[0]):
        assert rows and il.line_problems([il.to_line(r, origin) for r in rows], 3_160_000.0)
    result = read(path)
    (inv,) = result.records
    got = [(ln.description, ln.stream, ln.unit, ln.quantity, ln.unit_price, ln.amount, ln.tax_rate,
            ln.tax) for ln in inv.lines]
    assert got == [("Washed coking coal", "washed_coal", "t", 2000.0, 1520.0, 3040000.0, 0.13, 395200.0),
                   ("Road freight service", None, "t", 2000.0, 60.0, 120000.0, 0.09, 10800.0)]
    assert (inv.total_amount, inv.total_tax, inv.total_with_tax) == (3160000.0, 406000.0, 3566000.0)
    assert result.notes == []
    amount = inv.lines[0].where("amount")
    assert (amount.text, amount.page) == ("3,040,000.00", 1)


def test_camelot_reads_a_ruled_goods_table_cell_by_cell(tmp_path):
    path = render(en_invoice(), tmp_path / "en.pdf")
    found = dict(camelot_tables.table_rows(path, [1], il.SECTION, il.NUMERIC, il.stop_keys()))
    rows = found["camelot lattice"]
    assert [{c: w.text for c, w in row.items()} for row in rows] == [
        {"description": "Washed coking coal", "unit": "t", "quantity": "2,000.00",
         "unit_price": "1,520.00", "amount": "3,040,000.00", "tax_rate": "13%", "tax": "395,200.00"},
        {"description": "Road freight service", "unit": "t", "quantity": "2,000.00",
         "unit_price": "60.00", "amount": "120,000.00", "tax_rate": "9%", "tax": "10,800.00"}]
    # each cell's box in top-left page coordinates, where pdfplumber's own ruled grid has it
    (grid,) = open_pdf(path).pages[0].tables
    boxes = {(r, cell.text): cell.bbox for r, cells in enumerate(grid[1:]) for cell in cells if cell}
    for r, row in enumerate(rows):
        for word in row.values():
            assert word.page == 1
            assert max(abs(a - b) for a, b in zip(word.bbox, boxes[(r, word.text)], strict=True)) < 1.0
