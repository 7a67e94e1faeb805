"""Words with their boxes, split at colons so a label and its value are separate words.

Words are taken by position (pdfplumber, `use_text_flow=False`), never in content-stream
order: real Chinese VAT e-invoices draw every label first and every value later.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_COLON = re.compile(r"[:：]")


@dataclass(frozen=True)
class Word:
    """A run of text on one page with its box in PDF points (top-left origin)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    page: int  # 1-based
    size: float = 0.0
    conf: float | None = None  # OCR confidence (0-1); None for a text layer's words
    printed: tuple[float, float, float, float] | None = None  # box on a tilted scan, if moved
    turn: int = 0  # quarter-turns the scan was read turned by: which way the text runs on it

    @property
    def where(self) -> tuple[float, float, float, float]:
        """The box to point a reader at: as printed on the page (a tilted scan's own), rounded."""
        return self.printed or self.bbox

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (round(self.x0, 2), round(self.top, 2), round(self.x1, 2), round(self.bottom, 2))

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1.0)

    @property
    def xmid(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def ymid(self) -> float:
        return (self.top + self.bottom) / 2


def merge(words: list[Word]) -> Word:
    """One word covering several (their texts joined with a space between latin words)."""
    text = words[0].text
    for prev, cur in zip(words, words[1:], strict=False):
        gap = "" if _is_cjk(prev.text[-1:]) or _is_cjk(cur.text[:1]) else " "
        text += gap + cur.text
    confs = [w.conf for w in words if w.conf is not None]
    printed = None
    if any(w.printed for w in words):
        boxes = [w.where for w in words]
        printed = (min(b[0] for b in boxes), min(b[1] for b in boxes),
                   max(b[2] for b in boxes), max(b[3] for b in boxes))
    return Word(text, min(w.x0 for w in words), min(w.top for w in words),
                max(w.x1 for w in words), max(w.bottom for w in words), words[0].page,
                words[0].size, min(confs) if confs else None, printed, words[0].turn)


def join_lines(text: str) -> str:
    """A cell's wrapped lines joined: no space between CJK characters, one between words."""
    parts = [p.strip() for p in text.splitlines() if p.strip()]
    out = parts[0] if parts else ""
    for part in parts[1:]:
        out += ("" if _is_cjk(out[-1:]) or _is_cjk(part[:1]) else " ") + part
    return " ".join(out.split(" ")) if out else ""


def _is_cjk(ch: str) -> bool:
    return bool(ch) and unicodedata.east_asian_width(ch) in ("W", "F")


def _from_chars(chars: list[dict], page: int) -> Word:
    """A word made of pdfplumber chars."""
    return Word("".join(c["text"] for c in chars), min(c["x0"] for c in chars),
                min(c["top"] for c in chars), max(c["x1"] for c in chars),
                max(c["bottom"] for c in chars), page, float(chars[0].get("size", 0.0)))


def split_at_colons(chars: list[dict], page: int) -> list[Word]:
    """A pdfplumber word (as its chars) cut after each colon: '发票号码:123' -> '发票号码:', '123'."""
    parts: list[list[dict]] = [[]]
    for c in chars:
        parts[-1].append(c)
        if _COLON.fullmatch(c["text"]):
            parts.append([])
    return [_from_chars(p, page) for p in parts if p]


def page_words(page, page_no: int) -> tuple[list[Word], bool]:
    """Every word on a pdfplumber page, split at colons, in reading position order; and whether
    the page had to be turned upright first."""
    from pdfplumber.utils.text import WordExtractor

    from extractors.pdf.rotation import upright_chars

    chars, _, _ = upright_chars(page.chars, float(page.width), float(page.height))
    turned = chars is not page.chars
    extractor = WordExtractor(keep_blank_chars=False, use_text_flow=False, extra_attrs=["size"])
    words: list[Word] = []
    for _, word_chars in extractor.iter_extract_tuples(chars):
        words.extend(split_at_colons(word_chars, page_no))
    return words, turned


def cut(word: Word, n_chars: int) -> tuple[Word, Word]:
    """A word split after n characters, boxes shared in proportion (for 'label123' without colon)."""
    n = len(word.text)
    x = word.x0 + (word.x1 - word.x0) * n_chars / max(n, 1)
    left_printed, right_printed = _cut_printed(word, n_chars / max(n, 1))
    left = Word(word.text[:n_chars], word.x0, word.top, x, word.bottom, word.page, word.size,
                word.conf, left_printed, word.turn)
    right = Word(word.text[n_chars:], x, word.top, word.x1, word.bottom, word.page, word.size,
                 word.conf, right_printed, word.turn)
    return left, right


def _cut_printed(word: Word, share: float) -> tuple[tuple | None, tuple | None]:
    """A scanned word's printed box cut where its first `share` of text ends, along the way the
    text runs on the page (right, down, left or up for 0-3 quarter-turns)."""
    if not word.printed:
        return None, None
    x0, top, x1, bottom = word.printed
    if word.turn == 1:
        y = top + (bottom - top) * share
        return (x0, top, x1, y), (x0, y, x1, bottom)
    if word.turn == 2:
        x = x1 - (x1 - x0) * share
        return (x, top, x1, bottom), (x0, top, x, bottom)
    if word.turn == 3:
        y = bottom - (bottom - top) * share
        return (x0, y, x1, bottom), (x0, top, x1, y)
    x = x0 + (x1 - x0) * share
    return (x0, top, x, bottom), (x, top, x1, bottom)
