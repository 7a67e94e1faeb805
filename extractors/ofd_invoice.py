"""The e-invoice exported as OFD (GB/T 33190): one FuelInvoice per invoice in the package.

An OFD invoice says its values up to three ways, and all are read: the invoice XML it may attach
(the national 数电 XML, the 2019 provincial eInvoice, the MOF XBRL invoice: exact values), its
semantic tags (Doc_0/Tags/CustomTag.xml: InvoiceNo, BuyerName, TaxInclusiveTotalAmount, Item ...
pointing at the page objects that print them), and the page as printed, its template layer
(labels) and page layer (values) merged by position and read as a PDF page is read. Each field
takes the XML's value, else the tag's, else the one beside its label, and stands where the page
prints it; the key figures the document's custom data repeats (OFD.xml DocInfo: 发票号码,
合计金额 ...) check it. Where the sources disagree, a note names the field and both values
(extractors/ofd/merge.py).
"""

from __future__ import annotations

from pathlib import Path

from extractors import invoice
from extractors.einvoice_xml import is_einvoice, read_einvoice
from extractors.ofd.merge import custom_data, merged, printed_text
from extractors.ofd.package import Attachment, OfdDocument, open_ofd
from extractors.ofd.pages import as_pdf_document
from extractors.ofd.tags import TagReader, header_tags, line_tags
from extractors.provenance import Origin
from verify.model.errors import Reason, Unreadable
from verify.model.records import FuelInvoice

NUMBER_TAG = "InvoiceNo"


def invoice_attachment(ofd: OfdDocument) -> Attachment | None:
    """The attached invoice XML (any schema of data/einvoice_xml.toml), if the package has one."""
    return next((a for a in ofd.attachments if is_einvoice(a.root)), None)


def invoice_evidence(ofd: OfdDocument) -> str | None:
    """Why an OFD is an invoice whatever its page prints: the invoice XML it attaches, custom
    tags naming an invoice number that points at printed text, or the document's custom data
    naming one (None: none of these)."""
    attached = invoice_attachment(ofd)
    if attached is not None:
        return f"e-invoice XML attached ({attached.path})"
    tagged = header_tags(TagReader(ofd)).get("number")
    if tagged:
        return f"custom tag {tagged[0].tag} names the invoice number"
    number = custom_data(ofd, Origin("", "")).get("number")
    return f"the document's {number.tag} names the invoice number" \
        if number is not None and number.value is not None else None


def tagged_text(ofd: OfdDocument, tag: str) -> str | None:
    """The printed text of the objects a custom tag points at (None when untagged)."""
    found = TagReader(ofd).resolve(tag)
    return found.text if found is not None else None


def _printed(ofd: OfdDocument, path: Path, origin: Origin
             ) -> tuple[list[FuelInvoice], list[str], list]:
    """The invoices read from the pages as printed, the reader's notes and the pages."""
    try:
        doc = as_pdf_document(ofd, path)
    except Unreadable as exc:
        if exc.reason != Reason.NO_TEXT:
            raise
        return [], [], []
    invoices, notes = invoice.parse(doc, origin)
    return invoices, notes, doc.pages


def parse(path: Path, origin: Origin) -> tuple[list[FuelInvoice], list[str]]:
    """The invoices of an OFD file, with notes on what could not be read and on every field
    its XML, its tags and its page state differently."""
    ofd = open_ofd(Path(path))
    page_invoices, page_notes, pages = _printed(ofd, path, origin)
    attached = invoice_attachment(ofd)
    xml_invoices, xml_notes = read_einvoice(attached.root, origin, prefix=f"{attached.path}!") \
        if attached is not None else ([], [])
    reader = TagReader(ofd)
    header = {f: found[0] for f, found in header_tags(reader).items()}
    lines = line_tags(reader)
    meta = custom_data(ofd, origin)
    if not xml_invoices and not header and not lines and not meta:
        return page_invoices, page_notes
    xml = xml_invoices[0] if xml_invoices else None
    number = xml.number if xml else None
    page = next((i for i in page_invoices if i.number == number), None) or \
        (page_invoices[0] if page_invoices else None)
    notes = xml_notes + (page_notes if page is not None else [])  # else: 'no number found'
    one = merged(origin, printed_text(pages), xml, header, lines, page, notes, meta)
    if one is None:
        return page_invoices, page_notes + xml_notes
    return [one, *(i for i in page_invoices if i is not page)], notes
