"""An HTML table saved under a spreadsheet name, read as a spreadsheet program opens it.

Many ERP and MES systems "export to Excel" by writing an HTML page named .xls. The data is all
there as text, so it is read rather than refused: every <table> in document order, one after
the other on one sheet; a cell spanning rows or columns keeps its text in its first cell and
leaves the others empty, as merged cells do. `x:num` (the number Excel's own HTML export keeps
beside the formatted text) is taken when present. Scripts and styles are skipped; nothing is
fetched.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_HTML = re.compile(r"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|meta|body|table|style)\b",
                   re.IGNORECASE | re.DOTALL)
_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-]+)", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """Whether text is an HTML page (its first tag is an HTML one)."""
    return bool(_HTML.match(text.removeprefix("\ufeff")))


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in a <meta> tag (gbk, utf-8 ...), if any."""
    m = _CHARSET.search(data[:4096])
    return m.group(1).decode("ascii").lower() if m else None


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def _count(value: str | None) -> int:
    """A rowspan or colspan: at least one, and no more than a sheet holds."""
    return min(max(int(_number(value) or 1), 1), 1000)


class _Tables(HTMLParser):
    """Collects the rows of every table; cells as text (or x:num numbers), spans expanded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[object]] = []
        self._row: list[object] | None = None
        self._cell: list[str] | None = None
        self._num: float | None = None
        self._span = (1, 1)
        self._below: dict[int, int] = {}  # column -> rows still covered by a rowspan above
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "table":
            self._below = {}
        elif tag == "tr":
            self._end_row()
            self._row = []
        elif tag in ("td", "th"):
            self._end_cell()
            if self._row is None:
                self._row = []
            self._cell, self._num = [], _number(a.get("x:num"))
            self._span = (_count(a.get("rowspan")), _count(a.get("colspan")))
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in ("td", "th"):
            self._end_cell()
        elif tag in ("tr", "table"):
            self._end_row()

    def handle_data(self, data: str) -> None:
        if self._cell is not None and not self._skip:
            self._cell.append(data)

    def _skip_covered(self) -> None:
        """Leave empty the columns a rowspan from above still covers."""
        if self._row is None:
            return
        while self._below.get(len(self._row), 0) > 0:
            self._below[len(self._row)] -= 1
            self._row.append(None)

    def _end_cell(self) -> None:
        if self._cell is None or self._row is None:
            return
        self._skip_covered()
        text = " ".join("".join(self._cell).split())
        rows, cols = self._span
        for i in range(cols):
            if rows > 1:
                self._below[len(self._row)] = rows - 1
            self._row.append((self._num if self._num is not None else text or None) if i == 0 else None)
        self._cell = None

    def _end_row(self) -> None:
        self._end_cell()
        if self._row is not None:
            self._skip_covered()
            self.rows.append(self._row)
        self._row = None


def html_rows(text: str) -> list[list[object]]:
    """The rows of every table of an HTML page, in document order."""
    parser = _Tables()
    parser.feed(text)
    parser.close()
    parser._end_row()
    return parser.rows
