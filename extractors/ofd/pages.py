"""OFD pages as the PDF readers' pages: words in points, grouped into lines, no ruled tables.

A verifier's provenance for a value read this way is the page and the box in points, the same
as for a PDF, so one viewer convention serves both.
"""

from __future__ import annotations

from pathlib import Path

from extractors.ofd.package import OfdDocument, OfdPage
from extractors.ofd.text import MM, content_words
from extractors.pdf.document import Page, PdfDocument
from extractors.pdf.lines import group_lines
from extractors.pdf.words import Word
from verify.model.errors import Reason, Unreadable


def on_page(word: Word, width: float, height: float) -> bool:
    """Whether a word stands (at least partly) inside the page: real exports carry objects
    placed below the page's box, which no viewer shows and no printer prints."""
    return word.x1 > 0 and word.x0 < width and word.bottom > 0 and word.top < height


def page_of(page: OfdPage) -> Page:
    """One OFD page (its template pages' text included) as a PDF reader's Page."""
    _, _, width, height = page.box
    words = [w for _, root in page.layers for w in content_words(root, page.number)
             if on_page(w, width * MM, height * MM)]
    return Page(page.number, width * MM, height * MM, words, group_lines(words))


def page_text(page: OfdPage) -> str:
    """The words of a page, line by line (for classification)."""
    return "\n".join(line.text for line in page_of(page).lines)


def as_pdf_document(ofd: OfdDocument, path: Path) -> PdfDocument:
    """Every page of an OFD document for the PDF readers; raises Unreadable without text."""
    pages = [page_of(p) for p in ofd.pages]
    if not any(p.words for p in pages):
        raise Unreadable(Reason.NO_TEXT, "an OFD document without text objects")
    return PdfDocument(Path(path), pages)
