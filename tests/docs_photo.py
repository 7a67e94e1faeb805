"""Phone photos of the test documents: a rendered page warped onto a darker desk, tilted,
lit unevenly, blurred, noised and JPEG-compressed with OpenCV (and the other image formats a
plant sends: a sideways PNG, a HEIC, a multi-page TIFF)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from extract_docs import render

from fixtures.generate.photos import Photo, jpeg_bytes, phone_photo  # noqa: F401 (the builders)

DPI = 130  # an A4 page renders to about 1075 x 1520 px: a photo of about 1600 px on its long side


def pdf_pages(pdf_path: Path, dpi: int = DPI) -> list[np.ndarray]:
    """Every page of a PDF rendered to an RGB array at `dpi`."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        return [np.ascontiguousarray(pdf[i].render(scale=dpi / 72).to_numpy()[:, :, :3])
                for i in range(len(pdf))]
    finally:
        pdf.close()


def page_image(html: str, tmp: Path, dpi: int = DPI, name: str = "doc") -> list[np.ndarray]:
    """Every page of an HTML document rendered to PDF (kept as tmp/name.pdf), then to RGB."""
    return pdf_pages(render(html, tmp / f"{name}.pdf"), dpi)


def save(pixels: np.ndarray | list[np.ndarray], out: Path, fmt: str, **options) -> Path:
    """Pixels (or several pages, for a TIFF) saved with Pillow as PNG, TIFF or HEIC."""
    from PIL import Image

    if fmt == "HEIF":
        import pillow_heif

        pillow_heif.register_heif_opener()
    frames = [Image.fromarray(p) for p in (pixels if isinstance(pixels, list) else [pixels])]
    frames[0].save(out, fmt, save_all=len(frames) > 1, append_images=frames[1:], **options)
    return out


def photo_point(photo: Photo, x: float, y: float) -> tuple[float, float]:
    """Where a point of the page image stands on the photo."""
    v = photo.homography @ np.array([x, y, 1.0])
    return float(v[0] / v[2]), float(v[1] / v[2])
