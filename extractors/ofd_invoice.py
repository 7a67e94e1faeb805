"""The 数电 e-invoice exported as OFD: one FuelInvoice per invoice in the package.

The OFD usually carries the original invoice XML as an attachment: when it does, the XML is read
(exact values, each stamped with the attachment's path and the element). Otherwise the pages'
text objects are read as a PDF page is read, by the generic invoice reader, and each value is
stamped with its page and box. The custom tags (InvoiceNo -> the object printing it) check the
number either way.
"""

from __future__ import annotations

from pathlib import Path

from extractors import invoice
from extractors.einvoice_xml import is_einvoice, read_einvoice
from extractors.ofd.package import Attachment, OfdDocument, open_ofd
from extractors.ofd.pages import as_pdf_document
from extractors.ofd.text import content_words
from extractors.provenance import Origin
from verify.model.records import FuelInvoice

NUMBER_TAG = "InvoiceNo"


def invoice_attachment(ofd: OfdDocument) -> Attachment | None:
    """The attached 数电 invoice XML, if the package carries one."""
    return next((a for a in ofd.attachments if is_einvoice(a.root)), None)


def tagged_text(ofd: OfdDocument, tag: str) -> str | None:
    """The text of the objects a custom tag points at, joined (None when untagged)."""
    refs = ofd.tags.get(tag)
    if not refs:
        return None
    ids = {object_id for _, object_id in refs}
    texts = []
    for page in ofd.pages:
        for _, root in page.layers:
            for obj in root.iter():
                if obj.get("ID") in ids:
                    texts += [w.text for w in content_words(obj, page.number)]
    return "".join(texts) or None


def _check_number(ofd: OfdDocument, invoices: list[FuelInvoice], notes: list[str]) -> None:
    """Note when the number the custom tag points at is not the number read."""
    tagged = tagged_text(ofd, NUMBER_TAG)
    if tagged is not None and invoices and tagged not in {inv.number for inv in invoices}:
        notes.append(f"custom tag {NUMBER_TAG} points at {tagged!r}, "
                     f"the invoice read is {invoices[0].number!r}")


def parse(path: Path, origin: Origin) -> tuple[list[FuelInvoice], list[str]]:
    """The invoices of an OFD file, with notes on what could not be read."""
    ofd = open_ofd(Path(path))
    attached = invoice_attachment(ofd)
    if attached is not None:
        invoices, notes = read_einvoice(attached.root, origin, prefix=f"{attached.path}!")
    else:
        invoices, notes = invoice.parse(as_pdf_document(ofd, path), origin)
    _check_number(ofd, invoices, notes)
    return invoices, notes
