"""The floors a run is measured against, on the same files: reading the text and nothing more.

B0: pdfplumber `extract_text` over every PDF page, and openpyxl's load of every workbook.
B1: pypdfium2's text layer over every PDF page (the practical floor), the same workbook load.
A file either library refuses is counted and skipped (a bundle may hold damaged files on purpose).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

WORKBOOKS = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class Floor:
    seconds: float
    pdfs: int
    pages: int
    workbooks: int
    refused: int


def evidence_files(bundles: Iterable[Path]) -> list[Path]:
    """Every PDF and workbook of the bundles, in a stable order."""
    return sorted(p for b in bundles for p in Path(b).rglob("*")
                  if p.is_file() and p.suffix.lower() in (".pdf", *WORKBOOKS))


def _pdfplumber_pages(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
        return len(pdf.pages)


def _pdfium_pages(path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        for page in pdf:
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
        return len(pdf)
    finally:
        pdf.close()


def _workbook(path: Path) -> None:
    import openpyxl

    openpyxl.load_workbook(path, data_only=True).close()


def read_all(files: list[Path], pdf_reader) -> Floor:
    t0 = time.perf_counter()
    pdfs = pages = books = refused = 0
    for path in files:
        try:
            if path.suffix.lower() == ".pdf":
                pages += pdf_reader(path)
                pdfs += 1
            else:
                _workbook(path)
                books += 1
        except Exception:  # a damaged file in the bundle: the floor does not read it either
            refused += 1
    return Floor(time.perf_counter() - t0, pdfs, pages, books, refused)


def b0(files: list[Path]) -> Floor:
    return read_all(files, _pdfplumber_pages)


def b1(files: list[Path]) -> Floor:
    return read_all(files, _pdfium_pages)
