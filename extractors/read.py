"""Read one file into an Extraction; bad input becomes an unreadable Document, never an error."""

from __future__ import annotations

import json
from pathlib import Path

from extractors import registry
from extractors.classify import (
    LOOK_AHEAD,
    classify_loaded,
    classify_native,
    classify_pdf,
    classify_text,
)
from extractors.extraction import Extraction, unreadable
from extractors.provenance import Origin
from extractors.sniff import file_format
from extractors.templated import with_templates
from verify.model.errors import Reason, Unreadable
from verify.model.records import Document, DocumentKind, DocumentStatus


def _classified(document: Document, kind: DocumentKind, confidence: float, reason: str,
                pages: int | None = None) -> Document:
    """The document with its kind; an unknown kind is `unclassified`, with the reason."""
    update: dict = {"kind": kind, "confidence": confidence, "pages": pages}
    if kind == DocumentKind.UNKNOWN:
        update |= {"status": DocumentStatus.UNCLASSIFIED, "error": reason}
    return document.model_copy(update=update)


def _finish(document: Document, found: tuple[list, list[str]] | None) -> Extraction:
    """The extraction from a reader's (records, notes); a kind without a reader says so."""
    if found is None:
        return Extraction(document=document, notes=[f"no reader for {document.kind.value} yet"])
    records, notes = found
    if not records:
        notes = [*notes, "no records found"]
    return Extraction(document=document, records=records, notes=notes)


def _read_pdf(path: Path, document: Document, origin: Origin) -> tuple[Extraction, object]:
    """The extraction, and the PdfDocument when it was opened (templates reuse it: a scan is
    read by OCR once)."""
    from extractors.pdf.document import check_opens, open_pdf

    pages = check_opens(path)
    verdict = classify_pdf(path)
    opened = None
    if verdict.reason == Reason.IMAGE_ONLY:  # a scan: judge it by the words OCR reads
        opened = open_pdf(path, checked_pages=pages)
        verdict = classify_text(" ".join(line.text for line in opened.pages[0].lines))
    doc = _classified(document, verdict.kind, verdict.confidence, verdict.reason, pages)
    read = registry.PDF_READERS.get(verdict.kind)
    if doc.status == DocumentStatus.UNCLASSIFIED:
        return Extraction(document=doc), opened
    if read is None:
        return _finish(doc, None), opened
    opened = opened or open_pdf(path, checked_pages=pages)
    return _finish(doc, read(opened, origin)), opened


def _read_image(path: Path, document: Document, origin: Origin) -> tuple[Extraction, object]:
    """A photo or image scan: every image read by OCR as a scanned page, then judged and read
    by the same readers as a scanned PDF (`extractors.image`)."""
    from extractors.image import open_image
    from extractors.sniff import image_kind

    with path.open("rb") as fh:
        kind = image_kind(fh.read(16))
    opened, how = open_image(path, kind)
    if not any(p.words for p in opened.pages):  # read, but nothing printed: not evidence
        return Extraction(document=_classified(document, DocumentKind.UNKNOWN, 0.0,
                                               "an image on which OCR read no text",
                                               len(opened.pages)), notes=how), opened
    texts = [" ".join(line.text for line in p.lines) for p in opened.pages[:LOOK_AHEAD]]
    verdict = classify_text(texts[0])
    if verdict.kind == DocumentKind.UNKNOWN and len(texts) > 1:  # as for a PDF: results on p. 2
        verdict = classify_text("\n".join(texts))
    doc = _classified(document, verdict.kind, verdict.confidence, verdict.reason, len(opened.pages))
    if doc.status == DocumentStatus.UNCLASSIFIED:
        return Extraction(document=doc, notes=how), opened
    read = registry.PDF_READERS.get(verdict.kind)
    extraction = _finish(doc, read(opened, origin) if read else None)
    return extraction.model_copy(update={"notes": [*how, *extraction.notes]}), opened


def _not_an_image(path: Path, fmt: str) -> None:
    """A file named as an image whose content is no image: broken or mislabelled, not a table
    (a PDF, workbook, OFD or XML so named is still read by its content)."""
    from extractors.image import SUFFIXES

    if path.suffix.lower() in SUFFIXES and fmt in ("other", "csv"):
        with path.open("rb") as fh:
            head = fh.read(8)
        raise Unreadable(Reason.CORRUPT_IMAGE, f"named {path.suffix} but its content is not a "
                         f"JPEG, PNG, HEIC or TIFF image (it starts {head!r})")


TABLE_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv", ".tsv")


def _not_a_table(path: Path, fmt: str) -> None:
    """A file named as a workbook or text table whose content is neither: cut short or damaged
    on the way, not a document of some other kind, so it is unreadable with what was seen."""
    if path.suffix.lower() not in TABLE_SUFFIXES or fmt != "other":
        return
    with path.open("rb") as fh:
        head = fh.read(4096)
    if head.startswith(b"PK"):
        seen = "its zip package is cut short or damaged"
    elif b"\x00" in head:
        seen = ("its text holds NUL bytes (a damaged export, or UTF-16 text without its "
                "byte-order mark)")
    else:
        seen = f"its content is neither a workbook nor a text table (it starts {head[:8]!r})"
    raise Unreadable(Reason.CORRUPT_SPREADSHEET, f"named {path.suffix}, but {seen}")


def _read_sheets(path: Path, fmt: str, document: Document, origin: Origin) -> Extraction:
    from extractors.sheets.grid import read_sheets

    try:
        sheets = read_sheets(path, fmt)
    except Exception as exc:  # openpyxl/calamine/csv raise many types on broken files
        raise Unreadable(Reason.CORRUPT_SPREADSHEET, f"{type(exc).__name__}: {exc}") from exc
    cut = "; ".join(f"sheet {s.name!r}: {s.cut}" for s in sheets if s.cut)
    if cut:  # a cap left data unread: the verifier is told which and how much
        document = document.model_copy(update={"unread": cut})
    verdict = classify_loaded(sheets)
    doc = _classified(document, verdict.kind, verdict.confidence, verdict.reason)
    if doc.status == DocumentStatus.UNCLASSIFIED:
        return Extraction(document=doc)
    if verdict.kind in registry.FILE_READERS:
        read = registry.FILE_READERS[verdict.kind]
        return _finish(doc, read(path, origin) if read else None)
    read = registry.SHEET_READERS.get(verdict.kind)
    return _finish(doc, read(sheets, origin) if read else None)


def _read_native(path: Path, fmt: str, document: Document, origin: Origin) -> Extraction:
    """An XML or OFD file (数电 e-invoice exports): judged by content, read by format and kind."""
    verdict, pages = classify_native(path, fmt)
    doc = _classified(document, verdict.kind, verdict.confidence, verdict.reason, pages)
    if doc.status == DocumentStatus.UNCLASSIFIED:
        return Extraction(document=doc)
    read = registry.NATIVE_READERS.get(fmt, {}).get(verdict.kind)
    return _finish(doc, read(path, origin) if read else None)


def extract_file(path: Path, document: Document, templates: tuple[Path, ...] = ()) -> Extraction:
    """Classify and read one file; any failure to read it is an unreadable Document with why.
    Supplier templates (from the `templates` folders, then the shipped ones) complete what a
    PDF reader missed."""
    return read_file(path, document, templates)[0]


def read_file(path: Path, document: Document,
              templates: tuple[Path, ...] = ()) -> tuple[Extraction, object | None]:
    """`extract_file`, also handing back the PdfDocument when a PDF was opened (so `--explain`
    looks at the same pages without reading a scan by OCR again)."""
    path = Path(path)
    if document.status == DocumentStatus.UNREADABLE:
        return Extraction(document=document), None
    origin = Origin(document.file, document.sha256)
    try:
        fmt = file_format(path)
        if fmt == "empty":
            raise Unreadable(Reason.EMPTY)
        if fmt == "pdf":
            extraction, opened = _read_pdf(path, document, origin)
            return with_templates(extraction, path, origin, templates, opened), opened
        if fmt == "image":
            extraction, opened = _read_image(path, document, origin)
            return with_templates(extraction, path, origin, templates, opened), opened
        _not_an_image(path, fmt)
        _not_a_table(path, fmt)
        if fmt in ("xlsx", "xls", "csv"):
            return _read_sheets(path, fmt, document, origin), None
        if fmt in ("xml", "ofd"):
            return _read_native(path, fmt, document, origin), None
        return Extraction(document=_classified(document, DocumentKind.UNKNOWN, 0.0,
                                               "not a PDF, image or spreadsheet")), None
    except Unreadable as exc:
        return unreadable(document, str(exc)), None
    except Exception as exc:  # a reader failing on odd input must not stop the run
        return unreadable(document, f"could not be read: {type(exc).__name__}: {exc}"), None


def document_for(path: Path) -> Document:
    """A Document for a file read on its own (the `extract FILE` command)."""
    from extractors.discover import sha256_of

    path = Path(path)
    return Document(file=path.name, sha256=sha256_of(path), size=path.stat().st_size)


def cli_json(path: Path, templates: tuple[Path, ...] = ()) -> str:
    """The records one file yields, with its document and notes, as JSON."""
    result = extract_file(Path(path), document_for(Path(path)), templates)
    return json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2)
