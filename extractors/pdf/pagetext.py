"""A page's words as one string that remembers where each word stands.

A template's regex runs over plain text; to stamp its match with a page and box, every character
range of that text is traced back to the words it covers (cut where the match starts or ends
inside a word). Words on a line are joined by one space, lines by a newline.
"""

from __future__ import annotations

from dataclasses import dataclass

from extractors.pdf.lines import Line, group_lines
from extractors.pdf.words import Word, cut, merge


@dataclass(frozen=True)
class PageText:
    """The text of one page and, per word, its (start, end) in that text."""

    page: int
    text: str
    spans: tuple[tuple[int, int, Word], ...]


def page_text(page: int, lines: list[Line]) -> PageText:
    """Given a page's lines, return its text with each word's character range."""
    parts: list[str] = []
    spans: list[tuple[int, int, Word]] = []
    at = 0
    for li, line in enumerate(lines):
        for wi, word in enumerate(line.words):
            sep = "\n" if wi == 0 and li > 0 else (" " if wi > 0 else "")
            at += len(sep)
            spans.append((at, at + len(word.text), word))
            parts.append(sep + word.text)
            at += len(word.text)
    return PageText(page, "".join(parts), tuple(spans))


def words_at(text: PageText, start: int, end: int) -> Word | None:
    """The words a character range covers, cut to the range, merged into one word."""
    taken = []
    for s, e, word in text.spans:
        if e <= start or s >= end:
            continue
        keep_to, keep_from = min(end, e) - s, max(start, s) - s
        if keep_to < len(word.text):
            word = cut(word, keep_to)[0]
        if keep_from > 0:
            word = cut(word, keep_from)[1]
        taken.append(word)
    return merge(taken) if taken else None


def words_in(words: list[Word], bbox: tuple[float, float, float, float]) -> Word | None:
    """The words whose middle lies inside a box, in reading order, merged into one word."""
    x0, top, x1, bottom = bbox
    inside = [w for w in words if x0 <= w.xmid <= x1 and top <= w.ymid <= bottom]
    ordered = [w for line in group_lines(inside) for w in line.words]
    return merge(ordered) if ordered else None
