"""A sheet longer or wider than the reader's caps is read up to them and the document says
what was not read, so DOC-UNREADABLE names it: no row is lost silently."""

from __future__ import annotations

import csv
from pathlib import Path

from extractors.caps import active
from extractors.read import document_for, extract_file
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


MAX_ROWS, MAX_COLS = active().sheet_rows, active().sheet_cols


def test_rows_past_the_cap_are_named_as_not_read(tmp_path):
    got = _read(_register(tmp_path / "long.csv", rows=MAX_ROWS + 200))
    assert got.document.kind == DocumentKind.FUEL_INVOICE
    assert got.document.unread == (
        f"sheet 'long': rows after {MAX_ROWS} (the sheet_rows cap: raise it with --threshold "
        "sheet_rows=N or sheet_rows in bundle.toml [caps])")
    assert len(got.records) == MAX_ROWS - 1  # the header is the cap's first row


def test_columns_past_the_cap_are_named_as_not_read(tmp_path):
    got = _read(_register(tmp_path / "wide.csv", rows=3, extra_columns=MAX_COLS))
    assert "columns after" in (got.document.unread or "")
    assert len(got.records) == 3


# --- the caps are the run's: data/caps.toml, bundle.toml [caps], --threshold --------------------


def test_a_raised_row_cap_reads_the_whole_register_in_a_worker(tmp_path):
    from extractors.caps import with_overrides
    from extractors.worker import extract_many

    path = _register(tmp_path / "long.csv", rows=MAX_ROWS + 200)
    raised = with_overrides(active(), {"sheet_rows": MAX_ROWS + 500}, "--threshold")
    shipped = extract_many([(path, document_for(path))], workers=1)[0]
    wider = extract_many([(path, document_for(path))], workers=1, caps=raised)[0]
    assert "rows after" in (shipped.document.unread or "")
    assert wider.document.unread is None and len(wider.records) == MAX_ROWS + 200


def test_caps_from_the_bundle_and_the_command_line():
    from verify.domain.config import parse_bundle_config
    from verify.model.errors import RunError
    from verify.pipeline import RunOptions, caps_for, thresholds_for

    config = parse_bundle_config("[caps]\nsheet_rows = 20000\npages = 400\n")
    options = RunOptions(thresholds={"pages": 300, "lab_tolerance_pct": 1.0})
    chosen = caps_for(options, config)
    assert (chosen.sheet_rows, chosen.pages) == (20000, 300)  # the command line wins
    assert thresholds_for(config, options).lab_tolerance_pct == 1.0  # not a cap
    assert caps_for(options).sheet_rows == active().sheet_rows  # discovery: no bundle.toml yet
    refusals = {
        "[caps]\nworker_memory_mb = 99999\n": "worker_memory_mb can only be set on the command line",
        "[caps]\nbundle_files = 10\n": "bundle_files can only be set on the command line",
        "[caps]\nsheet_rows = 100000000\n": "sheet_rows = 100000000 is above its ceiling",
        "[caps]\nrows = 9\n": "unknown cap 'rows'",
        "[caps]\npages = 2.5\n": "pages = 2.5: give a whole number of at least 1",
    }
    for text, words in refusals.items():
        try:
            caps_for(RunOptions(), parse_bundle_config(text))
        except RunError as exc:
            assert words in str(exc) and "bundle.toml [caps]" in str(exc)
        else:
            raise AssertionError(f"accepted {text!r}")


def test_a_lowered_page_cap_names_itself(tmp_path):
    from extract_docs import en_invoice, render

    from extractors.caps import use, with_overrides

    html = en_invoice() + '<p style="page-break-before: always">p. 2</p>'
    path = render(html, tmp_path / "two.pdf")
    use(with_overrides(active(), {"pages": 1}, "--threshold"))
    try:
        got = extract_file(path, document_for(path))
    finally:
        use(None)
    assert got.document.status.value == "unreadable"
    assert "2 pages (limit 1; the pages cap: raise it with --threshold pages=N" in got.document.error


def test_the_file_count_cap_is_the_command_lines(tmp_path):
    from typer.testing import CliRunner

    from verify.cli import app

    bundle = tmp_path / "bundle"
    bundle.mkdir()
    for i in range(5):
        (bundle / f"note{i}.csv").write_text("a,b\n1,2\n", "utf-8")
    got = CliRunner().invoke(app, ["run", str(bundle), "--out", str(tmp_path / "out"),
                                   "--db", f"sqlite:///{tmp_path / 'r.db'}",
                                   "--threshold", "bundle_files=3"])
    assert got.exit_code == 2, got.output
    assert "more than 3 files" in got.output and "--threshold bundle_files=N" in got.output
