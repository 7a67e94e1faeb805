"""A sheet longer or wider than the reader's caps is read up to them and the document says
what was not read, so DOC-UNREADABLE names it: no row is lost silently."""

from __future__ import annotations

import csv
from pathlib import Path

from extractors.read import document_for, extract_file
from extractors.sheets.grid import MAX_COLS, MAX_ROWS
from verify.model.records import DocumentKind

HEADER = ["No.", "Invoice No", "Invoice Date", "Seller Name", "Description", "Unit", "Quantity",
          "Unit Price", "Amount", "Tax Rate", "Tax Amount", "Total incl. VAT"]


def _register(path: Path, rows: int, extra_columns: int = 0) -> Path:
    """An input-VAT register of `rows` one-line invoices of 10 t coke at 2,000."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(HEADER + [f"note {i}" for i in range(extra_columns)])
        for i in range(1, rows + 1):
            out.writerow([str(i), f"INV-{i:05d}", "2025-03-04", "Northern Coal Ltd.", "Coke", "t",
                          "10", "2,000", "20,000.00", "13%", "2,600.00", "22,600.00"]
                         + ["x"] * extra_columns)
    return path


def _read(path: Path):
    return extract_file(path, document_for(path))


def test_a_register_within_the_cap_is_read_whole(tmp_path):
    got = _read(_register(tmp_path / "short.csv", rows=120))
    assert got.document.kind == DocumentKind.FUEL_INVOICE and got.document.unread is None
    assert len(got.records) == 120


def test_rows_past_the_cap_are_named_as_not_read(tmp_path):
    got = _read(_register(tmp_path / "long.csv", rows=MAX_ROWS + 200))
    assert got.document.kind == DocumentKind.FUEL_INVOICE
    assert got.document.unread == f"sheet 'long': rows after {MAX_ROWS} (the sheet reader's limit)"
    assert len(got.records) == MAX_ROWS - 1  # the header is the cap's first row


def test_columns_past_the_cap_are_named_as_not_read(tmp_path):
    got = _read(_register(tmp_path / "wide.csv", rows=3, extra_columns=MAX_COLS))
    assert "columns after" in (got.document.unread or "")
    assert len(got.records) == 3
