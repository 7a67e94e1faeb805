"""Phone photos of the test documents: a rendered page warped onto a darker desk, tilted,
lit unevenly, blurred, noised and JPEG-compressed with OpenCV (and the other image formats a
plant sends: a sideways PNG, a HEIC, a multi-page TIFF)."""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from extract_docs import render

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


@dataclass
class Photo:
    """The photo's pixels and where the page's corners landed on it (tl, tr, br, bl)."""

    pixels: np.ndarray
    corners: np.ndarray
    homography: np.ndarray  # page pixels -> photo pixels


def phone_photo(page: np.ndarray, seed: int, long_side: int = 1600, tilt: float = 4.0,
                keystone: float = 0.06) -> Photo:
    """The page as a phone sees it: on a darker, textured desk larger than the sheet, seen at
    an angle (a keystone of up to `keystone` of the page size), turned up to `tilt` degrees,
    lit from one side, slightly out of focus and noisy."""
    import cv2

    rng = random.Random(seed)
    h, w = page.shape[:2]
    scale = long_side / (max(h, w) * 1.22)
    out_w, out_h = round(w * 1.22 * scale), round(h * 1.22 * scale)
    pw, ph = w * scale, h * scale
    cx, cy = out_w / 2 + rng.uniform(-0.03, 0.03) * out_w, out_h / 2 + rng.uniform(-0.03, 0.03) * out_h
    theta = math.radians(rng.uniform(-tilt, tilt))
    corners = []
    for sx, sy in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
        x = sx * pw / 2 + rng.uniform(-keystone, keystone) * pw / 2
        y = sy * ph / 2 + rng.uniform(-keystone, keystone) * ph / 2
        corners.append((cx + x * math.cos(theta) - y * math.sin(theta),
                        cy + x * math.sin(theta) + y * math.cos(theta)))
    dst = np.array(corners, dtype=np.float32)
    src = np.array([(0, 0), (w, 0), (w, h), (0, h)], dtype=np.float32)
    homography = cv2.getPerspectiveTransform(src, dst)
    nprng = np.random.default_rng(seed)
    desk = np.full((out_h, out_w, 3), (70, 62, 55), dtype=np.float32)
    desk += nprng.normal(0, 10, (out_h // 8 + 1, out_w // 8 + 1, 1)).repeat(8, 0).repeat(8, 1)[:out_h, :out_w]
    warped = cv2.warpPerspective(page.astype(np.float32), homography, (out_w, out_h),
                                 flags=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(np.ones((h, w), np.float32), homography, (out_w, out_h))[..., None]
    img = desk * (1 - mask) + warped * mask
    xs = np.linspace(0, 1, out_w, dtype=np.float32)[None, :, None]
    ys = np.linspace(0, 1, out_h, dtype=np.float32)[:, None, None]
    img *= 0.78 + 0.22 * (xs if rng.random() < 0.5 else 1 - xs) * (0.6 + 0.4 * ys)  # side light
    img = cv2.GaussianBlur(img, (0, 0), 0.7)
    img += nprng.normal(0, 3.5, img.shape).astype(np.float32)
    return Photo(np.clip(img, 0, 255).astype(np.uint8), dst, homography)


def jpeg_bytes(pixels: np.ndarray, quality: int = 80, exif_orientation: int | None = None) -> bytes:
    """RGB pixels as a JPEG (optionally with an EXIF Orientation tag)."""
    from PIL import Image

    buf = io.BytesIO()
    image = Image.fromarray(pixels)
    if exif_orientation is None:
        image.save(buf, "JPEG", quality=quality)
    else:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation
        image.save(buf, "JPEG", quality=quality, exif=exif)
    return buf.getvalue()


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
