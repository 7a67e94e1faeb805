"""A field's value after all of its labels: bilingual ('样品名称 Sample 焦炭') and stacked
('报告日期' over 'Report date', the value right of both or below them) labels.

Certificates print a field's label in two languages, side by side or one above the other, and
a table cell centres its value between the two label lines. The pairing in `extractors.pdf.fields`
takes the first words after the first label; here every word near the label that is itself
(part of) a label of the same field joins the label first, so a label word is never the value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from extractors.labels import key
from extractors.pdf.fields import Hit, find_labels, is_label_word, starts_right_of
from extractors.pdf.lines import Line
from extractors.pdf.words import Word, cut, merge

FIRST_GAP = 30.0  # em: how far right of its label a value may start (as fields.value_right)
RUN_GAP = 3.0  # em: a gap this wide ends a value
BELOW_GAP = 1.2  # em: how far below a label line a second label line or a value may stand


@dataclass(frozen=True)
class Placed:
    """A word and the index of the line it was printed on."""

    word: Word
    line: int


def is_fragment(text: str, keys: tuple[str, ...]) -> bool:
    """Whether text is a label of the field or a part of one ('Sampling', 'date' of 'Sampling
    date'): letters only, never a figure."""
    k = key(text)
    return len(k) >= 2 and not re.search(r"\d", k) and any(k in label for label in keys)


def label_prefix(text: str, keys: tuple[str, ...]) -> int:
    """How many leading characters of text are a whole label of the field ('ReportNo.' of
    'ReportNo.MZ-01', as a scan glues them), 0 when none is."""
    for n in range(len(text), 0, -1):
        if key(text[:n]) in keys and (n == len(text) or not text[n - 1].isalnum()
                                      or not text[n - 1].isascii() or not text[n].isascii()
                                      or not text[n].isalpha()):
            while n < len(text) and text[n] in " .:：":
                n += 1
            return n
    return 0


def _beside(block: Word, w: Word) -> bool:
    """A word right next to the label block, on its band."""
    h = block.height if block.height > 0 else 10.0
    return w.x0 >= block.x1 - 0.5 and w.x0 - block.x1 < 1.5 * h and \
        w.top < block.bottom and w.bottom > block.top


def _under(block: Word, w: Word) -> bool:
    """A word under the label block, in its column."""
    h = block.height if block.height > 0 else 10.0
    return 0 <= w.top - block.bottom + 0.3 * h < BELOW_GAP * h and block.x0 - h <= w.x0 < block.x1


def _cell_words(line: Line, w: Word, height: float) -> list[Word]:
    """A word and the words that follow it closely on its line (one table cell's text)."""
    taken = [w]
    for nxt in (x for x in line.words if x.x0 > w.x0):
        if nxt.x0 - taken[-1].x1 > RUN_GAP * height:
            break
        taken.append(nxt)
    return taken


def _joins(line: Line, block: Word, w: Word, keys: tuple[str, ...]) -> list[Word]:
    """The words of the line that join the label block at w: w beside it when a label part;
    under it only when all of w's cell is label parts ('Sample No.' under '样品编号', never
    'Sample' of 'Sample ID' under 'Sample')."""
    if not is_fragment(w.text, keys):
        return []
    if _beside(block, w):
        return [w]
    if _under(block, w):
        cell = _cell_words(line, w, block.height or 10.0)
        return cell if all(is_fragment(x.text, keys) for x in cell) else []
    return []


def label_block(lines: list[Line], hit: Hit, keys: tuple[str, ...]) -> tuple[Word, Word | None]:
    """The label with every neighbouring label part of the same field joined to it, and the
    text glued after it once its own label words are cut off (None when none is left)."""
    block, glued = hit.label, hit.glued
    if glued is not None:
        n = label_prefix(glued.text, keys)
        if is_fragment(glued.text, keys):
            block, glued = merge([block, glued]), None
        elif n:
            head, glued = cut(glued, n)
            block = merge([block, head])
        if glued is not None and not glued.text.strip(" :："):
            glued = None
    if glued is not None:
        return block, glued
    taken = {id(hit.label)}
    grew = True
    while grew:
        grew = False
        for line in lines[hit.line:hit.line + 4]:
            for w in line.words:
                joined = [] if id(w) in taken else _joins(line, block, w, keys)
                if joined:
                    block, grew = merge([block, *joined]), True
                    taken.update(id(x) for x in joined)
    return block, None


def _placed(lines: list[Line], start: int, stop: int) -> list[Placed]:
    return [Placed(w, i) for i in range(start, min(stop, len(lines))) for w in lines[i].words]


def _run_from(line: Line, first: Word, height: float) -> list[Word]:
    """The value's words: from `first` rightwards on its line while close and not labels."""
    taken = [first]
    for w in (w for w in line.words if w.x0 > first.x0):
        if is_label_word(w) or w.x0 - taken[-1].x1 > RUN_GAP * height:
            break
        taken.append(w)
    return taken


def _strip(word: Word, keys: tuple[str, ...]) -> Word | None:
    """A value word with a glued label of the field cut off its start."""
    n = label_prefix(word.text, keys)
    if not n:
        return word
    rest = cut(word, n)[1]
    return rest if rest.text.strip(" :：") else None


def value_after(lines: list[Line], hit: Hit, keys: tuple[str, ...]) -> Word | None:
    """The value that follows all of a field's labels: right of the label block (its middle on
    the block's band), else on the first line below it, under the block."""
    block, glued = label_block(lines, hit, keys)
    if glued is not None:
        return glued
    h = hit.label.height if hit.label.height > 0 else 10.0
    near = _placed(lines, max(0, hit.line - 2), hit.line + 5)
    right = sorted((p for p in near if starts_right_of(p.word, block)
                    and block.top - 0.3 * h <= p.word.ymid <= block.bottom + 0.3 * h
                    and p.word.x0 - block.x1 < FIRST_GAP * h and not is_fragment(p.word.text, keys)),
                   key=lambda p: p.word.x0)
    for p in right[:1]:
        if is_label_word(p.word):
            return None  # another field's label stands next: this one is empty
        first = _strip(p.word, keys)
        if first is None:
            continue
        return merge([first, *_run_from(lines[p.line], p.word, h)[1:]])
    below = [p for p in near if 0 <= p.word.top - block.bottom + 0.3 * h < 2.5 * h
             and p.word.x1 > block.x0 - 2 and p.word.x0 < block.x1 + 2 * h
             and not is_fragment(p.word.text, keys)]
    if not below:
        return None
    top_line = min(p.line for p in below)
    first = min((p for p in below if p.line == top_line), key=lambda p: p.word.x0)
    if is_label_word(first.word):
        return None
    return merge(_run_from(lines[first.line], first.word, h))


def first_value_after(lines: list[Line], keys: tuple[str, ...],
                      accept: Callable[[str], bool] | None = None) -> tuple[Word, Word] | None:
    """(label, value) of the first label of the field whose value passes `accept`."""
    for hit in find_labels(lines, keys):
        if hit.glued is not None and is_label_word(merge([hit.label, hit.glued])):
            continue  # '样品' of '样品编号': another field's label, not this one and a value
        value = value_after(lines, hit, keys)
        if value is not None and (accept is None or accept(value.text)):
            return hit.label, value
    return None
