"""Where OCR plugs in: words for a page that has no text layer.

No OCR engine is wired yet, so a scanned page yields no words and the document is reported as
image-only. An engine returns `Word`s (with `Provenance.ocr` set by the caller) from here.
"""

from __future__ import annotations

from pathlib import Path

from extractors.pdf.words import Word


def ocr_words(path: Path, page_no: int) -> list[Word] | None:
    """Words recognised on a scanned page, or None when no OCR engine is available."""
    return None
