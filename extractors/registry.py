"""Which reader parses which kind of document: an explicit list, extended by adding a line.

The readers are imported here, so a reader that cannot be imported (a typo, a missing library
it needs) stops the run at its start with the reader's name and the reason, instead of
leaving every document of its kind unread. PDF readers take (PdfDocument, Origin); sheet
readers take (list[Sheet], Origin); file readers take (Path, Origin). Each returns
(records, notes). Native readers are file readers for the 数电 e-invoice's own formats, by
format then kind.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from pathlib import Path

from verify.model.errors import ReaderImportError
from verify.model.records import DocumentKind

HOME = Path(__file__).resolve().parent


def _where_it_failed(exc: ImportError) -> str:
    """The reader module that failed and the line of ours that raised: 'extractors.einvoice_xml
    (extractors/xmlsafe.py line 15)'."""
    ours = []
    for frame in traceback.extract_tb(exc.__traceback__):
        path = Path(frame.filename).resolve()
        if path.is_relative_to(HOME) and path != Path(__file__).resolve():
            ours.append((path.relative_to(HOME.parent), frame.lineno))
    if not ours:
        return "a reader"
    (reader, _), (file, line) = ours[0], ours[-1]
    return f"{'.'.join(reader.with_suffix('').parts)} ({file.as_posix()} line {line})"


try:
    from extractors import (
        claim,
        einvoice_xml,
        invoice,
        invoice_list,
        lab,
        lab_sheet,
        meter,
        ofd_invoice,
        production,
        production_pdf,
        stock,
    )
except ImportError as exc:  # the module that failed and why, for the user to fix
    raise ReaderImportError(f"a document reader failed to import: {_where_it_failed(exc)}: "
                            f"{exc}") from exc

Reader = Callable[..., tuple[list, list[str]]]

PDF_READERS: dict[DocumentKind, Reader] = {
    DocumentKind.FUEL_INVOICE: invoice.parse,
    DocumentKind.LAB_REPORT: lab.parse,
    DocumentKind.PRODUCTION_RECORD: production_pdf.parse,
}

SHEET_READERS: dict[DocumentKind, Reader] = {
    DocumentKind.FUEL_INVOICE: invoice_list.parse,
    DocumentKind.LAB_REPORT: lab_sheet.parse,
    DocumentKind.PRODUCTION_RECORD: production.parse,
    DocumentKind.STOCK_RECORD: stock.parse,
    DocumentKind.METER_RECORD: meter.parse,
}

FILE_READERS: dict[DocumentKind, Reader] = {
    DocumentKind.CLAIM: claim.parse,
}

NATIVE_READERS: dict[str, dict[DocumentKind, Reader]] = {
    "xml": {DocumentKind.FUEL_INVOICE: einvoice_xml.parse},
    "ofd": {DocumentKind.FUEL_INVOICE: ofd_invoice.parse},
}
