"""Which reader parses which kind of document: an explicit list, extended by adding a line.

A reader is "module:function". PDF readers take (PdfDocument, Origin); sheet readers take
(list[Sheet], Origin); file readers take (Path, Origin). Each returns (records, notes).
Native readers are file readers for the 数电 e-invoice's own formats, by format then kind.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from verify.model.records import DocumentKind

PDF_READERS: dict[DocumentKind, str] = {
    DocumentKind.FUEL_INVOICE: "extractors.invoice:parse",
    DocumentKind.LAB_REPORT: "extractors.lab:parse",
    DocumentKind.PRODUCTION_RECORD: "extractors.production_pdf:parse",
}

SHEET_READERS: dict[DocumentKind, str] = {
    DocumentKind.FUEL_INVOICE: "extractors.invoice_list:parse",
    DocumentKind.PRODUCTION_RECORD: "extractors.production:parse",
    DocumentKind.STOCK_RECORD: "extractors.stock:parse",
    DocumentKind.METER_RECORD: "extractors.meter:parse",
}

FILE_READERS: dict[DocumentKind, str] = {
    DocumentKind.CLAIM: "extractors.claim:parse",
}

NATIVE_READERS: dict[str, dict[DocumentKind, str]] = {
    "xml": {DocumentKind.FUEL_INVOICE: "extractors.einvoice_xml:parse"},
    "ofd": {DocumentKind.FUEL_INVOICE: "extractors.ofd_invoice:parse"},
}


def reader(spec: str) -> Callable | None:
    """The function a "module:function" names, or None when that module is not there yet."""
    module, _, name = spec.partition(":")
    if not module:
        return None
    try:
        return getattr(importlib.import_module(module), name)
    except (ModuleNotFoundError, AttributeError):
        return None
