"""Words grouped into lines by their vertical position."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from extractors.pdf.words import Word, merge


@dataclass(frozen=True)
class Line:
    """Words sharing a baseline band, left to right."""

    words: tuple[Word, ...]

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def page(self) -> int:
        return self.words[0].page

    @cached_property
    def text(self) -> str:
        return merge(list(self.words)).text

    @cached_property
    def spans(self) -> dict[tuple[int, int], Word]:
        """Runs of up to four adjacent words merged, by (start, length): label candidates."""
        n = len(self.words)
        return {(i, k): merge(list(self.words[i:i + k]))
                for i in range(n) for k in range(1, min(4, n - i) + 1)}

    def right_of(self, x: float) -> list[Word]:
        """The words starting at or after x."""
        return [w for w in self.words if w.x0 >= x - 0.5]


def _same_line(word: Word, line: list[Word]) -> bool:
    """Whether a word's vertical middle falls inside the band of the line's first word (not the
    union of its words, which would chain a vertically written title into one line)."""
    first = line[0]
    return first.top - 1 <= word.ymid <= first.bottom + 1


def group_lines(words: list[Word]) -> list[Line]:
    """Given the words of one page, return its lines top to bottom, each left to right."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.ymid, w.x0)):
        if lines and _same_line(word, lines[-1]):
            lines[-1].append(word)
        else:
            lines.append([word])
    return [Line(tuple(sorted(ws, key=lambda w: w.x0))) for ws in lines]
