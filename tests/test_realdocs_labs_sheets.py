"""Real lab certificates and spreadsheet edge cases (tests/realdocs/labs, sheets; MANIFEST rows):
each either read with its values asserted or refused with a reason a verifier understands."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors import extract_file
from extractors.read import document_for
from verify.model.records import DocumentKind, DocumentStatus

REAL = Path(__file__).resolve().parent / "realdocs"

# file -> the words the reason must show (read by eye from the certificate's first page)
CERTIFICATES = {
    "labs/cc_okctl-coa.pdf": ("certi×cate of analysis", "analyte", "laboratory"),
    "labs/gtl_Pineapple-XX-5-13-2129146.pdf": ("certificate of analysis", "loq", "laboratories"),
    "labs/mcr-labs-ma-4pgs.pdf": ("test report", "analyte", "laboratory"),
    "labs/tagleaf_BCL-211214-151.pdf": ("certificate of analysis", "analyte", "laboratory"),
}

# file -> the first header-like row the reason quotes (the docling tables of MANIFEST.tsv)
TABLES = {
    "sheets/legacy_sample.xls": "sheet 'Duck Observations' row 4: Year / Freshwater Ducks",
    "sheets/xlsx_05_table_with_title.xlsx": "sheet 'Duck Observations' row 4: Year / Freshwater Ducks",
    "sheets/xlsx_06_edge_cases_.xlsx": "sheet 'missing_header_head' row 1: Sub-category / ID / "
                                       "Question / Answer / Extra",
    "sheets/xlsx_09_section_label_header.xlsx": "sheet 'Library Catalog' row 2: # / Genre / "
                                                "Sub-Genre / Title / Author / Publisher",
}


def _read(name: str):
    path = REAL / name
    return extract_file(path, document_for(path))


@pytest.mark.parametrize("name", sorted(CERTIFICATES))
def test_non_fuel_certificate_is_named_a_lab_report_not_verified(name):
    result = _read(name)
    doc = result.document
    assert (doc.kind, doc.status, result.records) == (DocumentKind.UNKNOWN,
                                                      DocumentStatus.UNCLASSIFIED, [])
    assert doc.error.startswith("a laboratory report of a kind this verification does not use")
    assert "no calorific value, carbon or gas composition printed" in doc.error
    shown = doc.error.split("(found ", 1)[1].split(";", 1)[0].split(", ")
    assert shown == list(CERTIFICATES[name])


@pytest.mark.parametrize("name", sorted(TABLES))
def test_generic_table_is_refused_with_the_header_it_saw(name):
    result = _read(name)
    doc = result.document
    assert (doc.kind, doc.status, result.records) == (DocumentKind.UNKNOWN,
                                                      DocumentStatus.UNCLASSIFIED, [])
    assert doc.error.startswith("a table that names no fuel, material, product, stock movement")
    assert TABLES[name] in doc.error


def test_table_with_a_meter_like_word_is_refused_saying_what_it_resembles():
    """xlsx_07 prints 'date' headers (a meter record's word) and no gas: unclear, not misread."""
    result = _read("sheets/xlsx_07_gap_tolerance_.xlsx")
    assert result.document.kind == DocumentKind.UNKNOWN and result.records == []
    error = result.document.error
    assert error.startswith("no clear kind: it shows too little of any evidence kind"), error
    assert "closest meter record 33%" in error and "_" not in error.split("closest")[1]
