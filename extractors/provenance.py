"""Stamping provenance: which file, page and box (or cell) a value was read from."""

from __future__ import annotations

from dataclasses import dataclass

from extractors.pdf.words import Word
from verify.model.records import Provenance


@dataclass(frozen=True)
class Origin:
    """The document being read: its relative path and SHA-256."""

    file: str
    sha256: str

    def at_word(self, word: Word) -> Provenance:
        """Provenance of a value read from a word (or merged words) on a PDF page."""
        return Provenance(file=self.file, sha256=self.sha256, page=word.page,
                          bbox=tuple(round(v, 2) for v in word.where),
                          text=word.text, ocr=word.conf is not None,
                          confidence=None if word.conf is None else round(word.conf, 3))

    def at_cell(self, sheet: str, ref: str, text: str) -> Provenance:
        """Provenance of a value read from a spreadsheet cell ("Sheet!B7")."""
        return Provenance(file=self.file, sha256=self.sha256, cell=f"{sheet}!{ref}", text=text)

    def at_path(self, path: str, text: str) -> Provenance:
        """Provenance of a value read from an XML element: its XPath-like locator as the cell."""
        return Provenance(file=self.file, sha256=self.sha256, cell=path, text=text)

    def at_page(self, page: int | None = 1, text: str = "") -> Provenance:
        """Provenance of a whole record: the document and its first page."""
        return Provenance(file=self.file, sha256=self.sha256, page=page, text=text)
