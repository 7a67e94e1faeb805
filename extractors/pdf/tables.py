"""Tables as rows of {concept: cell word}, from ruled grids or from word columns.

A header row is recognised by the vocabulary (at least three known column names); data cells are
assigned to the header column they overlap most. Wrapped cells (a second line holding only text)
are joined to the row above. A page without a header continues the previous page's table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from extractors.labels import header_concept, key
from extractors.pdf.lines import Line
from extractors.pdf.words import Word, merge
from extractors.values.numbers import is_number

Row = dict[str, Word]


@dataclass(frozen=True)
class Columns:
    """Header concepts and their x boundaries, left to right."""

    concepts: tuple[str, ...]
    bounds: tuple[tuple[float, float], ...]
    header: Word


def header_cells(words: tuple[Word, ...], concept_of: Callable[[str], str | None]
                 ) -> list[tuple[str, Word]]:
    """Header words mapped to concepts, trying three, two then one adjacent words as one name."""
    found: list[tuple[str, Word]] = []
    i = 0
    while i < len(words):
        for span in (3, 2, 1):
            if i + span > len(words):
                continue
            cell = merge(list(words[i:i + span]))
            concept = concept_of(cell.text)
            if concept and concept not in [c for c, _ in found]:
                found.append((concept, cell))
                i += span
                break
        else:
            i += 1
    return found


def columns_from(cells: list[tuple[str, Word]], line: Line) -> Columns:
    """Column boundaries halfway between the header cells' centres."""
    mids = [w.xmid for _, w in cells]
    edges = [-1e9] + [(a + b) / 2 for a, b in zip(mids, mids[1:], strict=False)] + [1e9]
    bounds = tuple((edges[i], edges[i + 1]) for i in range(len(cells)))
    return Columns(tuple(c for c, _ in cells), bounds, merge(list(line.words)))


def columns_of(line: Line, section: str, minimum: int = 3) -> Columns | None:
    """Columns when a line is a table header (enough known column names), else None."""
    cells = header_cells(line.words, lambda text: header_concept(section, text))
    return columns_from(cells, line) if len(cells) >= minimum else None


def _column_for(word: Word, cols: Columns) -> str:
    """The column a word overlaps most (left-aligned text belongs where it starts)."""
    def overlap(b: tuple[float, float]) -> float:
        return min(word.x1, b[1]) - max(word.x0, b[0])
    best = max(range(len(cols.bounds)), key=lambda i: overlap(cols.bounds[i]))
    return cols.concepts[best]


PHRASE_GAP = 0.4  # words closer than this share of their height are one phrase (a space apart)


def phrases(words: tuple[Word, ...]) -> list[list[Word]]:
    """A line's words grouped into phrases: a cell's words are a space apart, cells further."""
    groups: list[list[Word]] = []
    for w in words:
        if groups and w.x0 - groups[-1][-1].x1 <= PHRASE_GAP * min(w.height, groups[-1][-1].height):
            groups[-1].append(w)
        else:
            groups.append([w])
    return groups


def assign(line: Line, cols: Columns) -> Row:
    """A line's words gathered per column, a phrase as a whole (so 'Washed coking coal' stays in
    its column even when its last word runs past the midpoint to the next header)."""
    parts: dict[str, list[Word]] = {}
    for group in phrases(line.words):
        parts.setdefault(_column_for(merge(group), cols), []).extend(group)
    return {c: merge(ws) for c, ws in parts.items()}


def is_stop(line_text: str, stop_keys: tuple[str, ...]) -> bool:
    """Whether a line starts a totals or footer block (合计, 价税合计, Subtotal, 备注 ...)."""
    k = key(line_text)
    return any(k.startswith(s) for s in stop_keys)


def _numeric(row: Row, numeric: tuple[str, ...]) -> bool:
    return any(c in row and is_number(row[c].text) for c in numeric)


def _attach(rows: list[tuple[float, Row]], text: tuple[float, Row], text_cols: tuple[str, ...],
            reach: float) -> None:
    """Join a wrapped text line to the nearest data row (above or below: cells are often
    centred vertically, so a two-line name straddles its row's numbers)."""
    y, cells = text
    near = [(abs(ry - y), i) for i, (ry, _) in enumerate(rows) if abs(ry - y) <= reach]
    if not near:
        return
    ry, row = rows[min(near)[1]]
    for c, w in cells.items():
        if c in text_cols:
            parts = [row[c], w] if c in row else [w]
            row[c] = merge(sorted(parts, key=lambda p: (p.top, p.x0)))


def rows_from_lines(lines: list[Line], cols: Columns, numeric: tuple[str, ...],
                    text_cols: tuple[str, ...], stop_keys: tuple[str, ...]) -> tuple[list[Row], bool]:
    """Data rows read under a header until a stop line; (rows, stopped)."""
    rows: list[tuple[float, Row]] = []
    texts: list[tuple[float, Row]] = []
    stopped = False
    for line in lines:
        if is_stop(line.text, stop_keys):
            stopped = True
            break
        row = assign(line, cols)
        y = (line.top + line.bottom) / 2
        if _numeric(row, numeric):
            rows.append((y, row))
        elif set(row) <= set(text_cols):
            texts.append((y, row))
    height = max((line.bottom - line.top for line in lines[:1]), default=10.0)
    for text in texts:
        _attach(rows, text, text_cols, 1.6 * height)
    return [r for _, r in rows], stopped


def grid_rows(grid: list[list[Word | None]], section: str, numeric: tuple[str, ...],
              stop_keys: tuple[str, ...]) -> list[Row] | None:
    """Rows of a ruled grid whose header row names enough columns, else None."""
    for hi, header in enumerate(grid):
        concepts = [header_concept(section, c.text) if c else None for c in header]
        if len({c for c in concepts if c}) < 3:
            continue
        rows = []
        for cells in grid[hi + 1:]:
            first = next((c.text for c in cells if c and c.text), "")
            if is_stop(first, stop_keys):
                break
            row = {c: w for c, w in zip(concepts, cells, strict=False) if c and w and w.text}
            if _numeric(row, numeric):
                rows.append(row)
        return rows
    return None
