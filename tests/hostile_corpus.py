"""A corpus of broken and hostile evidence files, one builder per kind, each with the outcome
a verifier must see: read as usual, unclassified, or unreadable with a reason. Nothing here may
crash a reader, fetch a URL, run a macro or formula, or read a file outside the bundle.

Used by tests/test_hostile_corpus.py and by `python tests/hostile_corpus.py OUT.md`, which writes
the table of docs/reliability.md.
"""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from extract_docs import (
    en_invoice,
    encrypted_pdf,
    image_only,
    lab_report,
    meter_csv,
    png_bytes,
    production_xlsx,
    render,
)

PARSED, UNCLASSIFIED, UNREADABLE = "parsed", "unclassified", "unreadable"
SECRET = "root:x:0:0"  # what /etc/passwd would leak into a record


@dataclass(frozen=True)
class Kind:
    """One kind of input: how to make it, and what a verifier must see."""

    name: str
    what: str
    build: Callable[[Path], Path]
    status: str | tuple[str, ...]  # parsed | unclassified | unreadable, or any of several
    reason: str = ""  # words the document's error must contain (unreadable, unclassified)
    records: bool | None = None  # True: at least one record; False: none; None: either


# --- raw PDF ---------------------------------------------------------------------------------


INVOICE_TEXT = (b"BT /F1 14 Tf 72 740 Td (INVOICE) Tj ET "
                b"BT /F1 10 Tf 72 710 Td (Invoice No.: INV-2025-0001) Tj ET "
                b"BT /F1 10 Tf 72 695 Td (Invoice Date: 2025-03-04) Tj ET "
                b"BT /F1 10 Tf 72 680 Td (Seller: Northern Coal Ltd.) Tj ET "
                b"BT /F1 10 Tf 72 665 Td (Buyer: Hebei Steel Co.) Tj ET "
                b"BT /F1 10 Tf 72 640 Td (Description  Quantity  Unit  Unit price  Amount) Tj ET "
                b"BT /F1 10 Tf 72 625 Td (Coke  10.00  t  2,000.00  20,000.00) Tj ET "
                b"BT /F1 10 Tf 72 600 Td (Total amount: 20,000.00  VAT 13%: 2,600.00) Tj ET "
                b"BT /F1 10 Tf 72 585 Td (Total due: 22,600.00) Tj ET")


def raw_pdf(out: Path, content: bytes = INVOICE_TEXT, catalog: bytes = b"", page: bytes = b"",
            extra: tuple[bytes, ...] = (), media_box: bytes = b"[0 0 612 792]",
            font: bytes | None = None, pages: int = 1, deflated: bool = False) -> Path:
    """A hand-made PDF: catalog 1, pages 2, content 3, font 4, extra objects from 5, then the
    `pages` page objects (all showing the same content; `deflated`: the content is given
    FlateDecode-compressed)."""
    font = font or b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    first = 5 + len(extra)
    kids = b" ".join(b"%d 0 R" % (first + i) for i in range(pages))
    page_obj = (b"<< /Type /Page /Parent 2 0 R /MediaBox " + media_box + b" /Contents 3 0 R "
                b"/Resources << /Font << /F1 4 0 R >> >> " + page + b" >>")
    objects = [b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
               b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
               b"<< /Length %d%s >>\nstream\n" % (len(content), b" /Filter /FlateDecode" * deflated)
               + content + b"\nendstream",
               font, *extra, *[page_obj] * pages]
    body, offsets = bytearray(b"%PDF-1.7\n"), []
    for n, obj in enumerate(objects, 1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % n + obj + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    out.write_bytes(bytes(body))
    return out


def _invoice(out: Path) -> Path:
    return render(en_invoice(), out)


def _truncated(out: Path) -> Path:
    data = _invoice(out).read_bytes()
    out.write_bytes(data[: len(data) // 3])
    return out


def _broken_xref(out: Path) -> Path:
    data = _invoice(out).read_bytes()
    at = data.rindex(b"startxref")
    out.write_bytes(data[:at] + b"startxref\n99999999\n%%EOF\n")
    return out


def _bad_offsets(out: Path) -> Path:
    data = bytearray(_invoice(out).read_bytes())
    at = data.rindex(b"xref\n")
    data[at + 5:at + 400] = bytes(b if b in b"\n fn" else ord("9") for b in data[at + 5:at + 400])
    out.write_bytes(bytes(data))
    return out


def _many_pages(out: Path) -> Path:
    return raw_pdf(out, pages=201)


def _embedded_file(out: Path) -> Path:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(_invoice(out.with_suffix(".src.pdf"))))
    attachment = pdf.new_attachment("payload.exe")
    attachment.set_data(b"MZ" + b"\x00" * 64)
    pdf.save(str(out))
    pdf.close()
    out.with_suffix(".src.pdf").unlink()
    return out


def _deep_nesting(out: Path) -> Path:
    deep = b"[" * 20000 + b"]" * 20000
    return raw_pdf(out, page=b"/Deep " + deep)


def _no_tounicode(out: Path) -> Path:
    """A Type3 font whose glyph names say nothing: the text layer cannot be mapped to text."""
    glyph = b"<< /Length 27 >>\nstream\n0 0 m 500 0 l 500 700 l f\nendstream"
    font = (b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 500 700] "
            b"/FontMatrix [0.001 0 0 0.001 0 0] /CharProcs << /g1 5 0 R >> "
            b"/Encoding << /Type /Encoding /Differences [65 /g1 66 /g1 67 /g1] >> "
            b"/FirstChar 65 /LastChar 67 /Widths [500 500 500] /Resources << >> >>")
    return raw_pdf(out, content=b"BT /F1 12 Tf 72 720 Td (ABCABC ABC) Tj ET", font=font,
                   extra=(glyph,))


def _random_bytes(out: Path, size: int = 40_000) -> Path:
    out.write_bytes(random.Random(out.name).randbytes(size))
    return out


def _write(data: bytes) -> Callable[[Path], Path]:
    def build(out: Path) -> Path:
        out.write_bytes(data)
        return out
    return build


# --- spreadsheets ----------------------------------------------------------------------------


def _xlsx_parts(out: Path, replace: dict[str, bytes] | None = None,
                add: dict[str, bytes] | None = None) -> Path:
    """A real invoice-register workbook with parts replaced or added (XXE, macros, links)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Invoices"
    ws.append(["Invoice No", "Invoice Date", "Seller Name", "Description", "Unit", "Quantity",
               "Unit Price", "Amount", "Tax Rate", "Tax Amount"])
    ws.append(["INV-1", "2025-03-04", "Northern Coal Ltd.", "Coke", "t", 10, 2000, 20000,
               "13%", 2600])
    buffer = io.BytesIO()
    wb.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = (replace or {}).get(info.filename, src.read(info))
            dst.writestr(info.filename, data)
        for name, data in (add or {}).items():
            dst.writestr(name, data)
    return out


def _with_entities(out: Path, doctype: bytes, reference: bytes) -> Path:
    """The register's sheet XML with a DOCTYPE declaring entities, the seller's name replaced by
    a reference to one (openpyxl writes cell text inline, so the sheet part carries it)."""
    sheet = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(_xlsx_parts(out.with_suffix(".src.xlsx"))) as zf:
        xml = zf.read(sheet)
    out.with_suffix(".src.xlsx").unlink()
    head, _, body = xml.partition(b"?>")
    body = body.replace(b"Northern Coal Ltd.", reference)
    return _xlsx_parts(out, replace={sheet: head + b"?>" + doctype + body})


XXE_DOCTYPE = b'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
LAUGHS_DOCTYPE = (b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1
                                                             else b"&lol;") * 10)
                             for i in range(1, 10)) + b"]>")


def _xlsx_xxe(out: Path) -> Path:
    return _with_entities(out, XXE_DOCTYPE, b"&xxe;")


def _xlsx_laughs(out: Path) -> Path:
    return _with_entities(out, LAUGHS_DOCTYPE, b"&lol9;")


def _xlsx_external_link(out: Path) -> Path:
    link = (b'<?xml version="1.0"?><externalLink xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><externalBook r:id="rId1" xmlns:r="http://schemas.'
            b'openxmlformats.org/officeDocument/2006/relationships"/></externalLink>')
    rels = (b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            b'openxmlformats.org/officeDocument/2006/relationships/externalLinkPath" '
            b'Target="http://attacker.example/book.xlsx" TargetMode="External"/></Relationships>')
    return _xlsx_parts(out, add={"xl/externalLinks/externalLink1.xml": link,
                                 "xl/externalLinks/_rels/externalLink1.xml.rels": rels})


def _xlsm_macro(out: Path) -> Path:
    return _xlsx_parts(out, add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\x00" * 512})


def _xlsx_formulas(out: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Invoice No", "Invoice Date", "Seller Name", "Description", "Unit", "Quantity",
               "Amount"])
    ws.append(["INV-9", "2025-03-04", '=HYPERLINK("http://attacker.example","x")', "Coke", "t",
               10, "=cmd|' /C calc'!A0"])
    wb.save(out)
    return out


def _xlsx_truncated(out: Path) -> Path:
    data = _xlsx_parts(out).read_bytes()
    out.write_bytes(data[: len(data) // 2])
    return out


def _csv_named_xlsx(out: Path) -> Path:
    return meter_csv(out, encoding="utf-8")


def _empty_workbook(out: Path) -> Path:
    from openpyxl import Workbook

    Workbook().save(out)
    return out


def _many_shared_strings(out: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("notes")
    for i in range(40_000):
        ws.append([f"note {i}", f"text {i * 7}"])
    wb.save(out)
    return out


def _csv_nul(out: Path) -> Path:
    out.write_bytes(b"Invoice No,Date,Quantity\nINV-1,2025-03-04,10\x00\x00\nINV-2,\x00,5\n")
    return out


def _csv_long_line(out: Path) -> Path:
    out.write_bytes(b"Invoice No,Note\nINV-1," + b"x" * 5_000_000 + b"\n")
    return out


def _csv_header_only(out: Path) -> Path:
    out.write_bytes("发票号码,开票日期,数量,金额\n".encode("gbk"))
    return out


# --- XML, OFD --------------------------------------------------------------------------------


def _xml(data: bytes) -> Callable[[Path], Path]:
    return _write(data)


EINVOICE_XXE = (b'<?xml version="1.0"?><!DOCTYPE EInvoice [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                b"<EInvoice><EInvoiceData><BuyerInformation><BuyerName>&x;</BuyerName>"
                b"</BuyerInformation></EInvoiceData></EInvoice>")
EINVOICE_DTD = (b'<?xml version="1.0"?><!DOCTYPE EInvoice SYSTEM "http://attacker.example/x.dtd">'
                b"<EInvoice><TaxSupervisionInfo><InvoiceNumber>1</InvoiceNumber>"
                b"</TaxSupervisionInfo></EInvoice>")
EINVOICE_LAUGHS = (b'<?xml version="1.0"?>' + LAUGHS_DOCTYPE.replace(b"lolz", b"EInvoice")
                   + b"<EInvoice><TaxSupervisionInfo><InvoiceNumber>&lol9;</InvoiceNumber>"
                   b"</TaxSupervisionInfo></EInvoice>")


def _ofd(entries: dict[str, bytes]) -> Callable[[Path], Path]:
    def build(out: Path) -> Path:
        with zipfile.ZipFile(out, "w") as zf:
            for name, data in entries.items():
                zf.writestr(name, data)
        return out
    return build


OFD_XML = (b'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" '
           b'Version="1.1" DocType="OFD"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>'
           b"</ofd:DocBody></ofd:OFD>")


def _ofd_bomb(out: Path) -> Path:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("OFD.xml", OFD_XML)
        zf.writestr("Doc_0/Document.xml", b" " * (64 * 1024 * 1024))
    return out


# --- names -----------------------------------------------------------------------------------


def _named(name: str) -> Callable[[Path], Path]:
    def build(out: Path) -> Path:
        target = out.with_name(name)
        _invoice(target)
        return target
    return build


def _png_named_pdf(out: Path) -> Path:
    out.write_bytes(png_bytes(400, 300))
    return out


def _html_named_pdf(out: Path) -> Path:
    out.write_text("<html><body><h1>Invoice</h1><script>fetch('http://attacker.example')"
                   "</script></body></html>", "utf-8")
    return out


# --- images, other formats, numbers no plant measured ----------------------------------------


def _image(fmt: str, size: tuple[int, int] = (800, 600), mode: str = "RGB",
           keep: float = 1.0) -> Callable[[Path], Path]:
    """A blank image in `fmt`, cut to `keep` of its bytes (a photo sent half-uploaded)."""
    def build(out: Path) -> Path:
        from PIL import Image

        buf = io.BytesIO()
        Image.new(mode, size, 1 if mode == "1" else "white").save(buf, fmt)
        data = buf.getvalue()
        out.write_bytes(data[: max(1, int(len(data) * keep))])
        return out
    return build


def _heic_garbage(out: Path) -> Path:
    out.write_bytes(b"\x00\x00\x00\x18ftypheic" + random.Random(7).randbytes(20_000))
    return out


def _docx(out: Path) -> Path:
    """A Word document (an invoice typed in Word): a zip package, not a spreadsheet."""
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.'
                    'openxmlformats.org/package/2006/content-types"/>')
        zf.writestr("word/document.xml", '<?xml version="1.0"?><w:document xmlns:w="http://'
                    'schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
                    "<w:t>Invoice 发票</w:t></w:r></w:p></w:body></w:document>")
    return out


def _svg_named_pdf(out: Path) -> Path:
    out.write_text('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/'
                   'xlink"><image xlink:href="http://attacker.example/x.png"/></svg>', "utf-8")
    return out


def _xlsx_number_text(raw: bytes) -> Callable[[Path], Path]:
    """A production workbook whose first figure is stored as the number text `raw` (1e999
    parses as infinity; NaN is no number at all), as a tool other than Excel may write it."""
    def build(out: Path) -> Path:
        from openpyxl import load_workbook

        plain = out.with_name(out.stem + "_plain.xlsx")
        production_xlsx(plain)
        wb = load_workbook(plain)
        ws = wb.worksheets[0]
        cell = next(c for row in ws.iter_rows() for c in row
                    if isinstance(c.value, (int, float)) and not isinstance(c.value, bool))
        cell.value = 123456.789
        wb.save(plain)
        with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(out, "w") as zout:
            for info in zin.infolist():
                data = zin.read(info.filename)
                if info.filename.startswith("xl/worksheets/"):
                    data = data.replace(b"123456.789", raw)
                zout.writestr(info, data)
        plain.unlink()
        return out
    return build


KINDS: tuple[Kind, ...] = (
    # PDF
    Kind("pdf_empty", "PDF of 0 bytes", _write(b""), UNREADABLE, "empty"),
    Kind("pdf_truncated", "PDF cut to a third", _truncated, UNREADABLE, "truncated or corrupt"),
    Kind("pdf_header_only", "%PDF header, then garbage", _write(b"%PDF-1.7\n" + b"\x8f" * 5000),
         UNREADABLE, "corrupt"),
    Kind("pdf_random_bytes", "random bytes named .pdf", _random_bytes, UNCLASSIFIED),
    Kind("pdf_broken_startxref", "startxref points nowhere (read from a repaired copy)",
         _broken_xref, PARSED, records=True),
    Kind("pdf_bad_xref_offsets", "xref table offsets overwritten (read from a repaired copy)",
         _bad_offsets, PARSED, records=True),
    Kind("pdf_encrypted", "user-password PDF", encrypted_pdf, UNREADABLE, "encrypted"),
    Kind("pdf_javascript", "OpenAction JavaScript", lambda o: raw_pdf(
        o, catalog=b"/OpenAction << /S /JavaScript /JS (app.launchURL('http://attacker.example')) >>"),
        (PARSED, UNCLASSIFIED)),
    Kind("pdf_launch_action", "OpenAction /Launch of a program", lambda o: raw_pdf(
        o, catalog=b"/OpenAction << /S /Launch /F (C:\\\\Windows\\\\System32\\\\calc.exe) >>"),
        (PARSED, UNCLASSIFIED)),
    Kind("pdf_uri_annotation", "link annotation to an outside URL", lambda o: raw_pdf(
        o, page=b"/Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 600 800] "
                b"/A << /S /URI /URI (http://attacker.example/) >> >>]"), (PARSED, UNCLASSIFIED)),
    Kind("pdf_embedded_file", "invoice with an attached .exe", _embedded_file, PARSED,
         records=True),
    Kind("pdf_no_tounicode", "Type3 font without ToUnicode", _no_tounicode, UNCLASSIFIED),
    Kind("pdf_deep_nesting", "20,000 nested arrays", _deep_nesting, (PARSED, UNCLASSIFIED)),
    Kind("pdf_zero_mediabox", "MediaBox of zero size", lambda o: raw_pdf(o, media_box=b"[0 0 0 0]"),
         (PARSED, UNCLASSIFIED)),
    Kind("pdf_huge_page", "a 5 m x 5 m page", lambda o: raw_pdf(o, media_box=b"[0 0 14400 14400]"),
         (PARSED, UNCLASSIFIED)),
    Kind("pdf_too_many_pages", "201 pages (limit 200)", _many_pages, UNREADABLE, "too large"),
    Kind("pdf_image_only_blank", "scan of a blank grey page", image_only, UNREADABLE, "image-only"),
    Kind("pdf_png_renamed", "a PNG named .pdf", _png_named_pdf, UNCLASSIFIED),
    Kind("pdf_html_renamed", "HTML with a script named .pdf", _html_named_pdf, UNCLASSIFIED),
    # spreadsheets
    Kind("xlsx_truncated", "workbook cut in half", _xlsx_truncated, UNREADABLE,
         "zip package is cut short or damaged"),
    Kind("xlsx_xxe", "shared strings with an external entity (/etc/passwd)", _xlsx_xxe,
         UNREADABLE, "corrupt spreadsheet"),
    Kind("xlsx_billion_laughs", "shared strings with nested entities", _xlsx_laughs, UNREADABLE,
         "corrupt spreadsheet"),
    Kind("xlsx_external_link", "link to an outside workbook", _xlsx_external_link, PARSED,
         records=True),
    Kind("xlsm_macro", "workbook with a VBA project", _xlsm_macro, PARSED, records=True),
    Kind("xlsx_formulas", "cells holding formulas that would run", _xlsx_formulas,
         (PARSED, UNCLASSIFIED)),
    Kind("xlsx_is_csv", "a CSV named .xlsx", _csv_named_xlsx, PARSED, records=True),
    Kind("xlsx_empty", "a workbook with one empty sheet", _empty_workbook, UNCLASSIFIED),
    Kind("xlsx_inflated_range", "a cell styled at row 5000", production_xlsx, PARSED, records=True),
    Kind("xlsx_many_strings", "80,000 shared strings", _many_shared_strings, UNCLASSIFIED),
    Kind("xls_cfb_garbage", "OLE header, then garbage (an encrypted OOXML looks so)",
         _write(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096), UNREADABLE, "corrupt"),
    Kind("csv_gbk", "GBK-encoded meter CSV", meter_csv, PARSED, records=True),
    Kind("csv_utf16", "UTF-16 meter CSV", lambda o: meter_csv(o, encoding="utf-16"), PARSED,
         records=True),
    Kind("csv_nul_bytes", "CSV with NUL bytes", _csv_nul, UNREADABLE, "NUL bytes"),
    Kind("csv_long_line", "a 5 MB cell", _csv_long_line, UNREADABLE, "field larger than"),
    Kind("csv_header_only", "header, no rows", _csv_header_only, UNCLASSIFIED),
    Kind("csv_random_bytes", "random bytes named .csv", _random_bytes, UNREADABLE,
         "corrupt spreadsheet"),
    # XML and OFD
    Kind("xml_xxe", "e-invoice XML with an external entity", _xml(EINVOICE_XXE), UNREADABLE,
         "hostile XML"),
    Kind("xml_external_dtd", "e-invoice XML naming an outside DTD (never fetched)",
         _xml(EINVOICE_DTD), (PARSED, UNREADABLE)),
    Kind("xml_billion_laughs", "e-invoice XML with nested entities", _xml(EINVOICE_LAUGHS),
         UNREADABLE, "hostile XML"),
    Kind("xml_malformed", "XML cut mid-element", _xml(b"<?xml version='1.0'?><EInvoice><Tax"),
         UNREADABLE, "malformed XML"),
    Kind("xml_other", "an RSS feed", _xml(b"<?xml version='1.0'?><rss><channel><title>x</title>"
                                          b"</channel></rss>"), UNCLASSIFIED),
    Kind("xml_huge", "17 MB of XML", _xml(b"<?xml version='1.0'?><EInvoice>" + b" " * (17 << 20)
                                          + b"</EInvoice>"), UNREADABLE, "too large"),
    Kind("ofd_traversal", "OFD package with a ../ entry", _ofd({"OFD.xml": OFD_XML,
                                                                 "../../evil.xml": b"<x/>"}),
         UNREADABLE),
    Kind("ofd_no_document", "OFD package without its Document.xml", _ofd({"OFD.xml": OFD_XML}),
         UNREADABLE, "OFD"),
    Kind("ofd_xxe", "OFD.xml with an external entity", _ofd({"OFD.xml": OFD_XML.replace(
        b'<?xml version="1.0" encoding="UTF-8"?>',
        b'<?xml version="1.0"?><!DOCTYPE o [<!ENTITY x SYSTEM "file:///etc/passwd">]>')}),
        UNREADABLE, "hostile XML"),
    Kind("ofd_bomb", "OFD part inflating to 64 MB", _ofd_bomb, UNREADABLE),
    Kind("ofd_random_bytes", "random bytes named .ofd", _random_bytes, UNCLASSIFIED),
    # names
    Kind("name_very_long", "a 244-byte file name (CJK and latin)", _named("发票" * 30 + "a" * 60 + ".pdf"),
         PARSED, records=True),
    Kind("name_rtl_override", "a right-to-left override in the name",
         _named("invoice\u202efdp.exe.pdf"), PARSED, records=True),
    Kind("name_newline_quote", "quotes, a newline and markup in the name",
         _named("in\"v'o\nice<script>.pdf"), PARSED, records=True),
    Kind("name_spaces_only_stem", "a name that is spaces and a suffix", _named("   .pdf"),
         PARSED, records=True),
    Kind("jpg_truncated", "a phone photo cut to a third", _image("JPEG", keep=0.33), UNREADABLE,
         "truncated or corrupt image"),
    Kind("png_pixel_bomb", "a 30000 x 30000 PNG of 170 kB", _image("PNG", (30000, 30000), "1"),
         UNREADABLE, "too large"),
    Kind("png_random_bytes", "random bytes named .png", _random_bytes, UNREADABLE,
         "not a JPEG, PNG, HEIC or TIFF image"),
    Kind("heic_garbage", "an HEIC brand, then garbage", _heic_garbage, UNREADABLE,
         "not a readable HEIC image"),
    Kind("tiff_truncated", "a TIFF scan cut short", _image("TIFF", keep=0.2), UNREADABLE,
         "truncated or corrupt image"),
    Kind("docx_invoice", "an invoice typed in Word", _docx, UNCLASSIFIED,
         "not a PDF, image or spreadsheet"),
    Kind("pdf_svg_renamed", "an SVG linking an outside image, named .pdf", _svg_named_pdf,
         UNCLASSIFIED),
    Kind("xlsx_infinite_number", "a figure stored as 1e999", _xlsx_number_text(b"1e999"), PARSED,
         records=True),
    Kind("xlsx_nan_literal", "a figure stored as NaN", _xlsx_number_text(b"NaN"),
         (UNREADABLE, UNCLASSIFIED)),
    Kind("lab_report_pdf", "an ordinary lab report (control)", lambda o: render(lab_report(), o),
         PARSED, records=True),
)

SUFFIX = {"pdf": ".pdf", "xlsx": ".xlsx", "xlsm": ".xlsm", "xls": ".xls", "csv": ".csv",
          "xml": ".xml", "ofd": ".ofd", "name": ".pdf", "lab": ".pdf", "jpg": ".jpg", "png": ".png",
          "heic": ".heic", "tiff": ".tif", "docx": ".docx"}


def build_all(folder: Path) -> dict[str, Path]:
    """Every kind's file under folder, by kind name."""
    folder.mkdir(parents=True, exist_ok=True)
    return {k.name: k.build(folder / f"{k.name}{SUFFIX[k.name.split('_')[0]]}") for k in KINDS}
