"""A photo or image scan (JPEG, PNG, HEIC, TIFF) read as a scanned page.

Each image (each frame of a multi-page TIFF) becomes a `Page` like a scanned PDF page's: the
size is checked from the header before anything is decoded; the EXIF orientation is applied; a
sheet photographed at an angle is found and warped flat (`extractors.pdf.perspective`); then
the OCR path of scanned PDFs reads it, turning a sideways page upright and taking its skew out.
Words are laid out in page units of about a PDF point (the image scaled so a line of body text
is as tall as on a PDF page), so the same label and table readers apply. Every word's printed
box, the one provenance points at, is in pixels of the image as shown (EXIF orientation
applied), top-left origin: `COORDINATES` says so in the extraction's notes.
"""

from __future__ import annotations

import statistics
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from extractors.caps import active, how_to_raise
from extractors.pdf.document import Page, PdfDocument
from extractors.pdf.lines import group_lines
from verify.model.errors import Reason, Unreadable

MAX_PIXELS = 50_000_000  # per image: a 48 MP phone photo (8000 x 6000) and no more
OCR_LONG_SIDE = 2000  # an image is read at most this large (the detector works on 2000 px)
LINE_PT = 11.5  # a line of 9 pt body text as OCR boxes it on a scanned PDF page, in points
SUFFIXES = (".jpg", ".jpeg", ".jpe", ".png", ".heic", ".heif", ".tif", ".tiff")
COORDINATES = ("boxes in pixels of the image as shown (EXIF orientation applied), "
               "from its top-left corner")


@dataclass
class Frame:
    """One image as read: grey pixels at working size, and the photo's pixels per working one."""

    number: int
    pixels: object  # numpy array, 2-D uint8
    factor: float
    orientation: int  # the EXIF orientation that was applied (1: none)


def _open(path: Path, kind: str):
    from PIL import Image

    if kind == "heic":
        try:
            import pillow_heif
        except ImportError as exc:
            raise Unreadable(Reason.CORRUPT_IMAGE, "HEIC needs pillow-heif, not installed") from exc
        pillow_heif.register_heif_opener()
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            return Image.open(path)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise Unreadable(Reason.TOO_LARGE, f"{exc}") from exc


def _check_size(image, number: int) -> None:
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise Unreadable(Reason.TOO_LARGE, f"image {number} is {width} x {height} pixels "
                                           f"(limit {MAX_PIXELS // 1_000_000} megapixels)")
    if width < 16 or height < 16:
        raise Unreadable(Reason.CORRUPT_IMAGE, f"image {number} is only {width} x {height} pixels")


@contextmanager
def _strict():
    """Truncated image data is an error while decoding here, whatever another library set
    (WeasyPrint turns Pillow's LOAD_TRUNCATED_IMAGES on for the whole process on import)."""
    from PIL import ImageFile

    before = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before


def _frame(image, number: int) -> Frame:
    """The current frame decoded to grey at working size, its EXIF orientation applied."""
    import cv2
    import numpy as np
    from PIL import ImageOps

    _check_size(image, number)
    width, height = image.size
    if image.format == "JPEG":  # decode at 1/2, 1/4 or 1/8 when that is still large enough
        image.draft("L", (width * OCR_LONG_SIDE // max(width, height),
                          height * OCR_LONG_SIDE // max(width, height)))
    orientation = int(image.getexif().get(0x0112, 1) or 1)
    with _strict():
        image.load()
    drafted = image.size[0] / width
    upright = ImageOps.exif_transpose(image)
    grey = np.asarray(upright.convert("L"))
    factor = 1.0 / drafted
    long_side = max(grey.shape)
    if long_side > OCR_LONG_SIDE:
        shrink = OCR_LONG_SIDE / long_side
        grey = cv2.resize(grey, (round(grey.shape[1] * shrink), round(grey.shape[0] * shrink)),
                          interpolation=cv2.INTER_AREA)
        factor /= shrink
    return Frame(number, np.ascontiguousarray(grey), factor, orientation)


def frames(path: Path, kind: str, max_pages: int | None = None) -> Iterator[Frame]:
    """Every image of the file decoded in turn (a TIFF's pages in order, one in memory at a
    time); raises Unreadable with the reason for an image too large, truncated or not an
    image at all."""
    from PIL import Image, UnidentifiedImageError

    try:
        image = _open(path, kind)
    except Unreadable:
        raise
    except UnidentifiedImageError as exc:
        raise Unreadable(Reason.CORRUPT_IMAGE, f"not a readable {kind.upper()} image") from exc
    except Exception as exc:  # a broken header raises OSError, SyntaxError, ValueError ...
        raise Unreadable(Reason.CORRUPT_IMAGE, f"{type(exc).__name__}: {exc}") from exc
    with image:
        n = getattr(image, "n_frames", 1) if kind == "tiff" else 1
        max_pages = max_pages or active().pages
        if n > max_pages:
            raise Unreadable(Reason.TOO_LARGE,
                             f"{n} pages (limit {max_pages}; {how_to_raise('pages')})")
        for i in range(n):
            try:
                image.seek(i)
                frame = _frame(image, i + 1)
            except Unreadable:
                raise
            except Image.DecompressionBombError as exc:
                raise Unreadable(Reason.TOO_LARGE, str(exc)) from exc
            except Exception as exc:  # truncated data: OSError; bad tiles: ValueError ...
                raise Unreadable(Reason.CORRUPT_IMAGE,
                                 f"image {i + 1}: {type(exc).__name__}: {exc}") from exc
            yield frame


def _scale(result: list) -> float:
    """Working pixels per page unit: a line of body text as tall as on a PDF page."""
    import math

    heights = [math.dist(r[0][0], r[0][3]) for r in result]
    return max(statistics.median(heights) / LINE_PT, 0.05) if heights else 1.0


@dataclass
class ImagePage:
    """How one image was read: whether a sheet was found and flattened, the turns, the scale."""

    number: int
    flattened: bool
    turns: int
    scale: float
    orientation: int


def read_frame(frame: Frame) -> tuple[Page, ImagePage]:
    """One image read by OCR as a scanned page."""
    from extractors.pdf import ocr
    from extractors.pdf.perspective import find_sheet, flatten, mapper

    sheet = find_sheet(frame.pixels)
    image, homography = (frame.pixels, None) if sheet is None else flatten(frame.pixels, sheet)
    result, turns = ocr.read_upright(image)
    scale = _scale(result)
    words = ocr.words_of(result, turns, image.shape, frame.number, scale,
                         to_source=mapper(homography, frame.factor))
    height, width = image.shape[:2]
    if turns % 2:
        width, height = height, width
    page = Page(frame.number, width / scale, height / scale, words, group_lines(words), [],
                scanned=not words)
    return page, ImagePage(frame.number, sheet is not None, turns, scale, frame.orientation)


def open_image(path: Path, kind: str) -> tuple[PdfDocument, list[str]]:
    """Every image of the file read as a scanned page (words may be none: a photo of a blank
    sheet, a picture), and notes on how each was read."""
    from extractors.pdf import ocr

    if not ocr.available():
        raise Unreadable(Reason.IMAGE_ONLY, "no OCR engine installed (rapidocr-onnxruntime)")
    pages, notes = [], [f"image ({kind.upper()}) read by OCR; {COORDINATES}"]
    for frame in frames(path, kind):
        page, how = read_frame(frame)
        pages.append(page)
        steps = [f"EXIF orientation {how.orientation} applied"] if how.orientation != 1 else []
        steps.append("sheet found and flattened" if how.flattened else "read as is (no sheet found)")
        if how.turns:
            steps.append(f"read turned {90 * how.turns} degrees anticlockwise")
        notes.append(f"page {how.number}: " + ", ".join(steps))
    return PdfDocument(path, pages), notes
