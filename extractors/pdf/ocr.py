"""Words for a page that has no text layer, read by OCR.

The engine is RapidOCR (PP-OCRv4 detection and recognition, ONNX Runtime on the CPU). Its wheel
carries the models, so nothing is fetched at run time. It was chosen over Tesseract with chi_sim
(Debian's tesseract-ocr-chi-sim) after reading the same 150-dpi invoice scan with both:
Tesseract turned the labels 发票号码 and 校验码 into 'RRS' and 'Fe 34 $3', and RapidOCR read every
label and figure. RapidOCR returns text lines with a box per character and a score per line.
This module turns them into the same `Word`s a text layer gives: split at gaps and colons, in PDF
points, with the page's skew taken out. Each word carries the line's score as `conf`, so every
value read from it is stamped `ocr: true` with that confidence.
"""

from __future__ import annotations

import math
import os
import statistics
from functools import lru_cache
from pathlib import Path

from extractors.pdf.words import Word

FEW_CHARS = 40  # a page printing fewer characters than this over a page-sized image is a scan
IMAGE_SHARE = 0.5  # ... whose images cover at least this share of the page


def needs_ocr(n_chars: int, image_area: float, page_area: float) -> bool:
    """Whether a page is a scan: no text layer (or only a stamp's or scanner's few words) over
    images covering most of the page, or no text at all beside any image."""
    if n_chars == 0:
        return image_area > 0
    return n_chars < FEW_CHARS and page_area > 0 and image_area / page_area >= IMAGE_SHARE


DPI = 200  # render scale for recognition; the detector works on at most 2000 px anyway
GAP = 1.0  # a gap of a full character height separates two words (the detector splits wider)
_COLONS = (":", "：")


@lru_cache(maxsize=1)
def engine():
    """The OCR engine, loaded once per process; None when it is not installed."""
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError:
        return None
    threads = int(os.environ.get("CARBON_VERIFY_OCR_THREADS", "0")) or -1
    return RapidOCR(intra_op_num_threads=threads, inter_op_num_threads=threads)


def available() -> bool:
    """Whether scanned pages can be read."""
    return engine() is not None


def skew(quads: list) -> float:
    """The page's tilt in radians: the median slope of the long text lines' top edges."""
    slopes = []
    for q in quads:
        (x0, y0), (x1, y1) = q[0], q[1]
        height = math.dist(q[0], q[3])
        if x1 - x0 > 3 * max(height, 1.0):
            slopes.append(math.atan2(y1 - y0, x1 - x0))
    return statistics.median(slopes) if slopes else 0.0


def _straighten(points: list, angle: float, cx: float, cy: float) -> tuple[float, ...]:
    """A box's points turned by -angle about the page centre, as (x0, top, x1, bottom)."""
    cos, sin = math.cos(-angle), math.sin(-angle)
    xs, ys = [], []
    for x, y in points:
        dx, dy = x - cx, y - cy
        xs.append(cx + dx * cos - dy * sin)
        ys.append(cy + dx * sin + dy * cos)
    return min(xs), min(ys), max(xs), max(ys)


def _char_boxes(text: str, quad: list, boxes: list | None) -> list[list]:
    """One box per character: the engine's, or the line box shared by character width."""
    if boxes and len(boxes) == len(text):
        return boxes
    widths = [1.0 if ord(ch) > 0x2E80 else 0.55 for ch in text]
    total = sum(widths) or 1.0
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = quad
    out, acc = [], 0.0
    for w in widths:
        a, b = acc / total, (acc + w) / total
        out.append([[x0 + (x1 - x0) * a, y0 + (y1 - y0) * a], [x0 + (x1 - x0) * b, y0 + (y1 - y0) * b],
                    [x3 + (x2 - x3) * b, y3 + (y2 - y3) * b], [x3 + (x2 - x3) * a, y3 + (y2 - y3) * a]])
        acc += w
    return out


def line_words(text: str, boxes: list[tuple[tuple[float, ...], tuple[float, ...]]], conf: float,
               page: int, scale: float, turn: int = 0) -> list[Word]:
    """A recognised line cut into words at wide gaps, spaces and after colons, in PDF points.

    Each character comes with two boxes: straightened (what reading lines and columns uses) and
    as printed on the tilted scan (what provenance points at, so the box lands on the ink)."""
    words: list[Word] = []
    run: list[tuple[str, tuple[float, ...], tuple[float, ...]]] = []
    height = statistics.median(b[3] - b[1] for b, _ in boxes) if boxes else 1.0

    def union(k: int) -> tuple[float, ...]:
        return (min(r[k][0] for r in run) / scale, min(r[k][1] for r in run) / scale,
                max(r[k][2] for r in run) / scale, max(r[k][3] for r in run) / scale)

    def close() -> None:
        if run:
            printed = tuple(round(v, 2) for v in union(2))
            words.append(Word("".join(r[0] for r in run), *union(1), page, height / scale, conf,
                              printed, turn))
            run.clear()

    for ch, (box, printed) in zip(text, boxes, strict=False):
        if ch.isspace():
            close()
            continue
        if run and box[0] - run[-1][1][2] > GAP * height:
            close()
        run.append((ch, box, printed))
        if ch in _COLONS:
            close()
    close()
    return words


UPRIGHT_SHARE = 0.6  # share of text lines running left to right on an upright page
UPRIGHT_CONF = 0.85  # mean line score of a page read the right way up
MIN_SAID = 50.0  # characters (weighted by score) a turned reading must say to be taken at once
CLEAR_GAIN = 3.0  # ... and this many times what the page said as fed


def _score(result: list) -> float:
    """How much a reading says: characters weighted by their line's score."""
    return sum(float(r[2]) * len(r[1]) for r in result)


def _upright(result: list) -> bool:
    """Whether a reading looks right-way-up: lines wider than tall, read with confidence."""
    if not result:
        return False
    wide = sum(1 for r in result if math.dist(r[0][0], r[0][1]) >= math.dist(r[0][0], r[0][3]))
    mean = sum(float(r[2]) for r in result) / len(result)
    return wide >= UPRIGHT_SHARE * len(result) and mean >= UPRIGHT_CONF


def _back(k: int, width: int, height: int):
    """A point of the image turned k quarter-turns counter-clockwise, back on the page image."""
    if k == 1:
        return lambda x, y: (width - y, x)
    if k == 2:
        return lambda x, y: (width - x, height - y)
    if k == 3:
        return lambda x, y: (y, height - x)
    return lambda x, y: (x, y)


def read_upright(image) -> tuple[list, int]:
    """The engine's reading of a page and the quarter-turns that made it upright: a page fed
    sideways or upside down is turned until its lines read left to right with confidence."""
    import numpy as np

    ocr = engine()
    # no per-line angle classifier: on short boxes it turns '9%' upside down into '%6'
    first = ocr(image, return_word_box=True, use_cls=False)[0] or []
    if not first or _upright(first):
        return first, 0
    tried = [(first, 0)]
    for k in (1, 3, 2):
        result = ocr(np.ascontiguousarray(np.rot90(image, k)), return_word_box=True,
                     use_cls=False)[0] or []
        tried.append((result, k))
        # taken at once when upright and saying clearly more than the page as fed: a page
        # turned the wrong way can leave a few confident scraps ('%6', '/', 'Je') that look
        # upright and would hide the right turn
        if _upright(result) and _score(result) >= max(MIN_SAID, CLEAR_GAIN * _score(first)):
            return result, k
    upright = [t for t in tried[1:] if _upright(t[0])]
    return max(upright or tried, key=lambda t: _score(t[0]))  # the upright one saying most


def recognise(image, page: int, scale: float) -> list[Word]:
    """Every word OCR reads on a page image (a numpy array), turned upright and straightened
    for reading, each with its box as printed on the page, in PDF points."""
    if engine() is None:
        return []
    result, turns = read_upright(image)
    return words_of(result, turns, image.shape, page, scale)


def words_of(result: list, turns: int, shape: tuple, page: int, scale: float,
             to_source=None) -> list[Word]:
    """The engine's lines (read `turns` quarter-turns round from an image of `shape`) as words:
    straightened boxes in image pixels / `scale`; printed boxes the same, or, with `to_source`
    (a point of the image -> a point of the file as sent), in the units `to_source` gives."""
    if not result:
        return []
    height, width = shape[0], shape[1]
    shown = shape if turns % 2 == 0 else (width, height)
    back = _back(turns, width, height)
    if to_source is not None:
        turned = back
        back = lambda x, y: tuple(v * scale for v in to_source(*turned(x, y)))  # noqa: E731
    angle = skew([r[0] for r in result])
    cy, cx = shown[0] / 2, shown[1] / 2
    words: list[Word] = []
    for row in result:
        quad, text, conf = row[0], row[1], float(row[2])
        boxes = [(_straighten(b, angle, cx, cy), _straighten([back(*pt) for pt in b], 0.0, 0, 0))
                 for b in _char_boxes(text, quad, row[3] if len(row) > 3 else None)]
        words.extend(line_words(text, boxes, conf, page, scale, turns))
    return sorted(words, key=lambda w: (round(w.top), w.x0))


def ocr_words(path: Path, page_no: int) -> list[Word] | None:
    """Words recognised on a scanned page, or None when no OCR engine is available."""
    if not available():
        return None
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        scale = DPI / 72
        image = pdf[page_no - 1].render(scale=scale, grayscale=True).to_numpy()
    finally:
        pdf.close()
    if image.ndim == 3:
        image = image[:, :, 0]
    return recognise(image, page_no, scale)
