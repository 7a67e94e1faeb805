"""OFD text objects as Words in PDF points (top-left origin), so the PDF readers' pairing of
labels and values by position reads an OFD page as it reads a PDF page.

A TextObject places its TextCodes inside its Boundary (mm); each code starts at X, Y (the
baseline) and moves by DeltaX / DeltaY per character ("g 3 2.5" repeats 2.5 three times). An
OFD names no glyph widths without its fonts, so a character's width is estimated: a full-width
character is as wide as the font size, any other half, and full-width punctuation (the colon
after a label: '发票号码：') half, since its ink stands in the left half of its cell and the value
printed next to it starts inside that cell. No character reaches past its object's Boundary
(GB/T 33190 7.5: the object is clipped to it). Words break at blanks, after colons (as
the PDF words do), and where the characters stop running left to right on one baseline.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from extractors.pdf.words import Word
from extractors.xmlsafe import local

MM = 72 / 25.4  # points per millimetre
ASCENT, DESCENT = 0.88, 0.12  # of the font size, above and below the baseline
GAP = 0.35  # of the font size: a wider gap between characters starts a new word
COLONS = (":", "：")
MAX_REPEAT = 10_000  # a 'g' repeat count beyond any line of text
Affine = tuple[float, float, float, float, float, float]


@dataclass(frozen=True)
class Char:
    text: str
    x: float  # page mm, left edge
    y: float  # page mm, baseline
    size: float  # page mm
    right: float = math.inf  # page mm: the right edge of the object's Boundary

    @property
    def width(self) -> float:
        """The character's cell: how far the pen moves past it (for breaking words)."""
        wide = unicodedata.east_asian_width(self.text) in ("W", "F")
        return self.size if wide else self.size / 2

    @property
    def ink(self) -> float:
        """Where the character's ink ends (for the word's box): a full-width punctuation mark
        half its cell, nothing past the Boundary."""
        punct = unicodedata.category(self.text).startswith("P")
        return min(self.x + (self.size / 2 if punct else self.width), max(self.right, self.x))


def _float(text: str | None, default: float = 0.0) -> float:
    try:
        return float(text) if text is not None else default
    except ValueError:
        return default


def numbers(text: str | None) -> list[float]:
    """The numbers of a space-separated attribute, the 'g count value' shorthand expanded
    (a malformed number reads as 0: a wrong box is better than a lost page)."""
    parts = (text or "").split()
    out: list[float] = []
    i = 0
    while i < len(parts):
        if parts[i] == "g" and i + 2 < len(parts):
            out += [_float(parts[i + 2])] * min(int(_float(parts[i + 1])), MAX_REPEAT)
            i += 3
        else:
            out.append(_float(parts[i]))
            i += 1
    return out


def _right(obj: Element) -> float:
    """The right edge of an object's Boundary on the page (mm); unbounded without one."""
    box = numbers(obj.get("Boundary"))
    return box[0] + box[2] if len(box) == 4 and box[2] > 0 else math.inf


def _placement(obj: Element) -> Affine:
    """Object space -> page mm: the CTM, then a move to the Boundary's origin."""
    box = numbers(obj.get("Boundary")) + [0.0, 0.0]
    ctm = numbers(obj.get("CTM"))
    a, b, c, d, e, f = ctm if len(ctm) == 6 else (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return a, b, c, d, e + box[0], f + box[1]


def _apply(m: Affine, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def object_chars(obj: Element) -> Iterator[list[Char]]:
    """The characters of each TextCode of a TextObject, placed on the page."""
    m = _placement(obj)
    scale = math.sqrt(abs(m[0] * m[3] - m[1] * m[2])) or 1.0
    size = _float(obj.get("Size"), 3.5)
    right = _right(obj) if abs(m[1]) < 1e-9 and abs(m[2]) < 1e-9 else math.inf  # unrotated
    x = y = 0.0
    for code in (c for c in obj if local(c.tag) == "TextCode"):
        text = code.text or ""
        x, y = _float(code.get("X"), x), _float(code.get("Y"), y)
        dx, dy = numbers(code.get("DeltaX")), numbers(code.get("DeltaY"))
        chars = []
        for i, ch in enumerate(text):
            px, py = _apply(m, x, y)
            chars.append(Char(ch, px, py, size * scale, right))
            x += dx[i] if i < len(dx) else (Char(ch, 0, 0, size).width if not dy else 0.0)
            y += dy[i] if i < len(dy) else 0.0
        yield chars


def _breaks(prev: Char, cur: Char) -> bool:
    """Whether a character starts a new word after the one before it."""
    return (prev.text in COLONS or abs(cur.y - prev.y) > 0.2 * cur.size or cur.x < prev.x
            or cur.x - (prev.x + prev.width) > GAP * cur.size)


def runs(chars: list[Char]) -> Iterator[list[Char]]:
    """Characters grouped into words: split at blanks, after colons and at breaks in the run."""
    word: list[Char] = []
    for ch in chars:
        if ch.text.isspace():
            if word:
                yield word
            word = []
            continue
        if word and _breaks(word[-1], ch):
            yield word
            word = []
        word.append(ch)
    if word:
        yield word


def to_word(chars: list[Char], page: int) -> Word:
    """A Word in points from its characters in mm."""
    size = max(c.size for c in chars)
    x0 = min(c.x for c in chars)
    x1 = max(c.ink for c in chars)
    top = min(c.y for c in chars) - ASCENT * size
    bottom = max(c.y for c in chars) + DESCENT * size
    return Word("".join(c.text for c in chars), x0 * MM, top * MM, x1 * MM, bottom * MM, page,
                size * MM)


def content_words(root: Element, page: int) -> list[Word]:
    """Every word drawn by the text objects of one content root (a page or template page)."""
    words = []
    for obj in root.iter():
        if local(obj.tag) == "TextObject":
            for chars in object_chars(obj):
                words += [to_word(run, page) for run in runs(chars)]
    return words
