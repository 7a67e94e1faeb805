"""Label-value pairing by position: the value stands right of its label, or directly below.

Pairing by text order fails on real e-invoices (labels drawn first, values later), so labels
are found as words on a line and values are taken by where they stand on the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extractors.labels import key
from extractors.pdf.lines import Line
from extractors.pdf.words import Word, cut, merge

MAX_SPAN = 4  # a label may be printed as up to this many words ("Date", "of", "Issue")


@dataclass(frozen=True)
class Hit:
    """A label found on a page: its words merged, the line index, and any text glued after it."""

    label: Word
    line: int
    glued: Word | None = None


def _match_at(line: Line, i: int, keys: tuple[str, ...]) -> Hit | None:
    """A label starting at word i, exact over 1..MAX_SPAN words, or as a prefix of word i."""
    words = line.words
    for span in range(min(MAX_SPAN, len(words) - i), 0, -1):
        merged = line.spans[(i, span)]
        if _key(merged) in keys:
            return Hit(merged, -1)
    text_key = key(words[i].text)
    for k in keys:
        if not k.isascii() and text_key.startswith(k) and len(text_key) > len(k):
            n = _chars_for_key(words[i].text, k)
            label, rest = cut(words[i], n)
            if rest.text.rstrip().endswith((":", "：")):
                continue  # '样品编号:' is another label, not '样品' + a value
            return Hit(label, -1, rest)
    return None


@lru_cache(maxsize=65536)
def _key_text(text: str) -> str:
    return key(text)


def _key(word: Word) -> str:
    return _key_text(word.text)


def _chars_for_key(text: str, k: str) -> int:
    """How many characters of text make up the key k (keys drop spaces and colons)."""
    for n in range(1, len(text) + 1):
        if key(text[:n]) == k:
            while n < len(text) and text[n] in " :：":
                n += 1
            return n
    return len(text)


def find_labels(lines: list[Line], keys: tuple[str, ...]) -> list[Hit]:
    """Every place a label of the given keys is printed, top to bottom."""
    hits = []
    for li, line in enumerate(lines):
        line_key = _key_text(line.text)
        if not any(k in line_key for k in keys):
            continue
        for i in range(len(line.words)):
            hit = _match_at(line, i, keys)
            if hit is not None:
                hits.append(Hit(hit.label, li, hit.glued))
    return hits


def is_label_word(word: Word) -> bool:
    """A word ending with a colon, or printed exactly as a known label, is itself a label."""
    return word.text.rstrip().endswith((":", "：")) or _key(word) in known_labels()


@lru_cache(maxsize=1)
def known_labels() -> frozenset[str]:
    """Keys of every field label (invoice and lab sections), where a value stops."""
    from verify.model.vocabulary import vocabulary

    return frozenset(key(lbl) for section in ("invoice", "lab")
                     for labels in vocabulary()[section].values() for lbl in labels)


def _run(words: list[Word], start: int, gap: float) -> Word | None:
    """Words from `start` rightwards while they stay close and are not labels."""
    taken: list[Word] = []
    for w in words[start:]:
        if is_label_word(w) or (taken and w.x0 - taken[-1].x1 > gap):
            break
        taken.append(w)
    return merge(taken) if taken else None


OVERLAP = 0.2  # share of the label's height a value may start inside the label's box ...
WIDE_END = ("：", "）", ")", "】", "]", ":")
WIDE_OVERLAP = 0.6  # ... or inside a trailing full-width colon or bracket (mostly blank)


def starts_right_of(word: Word, label: Word) -> bool:
    """Whether a word stands right of a label, though it may start inside the label's box: a
    trailing '：' or '）' is drawn with a wide advance, and 数电 pages set the value 0.5-3.3 pt
    into it. The word's middle must be past the label's end (the label's own last character
    is not)."""
    if word.x0 >= label.x1 - 0.5:
        return True
    share = WIDE_OVERLAP if label.text.rstrip().endswith(WIDE_END) else OVERLAP
    return word.x0 >= label.x1 - share * label.height and word.xmid > label.x1 \
        and word.x1 > label.x1 + 0.5


def value_right(line: Line, label: Word, max_first_gap: float | None = None) -> Word | None:
    """The words right of a label on its line, up to the next label or a wide gap."""
    words = [w for w in line.words if starts_right_of(w, label)]
    first_gap = max_first_gap if max_first_gap is not None else 30 * label.height
    if not words or words[0].x0 - label.x1 > first_gap:
        return None
    return _run(words, 0, 3.0 * label.height)


def value_below(lines: list[Line], li: int, label: Word) -> Word | None:
    """The words of the next line starting under the label, running right while close."""
    if li + 1 >= len(lines):
        return None
    nxt = lines[li + 1]
    if nxt.top - lines[li].bottom > 2.5 * label.height:
        return None
    words = list(nxt.words)
    start = next((i for i, w in enumerate(words)
                  if w.x1 > label.x0 - 2 and w.x0 < label.x1 + 2 * label.height), None)
    return None if start is None else _run(words, start, 3.0 * label.height)


def rest_of_line(line: Line, label: Word) -> Word | None:
    """Every word right of a label up to the next label, gaps and all: the value may stand
    past a rate or a date ('Tax 15% on $ 112.90      $ 16.94', 'TOTAL DUE ON August 3 , 2014
    $4.11'), where `value_right` stops at the first wide gap."""
    taken: list[Word] = []
    for w in (w for w in line.words if starts_right_of(w, label)):
        if is_label_word(w) and _LETTER.search(w.text):  # a bare ':' after a rate is no label
            break
        taken.append(w)
    return merge(taken) if taken else None


def value_places(lines: list[Line], hit: Hit) -> list[tuple[str, Word]]:
    """Where a label's value may stand, the likeliest first: glued into the label's token,
    right of it, further right past a gap, below it."""
    places: list[tuple[str, Word | None]] = []
    if hit.glued is not None and hit.glued.text.strip(" :："):
        places.append(("glued", hit.glued))
    right = value_right(lines[hit.line], hit.label)
    places.append(("right", right))
    rest = rest_of_line(lines[hit.line], hit.label)
    if rest is not None and (right is None or rest.text != right.text):
        places.append(("line", rest))
    places.append(("below", value_below(lines, hit.line, hit.label)))
    return [(how, w) for how, w in places if w is not None]


def value_of(lines: list[Line], hit: Hit) -> Word | None:
    """The value paired with a label hit: glued text, then right, then below."""
    if hit.glued is not None and hit.glued.text.strip(" :："):
        return hit.glued
    return value_right(lines[hit.line], hit.label) or value_below(lines, hit.line, hit.label)


def qualified(lines: list[Line], hit: Hit) -> bool:
    """Whether the label found is the last word of a longer label: 'Date:' in 'Due Date:' or
    'Order Date:' is another date than the invoice's. A word of letters set just before it (a
    space apart) qualifies it; a number or a label ending in a colon does not."""
    label = hit.label
    before = [w for w in lines[hit.line].words if w.x1 <= label.x0 + 0.5]
    if not before:
        return False
    prev = before[-1]
    return label.x0 - prev.x1 < 0.8 * label.height and _LETTERS.fullmatch(prev.text) is not None


_LETTERS = re.compile(r"[^\W\d_]+\.?")
_LETTER = re.compile(r"[^\W\d_]")


def ranked_hits(lines: list[Line], keys: tuple[str, ...], from_bottom: bool = False) -> list[Hit]:
    """Label hits in reading order (or from the bottom), a qualified label ('Due Date') after
    every plain one ('Invoice Date', 'Date')."""
    hits = find_labels(lines, keys)
    ordered = list(reversed(hits)) if from_bottom else hits
    return sorted(ordered, key=lambda h: qualified(lines, h))


def first_value(lines: list[Line], keys: tuple[str, ...], accept=None,
                from_bottom: bool = False) -> tuple[Word, Word] | None:
    """(label, value) of the first label (or last, from the bottom) whose value passes `accept`,
    each of its value's places tried in turn; a qualified label is tried last."""
    for hit in ranked_hits(lines, keys, from_bottom):
        for _, value in value_places(lines, hit):
            if accept is None or accept(value.text):
                return hit.label, value
    return None
