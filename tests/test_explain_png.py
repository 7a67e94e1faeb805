"""`extract --png DIR`: one PNG per page with the box of every value framed in its colour."""

import math
from pathlib import Path

from extract_docs import bulk_fuels_bill, render
from PIL import Image
from typer.testing import CliRunner

from extractors.pdf.overlay import DPI, OCR_COLOUR, TEXT_COLOUR, draw_pages
from verify.cli import app
from verify.model.records import Provenance

SCALE = DPI / 72


def _colours_left_of(image: Image.Image, bbox, reach: int = 4) -> set:
    """The pixel colours just left of a box, at its vertical middle (where its frame is drawn)."""
    x0, top, _, bottom = (v * SCALE for v in bbox)
    y = round((top + bottom) / 2)
    return {image.getpixel((round(x0) - d, y)) for d in range(1, reach + 1)}


def test_png_frames_each_value_found(tmp_path):
    path = render(bulk_fuels_bill(), tmp_path / "bill.pdf")
    result = CliRunner().invoke(app, ["extract", str(path), "--png", str(tmp_path / "png")])
    assert result.exit_code == 0, result.output
    png = tmp_path / "png" / "bill-p1.png"
    assert f"wrote {png}" in result.stderr and '"number": "YBF/25/0317"' in result.stdout
    image = Image.open(png).convert("RGB")
    assert image.size == (math.ceil(595.28 * SCALE), math.ceil(841.89 * SCALE))  # A4 at DPI
    number_box = (127.56, 100.41, 179.55, 109.41)  # where "YBF/25/0317" is printed
    assert TEXT_COLOUR in _colours_left_of(image, number_box)
    label_box = (34.02, 100.41, 60.84, 109.41)  # "Bill ref": a label, not a value
    assert TEXT_COLOUR not in _colours_left_of(image, label_box)
    assert image.getpixel((image.width - 5, image.height - 5)) == (255, 255, 255)


def test_png_draws_ocr_values_in_their_own_colour(tmp_path):
    path = render(bulk_fuels_bill(), tmp_path / "bill.pdf")
    box = (127.56, 117.42, 172.52, 126.42)
    read = Provenance(file="bill.pdf", sha256="0", page=1, bbox=box, text="14.03.2025",
                      ocr=True, confidence=0.91)
    [png] = draw_pages(path, [("date", read)], tmp_path / "png")
    assert png.name == "bill-p1.png"
    assert OCR_COLOUR in _colours_left_of(Image.open(png).convert("RGB"), box)


def test_explain_with_png_writes_the_pages_too(tmp_path):
    path = render(bulk_fuels_bill(), tmp_path / "bill.pdf")
    out = tmp_path / "png"
    result = CliRunner().invoke(app, ["extract", str(path), "--explain", "--png", str(out)])
    assert result.exit_code == 0, result.output
    assert f"wrote {out / 'bill-p1.png'}" in result.stdout and "printed text" in result.stdout


def test_png_of_a_spreadsheet_is_a_usage_error(tmp_path):
    sheet = Path(tmp_path / "x.csv")
    sheet.write_text("a,b\n1,2\n")
    result = CliRunner().invoke(app, ["extract", str(sheet), "--png", str(tmp_path / "png")])
    assert result.exit_code == 2 and "not a PDF" in result.output


def test_png_of_an_unreadable_pdf_says_why(tmp_path):
    from extract_docs import encrypted_pdf

    path = encrypted_pdf(tmp_path / "locked.pdf")
    result = CliRunner().invoke(app, ["extract", str(path), "--png", str(tmp_path / "png")])
    assert result.exit_code == 2 and "cannot draw locked.pdf: encrypted PDF" in result.output
