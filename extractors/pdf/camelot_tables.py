"""camelot as the last reader of goods tables, when pdfplumber's rows do not add up.

Lattice with the vector engine first (fast on vector-ruled PDFs), then stream. camelot returns
nothing on broken files, so it is only asked about files already opened explicitly.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

from extractors.pdf.tables import Row, grid_rows
from extractors.pdf.words import Word, join_lines

FLAVORS: tuple[tuple[str, dict], ...] = (("lattice", {"engine": "vector"}), ("stream", {}))


def _grid(table, page_no: int, page_height: float) -> list[list[Word | None]]:
    """A camelot table as a grid of Words with their cell boxes (top-left origin)."""
    grid = []
    for row in table.cells:
        cells: list[Word | None] = []
        for cell in row:
            text = join_lines(cell.text or "")
            top, bottom = page_height - cell.y2, page_height - cell.y1
            cells.append(Word(text, cell.x1, top, cell.x2, bottom, page_no) if text else None)
        grid.append(cells)
    return grid


def _tables(path: Path, page_no: int, flavor: str, options: dict) -> list:
    """camelot's tables on one page, or none when camelot fails on it."""
    import camelot

    logging.getLogger("camelot").setLevel(logging.ERROR)
    try:
        return list(camelot.read_pdf(str(path), pages=str(page_no), flavor=flavor,
                                     suppress_stdout=True, **options))
    except Exception:  # camelot raises many kinds on layouts it cannot parse
        return []


def _page_height(path: Path, page_no: int) -> float:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return float(pdf[page_no - 1].get_size()[1])
    finally:
        pdf.close()


def table_rows(path: Path, pages: list[int], section: str, numeric: tuple[str, ...],
               stop_keys: tuple[str, ...]) -> Iterator[tuple[str, list[Row]]]:
    """(reader name, rows) per camelot flavor over the pages of one PDF: the rows of every
    table whose header names columns of `section`, up to a row that starts with a stop key."""
    for flavor, options in FLAVORS:
        rows: list[Row] = []
        for page_no in pages:
            height = _page_height(path, page_no)
            for table in _tables(path, page_no, flavor, options):
                rows += grid_rows(_grid(table, page_no, height), section, numeric, stop_keys) or []
        yield f"camelot {flavor}", rows
