"""Pages as PNG images with the box of every value drawn and named, so a verifier can see at a
glance where each number was read (a different colour for values read by OCR)."""

from __future__ import annotations

from pathlib import Path

from verify.model.records import Provenance

DPI = 120
TEXT_COLOUR = (214, 39, 40)  # values from the text layer
OCR_COLOUR = (31, 119, 180)  # values read by OCR
MARGIN = 2  # pixels between a value's box and the drawn frame


def colour_of(where: Provenance) -> tuple[int, int, int]:
    return OCR_COLOUR if where.ocr else TEXT_COLOUR


def _font(size: int):
    from PIL import ImageFont

    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow before 10.1 has one bitmap size
        return ImageFont.load_default()


def _draw(image, boxes: list[tuple[str, Provenance]], scale: float) -> None:
    """Frame each box and write its field name above it."""
    from PIL import ImageDraw

    draw = ImageDraw.Draw(image)
    font = _font(max(9, round(7 * scale)))
    for name, where in boxes:
        x0, top, x1, bottom = (v * scale for v in where.bbox or (0, 0, 0, 0))
        colour = colour_of(where)
        draw.rectangle([x0 - MARGIN - 1, top - MARGIN - 1, x1 + MARGIN, bottom + MARGIN],
                       outline=colour, width=2)
        at = (x0, max(0, top - MARGIN - 1 - getattr(font, "size", 10)))
        draw.rectangle(draw.textbbox(at, name, font=font), fill=(255, 255, 255))
        draw.text(at, name, fill=colour, font=font)


def draw_pages(pdf_path: Path, boxes: list[tuple[str, Provenance]], out_dir: Path,
               dpi: int = DPI) -> list[Path]:
    """One PNG per page of the PDF, named <file stem>-p<page>.png, with the boxes drawn."""
    import pypdfium2 as pdfium

    out_dir.mkdir(parents=True, exist_ok=True)
    scale = dpi / 72
    written = []
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        for i in range(len(pdf)):
            image = pdf[i].render(scale=scale).to_pil().convert("RGB")
            _draw(image, [(n, w) for n, w in boxes if w.page == i + 1 and w.bbox], scale)
            path = out_dir / f"{Path(pdf_path).stem}-p{i + 1}.png"
            image.save(path)
            written.append(path)
    finally:
        pdf.close()
    return written
