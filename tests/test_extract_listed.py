"""Invoice lists (XLSX/CSV) and production reports (PDF) read field by field equal to the truth.

The sample bundle and generated bundles give the documents the generator makes; an English
production report is rendered with the generator's own template (the sample's is Chinese).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from truth_compare import _clean, diff

from extractors.discover import discover
from extractors.read import extract_file
from verify.model.records import Document, DocumentKind

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "fixtures" / "sample" / "truth.json"
LAYOUTS = ("xlsx_list", "prod_pdf")


def _layout_diffs(truth_path: Path) -> tuple[int, list[str]]:
    """Documents of the layouts under test in one bundle, and every difference from the truth."""
    truth = json.loads(truth_path.read_text("utf-8"))
    bundle = discover(truth_path.parent / "bundle")
    by_file = {doc.file: (doc, path) for doc, path in bundle.entries}
    seen, problems = 0, []
    for want in truth["documents"]:
        if want["layout"] not in LAYOUTS:
            continue
        seen += 1
        doc, path = by_file[want["file"]]
        got = extract_file(path, doc)
        if got.document.kind.value != want["kind"]:
            problems.append(f"{want['file']}: kind {got.document.kind.value} ({got.document.error})")
        records = [_clean(r.model_dump(mode="json")) for r in got.records]
        problems += [f"{want['file']}: {d}" for d in diff(records, want["records"], "records")]
        problems += [f"{want['file']}: {p}" for p in _missing_provenance(got.records)]
    return seen, problems


def _missing_provenance(records: list) -> list[str]:
    """Fields read without a cell or a word box of their own."""
    missing = []
    for rec in records:
        for item in [rec, *getattr(rec, "lines", [])]:
            for name, value in item:
                if name in ("source", "sources", "lines", "currency", "stream", "daily_rows") \
                        or value is None or (name == "unit" and "unit" not in item.sources):
                    continue
                where = item.sources.get(name)
                if where is None or (where.cell is None and where.bbox is None):
                    missing.append(f"{type(item).__name__}.{name} has no provenance")
    return missing


@pytest.mark.skipif(not SAMPLE.exists(), reason="fixtures/sample not generated yet")
def test_sample_invoice_list_and_production_pdf_match_truth():
    seen, problems = _layout_diffs(SAMPLE)
    assert seen >= 2
    assert not problems, "\n".join(problems)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_invoice_lists_and_production_pdfs_match_truth(tmp_path, seed):
    cmd = [sys.executable, "-m", "fixtures", "generate", "--seed", str(seed), "--facilities", "1",
           "--months", "1", "--defects", "none", "--lang", "mixed", str(tmp_path)]
    subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
    _, problems = _layout_diffs(next(tmp_path.rglob("truth.json")))
    assert not problems, "\n".join(problems)


def _extract(path: Path):
    return extract_file(path, Document(file=path.name, sha256="0" * 64, size=path.stat().st_size))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_generator_production_report_pdf_reads_as_truth(tmp_path, lang):
    from fixtures.generate.model import DailySeries, Doc
    from fixtures.generate.records import for_doc
    from fixtures.generate.render_pdf import render

    days = [dt.date(2025, 4, d) for d in range(1, 31)]
    series = DailySeries("2025-04", days, {
        "crude_steel": [Decimal("612.4")] * 30, "pig_iron": [Decimal("560.15")] * 30,
        "sinter": [Decimal("901.3")] * 30, "coke": [Decimal("180.05")] * 30}, {})
    doc = Doc("production_record", "prod_pdf", lang, series, "2025-04", org="Hebei Steel Co., Ltd.")
    path = tmp_path / "report.pdf"
    path.write_bytes(render(doc, random.Random(7)))
    got = _extract(path)
    assert got.document.kind == DocumentKind.PRODUCTION_RECORD, got.document.error
    records = [_clean(r.model_dump(mode="json")) for r in got.records]
    assert diff(records, for_doc(doc), "records") == []
    assert not _missing_provenance(got.records)
    assert all(r.sources["quantity"].page == 1 for r in got.records)


def test_english_invoice_list_csv_groups_rows_by_number(tmp_path):
    path = tmp_path / "register.csv"
    rows = [["Input VAT invoice register"], [],
            ["No.", "Invoice No", "Invoice Date", "Seller Name", "Description", "Unit",
             "Quantity", "Unit Price", "Amount", "Tax Rate", "Tax Amount", "Total incl. VAT"],
            ["1", "INV-7781", "2025-03-04", "Northern Coal Ltd.", "Washed coal", "t", "1,000.00",
             "1,500.00", "1,500,000.00", "13%", "195,000.00", "1,695,000.00"],
            ["2", "INV-7781", "2025-03-04", "Northern Coal Ltd.", "Coke", "t", "10", "2,000",
             "20,000.00", "13%", "2,600.00", "22,600.00"],
            ["3", "INV-7790", "2025-03-09", "Gas Supply Co.", "Natural gas", "Nm3", "5000", "3.2",
             "16,000.00", "9%", "1,440.00", "17,440.00"],
            ["Total", "", "", "", "", "", "", "", "1,536,000.00", "", "199,040.00", ""]]
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    got = _extract(path)
    assert got.document.kind == DocumentKind.FUEL_INVOICE, got.document.error
    first, second = got.records
    assert (first.number, second.number) == ("INV-7781", "INV-7790")
    assert [ln.stream for ln in first.lines] == ["washed_coal", "coke"]
    assert first.total_with_tax == pytest.approx(1_717_600.0)  # per-line totals, summed
    assert first.sources["total_with_tax"].cell == "register!L4:L5"
    assert first.lines[1].sources["quantity"].cell == "register!G5"
    assert first.date == dt.date(2025, 3, 4) and first.seller == "Northern Coal Ltd."
    assert second.lines[0].tax_rate == pytest.approx(0.09)
    assert not _missing_provenance(got.records)


def test_production_and_stock_sheets_are_never_invoice_lists(tmp_path):
    from extract_docs import production_xlsx, stock_xlsx

    assert _extract(production_xlsx(tmp_path / "p.xlsx")).document.kind == DocumentKind.PRODUCTION_RECORD
    assert _extract(stock_xlsx(tmp_path / "s.xlsx")).document.kind == DocumentKind.STOCK_RECORD
