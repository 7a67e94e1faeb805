"""Open a PDF once, explicitly, and read every page's words, lines and ruled tables.

"Unreadable" is decided here, from the open itself (password, corrupt, truncated, no text),
never later from "no table found": camelot returns nothing on a truncated file, silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from extractors.caps import active, how_to_raise
from extractors.pdf.lines import Line, group_lines
from extractors.pdf.ocr import needs_ocr, ocr_words
from extractors.pdf.words import Word, join_lines, page_words
from verify.model.errors import Reason, Unreadable


@dataclass
class Page:
    """One page: number (1-based), size, words and lines, and ruled tables as cell grids."""

    number: int
    width: float
    height: float
    words: list[Word]
    lines: list[Line]
    tables: list[list[list[Word | None]]] = field(default_factory=list)
    scanned: bool = False


@dataclass
class PdfDocument:
    path: Path
    pages: list[Page]

    @property
    def scanned(self) -> bool:
        return all(p.scanned for p in self.pages)


def _is_password_error(exc: BaseException) -> bool:
    """Whether pdfminer or pdfium failed because the file is encrypted."""
    name = type(exc).__name__
    return "Password" in name or "Encryption" in name or "password" in str(exc).lower()


def check_opens(path: Path) -> int:
    """The page count, after an explicit open with pdfium; raises Unreadable with the reason."""
    import pypdfium2 as pdfium

    if path.stat().st_size == 0:
        raise Unreadable(Reason.EMPTY)
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if _is_password_error(exc):
            raise Unreadable(Reason.ENCRYPTED) from exc
        raise Unreadable(Reason.CORRUPT_PDF, str(exc)) from exc
    try:
        return len(pdf)
    finally:
        pdf.close()


def _ruled_tables(page, page_no: int) -> list[list[list[Word | None]]]:
    """Tables drawn with lines, each a grid of cells (a Word with the cell's box, or None)."""
    grids = []
    for table in page.find_tables({"vertical_strategy": "lines", "horizontal_strategy": "lines"}):
        texts = table.extract()
        grid = []
        for row, row_texts in zip(table.rows, texts, strict=False):
            cells = []
            for box, text in zip(row.cells, row_texts, strict=False):
                if box is None or text is None:
                    cells.append(None)
                else:
                    x0, top, x1, bottom = box
                    cells.append(Word(join_lines(text), x0, top, x1, bottom, page_no))
            grid.append(cells)
        grids.append(grid)
    return grids


def _image_area(page) -> float:
    """Area the page's images cover (overlaps counted once per image; enough to tell a scan)."""
    return sum(max(0.0, float(i["x1"]) - float(i["x0"])) * max(0.0, float(i["bottom"]) - float(i["top"]))
               for i in page.images)


def _overlaps(a: Word, b: Word) -> bool:
    return min(a.x1, b.x1) > max(a.x0, b.x0) and min(a.bottom, b.bottom) > max(a.top, b.top)


def _read_page(path: Path, page, page_no: int) -> Page:
    """Words, lines and ruled tables of one pdfplumber page (then its caches are freed)."""
    try:
        words, turned = page_words(page, page_no)
        scanned = needs_ocr(sum(len(w.text) for w in words), _image_area(page),
                            float(page.width) * float(page.height))
        if scanned:  # OCR words, and any printed words OCR did not also read
            read = ocr_words(path, page_no) or []
            words = read + [w for w in words if not any(_overlaps(w, o) for o in read)] \
                if read else words
        ruled = words and not turned and (page.rects or page.lines)
        tables = _ruled_tables(page, page_no) if ruled else []
        return Page(page_no, float(page.width), float(page.height), words,
                    group_lines(words), tables, scanned and not words)
    finally:
        page.close()


def _read_pages(path: Path, source) -> list[Page]:
    """Every page read from `source` (the file, or a repaired copy of it in memory); OCR and
    page images always come from the file itself."""
    import pdfplumber

    with pdfplumber.open(source) as pdf:
        return [_read_page(path, p, i + 1) for i, p in enumerate(pdf.pages)]


def _read_repaired(path: Path, failure: Exception) -> list[Page]:
    """The pages of a PDF that pdfium opened but pdfminer did not (a broken xref table, a
    startxref pointing nowhere): pdfium writes the document again with a fresh cross-reference
    table, and that copy is read. Boxes and pages are the same as in the file."""
    import io

    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
        copy = io.BytesIO()
        try:
            pdf.save(copy)
        finally:
            pdf.close()
        copy.seek(0)
        return _read_pages(path, copy)
    except Unreadable:
        raise
    except Exception:  # the copy fails too: the first reason is the one to tell
        raise Unreadable(Reason.CORRUPT_PDF, f"{type(failure).__name__}: {failure}") from failure


def open_pdf(path: Path, max_pages: int | None = None,
             checked_pages: int | None = None) -> PdfDocument:
    """Every page of a PDF read once; raises Unreadable with the reason when it cannot be.
    `checked_pages` is the page count of a `check_opens` the caller already made."""
    n_pages = checked_pages if checked_pages is not None else check_opens(path)
    max_pages = max_pages or active().pages
    if n_pages > max_pages:
        raise Unreadable(Reason.TOO_LARGE,
                         f"{n_pages} pages (limit {max_pages}; {how_to_raise('pages')})")
    try:
        pages = _read_pages(path, path)
    except Unreadable:
        raise
    except Exception as exc:  # pdfminer raises many types on broken files
        if _is_password_error(exc):
            raise Unreadable(Reason.ENCRYPTED) from exc
        pages = _read_repaired(path, exc)
    if not any(p.words for p in pages):
        raise Unreadable(Reason.IMAGE_ONLY if any(p.scanned for p in pages) else Reason.NO_TEXT)
    return PdfDocument(path, pages)
