"""Scanned pages read by OCR: the same values as the text layer, stamped `ocr` with a confidence,
boxes where the text stands, and low confidence turned into a finding."""

from __future__ import annotations

import json
import math
import random
import subprocess
import sys
from pathlib import Path

import pytest
from extract_docs import cn_vat_invoice, en_invoice, render

from extractors.pdf.ocr import available
from extractors.read import document_for, extract_file
from fixtures.generate.render_pdf import scan
from fixtures.score import field_accuracy
from verify.model.records import DocumentKind, DocumentStatus
from verify.pipeline import RunOptions, run_bundle

pytestmark = pytest.mark.skipif(not available(), reason="OCR engine (rapidocr) not installed")

ROOT = Path(__file__).resolve().parents[1]
NUMERIC = ("quantity", "unit_price", "amount", "tax")


def _pair(tmp_path: Path, html: str, seed: int) -> tuple:
    """(text-layer extraction, scanned extraction) of one rendered document."""
    text_pdf = render(html, tmp_path / "text.pdf")
    scanned = tmp_path / "scan.pdf"
    scanned.write_bytes(scan(text_pdf.read_bytes(), random.Random(seed)))
    return (extract_file(text_pdf, document_for(text_pdf)),
            extract_file(scanned, document_for(scanned)))


def _centre(bbox) -> tuple[float, float]:
    return (bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2


def _on_scan(bbox, seed: int, width: float = 595.28, height: float = 841.89):
    """Where a text-layer box's centre stands on the scan `scan()` made with this seed: turned
    counter-clockwise about the page centre by the scanner's tilt."""
    theta = math.radians(random.Random(seed).uniform(-1.2, 1.2))  # scan()'s first draw
    (x, y), (cx, cy) = _centre(bbox), (width / 2, height / 2)
    dx, dy = x - cx, y - cy
    return (cx + dx * math.cos(theta) + dy * math.sin(theta),
            cy - dx * math.sin(theta) + dy * math.cos(theta))


@pytest.mark.parametrize("seed", [2, 15])  # tilted about 1.1 degrees: a 7 pt shift at the top
def test_scanned_chinese_invoice_reads_as_its_text_layer(tmp_path, seed):
    text, scanned = _pair(tmp_path, cn_vat_invoice(), seed)
    assert scanned.document.kind == DocumentKind.FUEL_INVOICE  # classified from the OCR words
    assert scanned.document.status == DocumentStatus.PARSED
    (want,), (got,) = text.records, scanned.records
    for name in ("number", "date", "seller", "buyer", "total_amount", "total_tax",
                 "total_with_tax", "total_with_tax_words"):
        assert getattr(got, name) == getattr(want, name), name
    assert [(ln.stream, *(getattr(ln, f) for f in NUMERIC)) for ln in got.lines] == \
        [(ln.stream, *(getattr(ln, f) for f in NUMERIC)) for ln in want.lines]
    for name, prov in [*got.sources.items(), *got.lines[0].sources.items()]:
        assert prov.ocr and 0 < prov.confidence <= 1, name
    # each box stands on the value's ink on the tilted scan (read straightened, pointed as printed)
    pairs = [(got.where(n), want.where(n)) for n in ("number", "total_with_tax")] + \
        [(got.lines[0].where(n), want.lines[0].where(n)) for n in NUMERIC]
    for scanned_at, printed_at in pairs:
        (x, y), (x0, y0) = _centre(scanned_at.bbox), _on_scan(printed_at.bbox, seed)
        assert abs(x - x0) < 4 and abs(y - y0) < 4, (scanned_at.text, scanned_at.bbox, (x0, y0))


def test_scanned_english_invoice(tmp_path):
    text, scanned = _pair(tmp_path, f'<div style="padding:12mm">{en_invoice()}</div>', 5)
    (want,), (got,) = text.records, scanned.records
    assert (got.date, got.total_with_tax, got.currency) == \
        (want.date, want.total_with_tax, want.currency)
    assert [tuple(getattr(ln, f) for f in NUMERIC) for ln in got.lines] == \
        [tuple(getattr(ln, f) for f in NUMERIC) for ln in want.lines]
    assert not text.records[0].where("total_with_tax").ocr


@pytest.fixture(scope="module")
def scanned_bundle(tmp_path_factory) -> Path:
    """A generated month in which every PDF is a scan (seed 5: invoices and lab reports, EN
    and ZH layouts)."""
    out = tmp_path_factory.mktemp("scanned")
    subprocess.run([sys.executable, "-m", "fixtures", "generate", str(out), "--seed", "5",
                    "--months", "1", "--defects", "none", "--scanned-share", "1"],
                   check=True, capture_output=True, cwd=ROOT)
    return next(out.rglob("truth.json"))


@pytest.mark.slow
def test_scanned_bundle_numbers_and_low_confidence_finding(scanned_bundle):
    truth = json.loads(scanned_bundle.read_text("utf-8"))
    scanned = [d for d in truth["documents"] if d.get("scanned")]
    assert len(scanned) >= 8
    outcome = run_bundle(scanned_bundle.parent / "bundle",
                         RunOptions(store=False, out=None, thresholds={"ocr_min_confidence": 0.97}))
    by_file: dict[str, list] = {}
    for r in outcome.records:
        by_file.setdefault(r.source.file, []).append(r.model_dump(mode="json"))
    got = [{"file": f, "records": rs} for f, rs in by_file.items()]
    counts = field_accuracy(scanned, got, numbers_only=True)
    right, total = sum(r for r, _ in counts.values()), sum(t for _, t in counts.values())
    assert total > 200
    assert right / total >= 0.97, counts
    flagged = [f for f in outcome.result.findings if f.rule == "DOC-OCR-CONFIDENCE"]
    assert flagged, "a floor of 0.97 flags some OCR values on these scans"
    for finding in flagged:
        assert all(p.ocr and p.confidence < 0.97 and p.bbox and p.page for p in finding.evidence)
    # the verified figures are the truth's: a scan's misread shows as a finding (an amount
    # without its decimal point meets INV-ARITHMETIC), never as a silent change of the total
    assert outcome.result.verified_total_tco2 == pytest.approx(
        truth["expected"]["verified_total_tco2"], abs=0.01)
    others = {f.rule for f in outcome.result.findings} - {"DOC-OCR-CONFIDENCE", "INV-ARITHMETIC"}
    assert others == {f["rule"] for f in truth["expected"]["findings"]}


def test_scan_with_a_few_printed_words_is_still_read_by_ocr(tmp_path):
    """A scanner that stamps 'Scanned 2025-03-15 p.1' on an image-only page leaves a text layer
    of a few words; the page is still a scan."""
    import base64
    import io

    import pypdfium2 as pdfium

    text_pdf = render(cn_vat_invoice(), tmp_path / "text.pdf")
    image = pdfium.PdfDocument(str(text_pdf))[0].render(scale=200 / 72, grayscale=True).to_pil()
    buf = io.BytesIO()
    image.save(buf, "PNG")
    data = base64.b64encode(buf.getvalue()).decode()
    html = (f'<img src="data:image/png;base64,{data}" style="position:absolute;left:0;top:0;'
            f'width:210mm"><div class="a" style="left:150mm;top:285mm;font-size:6pt">'
            f'Scanned 2025-03-15 p.1</div>')
    stamped = render(html, tmp_path / "stamped.pdf")
    text, scanned = (extract_file(p, document_for(p)) for p in (text_pdf, stamped))
    assert scanned.document.kind == DocumentKind.FUEL_INVOICE
    (want,), (got,) = text.records, scanned.records
    assert (got.number, got.total_with_tax, got.lines[0].quantity) == \
        (want.number, want.total_with_tax, want.lines[0].quantity)
    assert got.where("total_with_tax").ocr


@pytest.mark.parametrize("turn", [90, 180])
def test_scan_fed_sideways_or_upside_down_is_turned_upright(tmp_path, turn):
    """A page scanned turned a quarter (or half) round reads as the upright page; each box
    still points where the value stands on the page as scanned."""
    import pypdfium2 as pdfium

    text_pdf = render(cn_vat_invoice(), tmp_path / "text.pdf")
    pdf = pdfium.PdfDocument(str(text_pdf))
    width, height = pdf[0].get_size()
    image = pdf[0].render(scale=200 / 72, grayscale=True).to_pil().rotate(turn, expand=True)
    pdf.close()
    turned = tmp_path / "turned.pdf"
    image.save(turned, "PDF", resolution=200)
    text, scanned = (extract_file(p, document_for(p)) for p in (text_pdf, turned))
    assert scanned.document.kind == DocumentKind.FUEL_INVOICE
    (want,), (got,) = text.records, scanned.records
    assert (got.number, got.date, got.total_with_tax, got.lines[0].amount) == \
        (want.number, want.date, want.total_with_tax, want.lines[0].amount)
    for name in ("number", "total_with_tax"):
        x0, y0 = _centre(want.where(name).bbox)
        expected = (y0, width - x0) if turn == 90 else (width - x0, height - y0)
        x, y = _centre(got.where(name).bbox)
        assert abs(x - expected[0]) < 4 and abs(y - expected[1]) < 4, (name, (x, y), expected)
