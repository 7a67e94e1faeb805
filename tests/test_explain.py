"""`extract --explain`: where each value of a generated invoice and lab report was found, and
why a value left unprinted was not; the template keywords a document lacks; sheet!cell."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from extract_docs import bulk_fuels_bill, erase_text, render
from typer.testing import CliRunner

from extractors.explain import explain_file
from verify.cli import app

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[Path, dict]:
    """A one-month bundle from the generator, and its truth."""
    out = tmp_path_factory.mktemp("gen")
    subprocess.run([sys.executable, "-m", "fixtures", "generate", "--seed", "3", "--facilities",
                    "1", "--months", "1", "--defects", "none", str(out)],
                   check=True, capture_output=True, cwd=ROOT)
    truth_file = next(out.rglob("truth.json"))
    return truth_file.parent / "bundle", json.loads(truth_file.read_text("utf-8"))


def _doc(generated, *layouts: str) -> tuple[Path, dict]:
    """The first upright, text-layer PDF of one of the layouts, and its first record's truth."""
    bundle, truth = generated
    doc = next(d for d in truth["documents"] if d.get("layout") in layouts and not d["rotated"]
               and not d["scanned"] and d["file"].endswith(".pdf"))
    return bundle / doc["file"], doc["records"][0]


def _found(explanation) -> dict:
    return {f.field: f for view in explanation.records for f in view.found}


def _missing(explanation) -> dict:
    return {m.field: m.reason for view in explanation.records for m in view.missing}


def test_generated_vat_invoice_every_value_found_with_its_box(generated):
    path, truth = _doc(generated, "cn_vat")
    explanation = explain_file(path)
    found = _found(explanation)
    assert found["number"].value == truth["number"] == found["number"].where.text
    assert found["code"].value == truth["code"]
    assert found["date"].value == truth["date"] and "年" in found["date"].where.text
    assert found["seller"].value == truth["seller"]
    assert found["lines[1].quantity"].where.page == 1
    x0, top, x1, bottom = found["number"].where.bbox
    assert 0 < x0 < x1 and 0 < top < bottom
    assert _missing(explanation) == {}
    assert not explanation.templates_consulted


def test_generated_vat_invoice_date_value_unprinted(generated, tmp_path):
    path, truth = _doc(generated, "cn_vat")
    printed = next(f.where.text for f in explain_file(path).records[0].found if f.field == "date")
    why = _missing(explain_file(erase_text(path, tmp_path / "no-date.pdf", (printed,))))
    assert list(why) == ["date"]
    assert why["date"].startswith("label '开票日期：' seen on page 1 at [")
    assert "is not an acceptable date" in why["date"] or "nothing right of it" in why["date"]


def test_generated_vat_invoice_date_label_and_value_unprinted(generated, tmp_path):
    path, _ = _doc(generated, "cn_vat")
    printed = next(f.where.text for f in explain_file(path).records[0].found if f.field == "date")
    erased = erase_text(path, tmp_path / "no-date-label.pdf", (printed, "开票日期："))
    why = _missing(explain_file(erased))
    assert why["date"].startswith("no label seen on page 1; looked for 'invoice date'")
    assert "'开票日期'" in why["date"]


def test_generated_lab_report_found_and_missing(generated, tmp_path):
    path, truth = _doc(generated, "lab_cn_table", "lab_batch")  # a batch: one report a page
    found = {f.field: f for f in explain_file(path).records[0].found}
    assert found["report_no"].value == truth["report_no"]
    ncv = next(r for r in truth["results"] if r["parameter"] == "ncv")
    assert float(found["results[ncv/ar].value"].value) == ncv["value"]
    sampled = found["sampling_date"].where.text
    carbon = found["results[carbon/ar].value"].where.text
    erased = explain_file(erase_text(path, tmp_path / "lab.pdf", (sampled, carbon)))
    why = {m.field: m.reason for m in erased.records[0].missing}
    assert why["sampling_date"].startswith("label '采样日期' seen on page 1 at [")
    assert "next to it is not an acceptable date" in why["sampling_date"]
    assert why["results[carbon]"].startswith("label '元素碳' seen on page 1")
    assert "but no value read from its line '元素碳" in why["results[carbon]"]


def test_explain_on_the_terminal_names_boxes_and_template(tmp_path):
    path = render(bulk_fuels_bill(), tmp_path / "bill.pdf")
    result = CliRunner().invoke(app, ["extract", str(path), "--explain"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "FuelInvoice 1: YBF/25/0317  (template yanshan_bulk_fuels.yml)" in out
    assert "p1 [127.6, 100.4, 179.6, 109.4]" in out and "2.932.893,53" in out
    assert "yanshan_bulk_fuels.yml (Yanshan Bulk Fuels): applied" in out


def test_explain_says_which_template_keyword_is_not_printed(tmp_path):
    path = render(bulk_fuels_bill(title="PROFORMA"), tmp_path / "proforma.pdf")
    explanation = explain_file(path)
    [view] = [t for t in explanation.templates if t.file == "yanshan_bulk_fuels.yml"]
    assert (view.applied, view.missing_keywords) == (False, ("DELIVERY BILL",))
    out = CliRunner().invoke(app, ["extract", str(path), "--explain"]).stdout
    assert "unknown, unclassified" in out
    assert "yanshan_bulk_fuels.yml (Yanshan Bulk Fuels): not applied: keywords not printed " \
           "'DELIVERY BILL'" in out


def test_explain_a_spreadsheet_shows_sheet_and_cell(generated):
    bundle, truth = generated
    doc = next(d for d in truth["documents"] if d["kind"] == "stock_record")
    out = CliRunner().invoke(app, ["extract", str(bundle / doc["file"]), "--explain"]).stdout
    found = _found(explain_file(bundle / doc["file"]))
    cells = {f.where.cell for f in found.values()}
    assert cells and all("!" in c for c in cells)
    assert next(iter(sorted(cells))) in out
