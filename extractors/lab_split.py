"""Lab reports in one PDF told apart by what the pages print, as invoices are.

Labs often send the month's reports for several fuels or samples as one PDF. A report number or
sample ID that differs from the current report's starts a new report, at the top of its head
block: the title and the accreditation marks printed just above the number go with it (so two
reports may share a page). A page that prints no new number continues the current report, so a
multi-page report stays whole, and a running header that repeats the number changes nothing. A
title alone never splits: many labs repeat it on every page of one report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median

from extractors.labels import key, label_keys
from extractors.pdf.document import Page
from extractors.pdf.fields import find_labels, value_of
from extractors.pdf.lines import Line

_REPORT_NO = re.compile(r"^(?=.*\d)[A-Za-z0-9][A-Za-z0-9\-/_.]{2,}$")
_MARKS = re.compile(r"(?<![A-Za-z])(CMA|CNAS)(?![A-Za-z])|ISO\s*/\s*IEC\s*17025|资质认定", re.I)
_MARK_NUMBER = re.compile(r"^(\d{8,14}|L\s?\d{3,5})$")
_LAB_WORDS = ("检测", "检验", "实验室", "研究院", "中心", "laboratory", "testing", "centre",
              "center", "institute")
TITLE_SCALE = 1.25  # a title is printed at least this much taller than the body text


@dataclass(frozen=True)
class Section:
    """The lines of one report on one page."""

    page: int
    lines: list[Line]


def _token(text: str) -> str:
    parts = text.split()
    return parts[0].strip(".,;，；") if parts else ""


def _identity_keys() -> dict[str, tuple[str, ...]]:
    """Labels that name one report: its number and its sample's ID. The bare '编号' (number)
    also labels contract and commission numbers on real reports, so it does not split."""
    return {"report_no": tuple(k for k in label_keys("lab", "report_no") if len(k) > 2),
            "sample_id": label_keys("lab", "sample_id")}


def identity_hits(page: Page) -> list[tuple[int, str, str]]:
    """(line index, field, value) of every report number and sample ID printed on a page."""
    hits = []
    for name, keys in _identity_keys().items():
        for hit in find_labels(page.lines, keys):
            value = value_of(page.lines, hit)
            token = _token(value.text) if value is not None else ""
            if token and (name != "report_no" or _REPORT_NO.match(token)):
                hits.append((hit.line, name, token))
    return sorted(hits)


def _height(line: Line) -> float:
    return max(w.height for w in line.words)


def is_title(line: Line, body: float) -> bool:
    """A report title ('检测报告', 'Certificate of Analysis') standing out from the body text."""
    k = key(line.text)
    titles = label_keys("lab", "title")
    return any(t in k for t in titles) and (k in titles or _height(line) >= TITLE_SCALE * body)


def _is_marks(line: Line) -> bool:
    """Accreditation marks, or the numbers printed under the CMA / CNAS logos."""
    return bool(_MARKS.search(line.text)) or all(_MARK_NUMBER.match(w.text) for w in line.words)


def _is_letterhead(line: Line) -> bool:
    text = line.text.lower()
    return any(w in text for w in _LAB_WORDS) and not re.search(r"[:：\d]", text)


def head_start(lines: list[Line], at: int, floor: int, body: float) -> int:
    """The first line of the head block a report's number stands in: walk up over the title,
    the marks, and a letterhead directly above the title; never above `floor`."""
    i = at
    while i > floor:
        above, below = lines[i - 1], lines[i]
        if not (is_title(above, body) or _is_marks(above)
                or (_is_letterhead(above) and is_title(below, body))):
            break
        i -= 1
    return i


def _body_height(pages: list[Page]) -> float:
    heights = [w.height for p in pages for w in p.words]
    return median(heights) if heights else 10.0


def report_starts(pages: list[Page]) -> list[tuple[int, int]]:
    """(page index, line index) where each report begins; the first at the document's start."""
    body = _body_height(pages)
    starts = [(0, 0)]
    current: dict[str, str] = {}
    for p, page in enumerate(pages):
        for li, name, value in identity_hits(page):
            if current.get(name, value) != value:
                floor = starts[-1][1] if starts[-1][0] == p else 0
                start = (p, head_start(page.lines, li, floor, body))
                if start != starts[-1]:
                    starts.append(start)
                current = {}
            current[name] = value
    return starts


def split_reports(pages: list[Page]) -> list[list[Section]]:
    """The pages' lines grouped per report, each report a list of per-page sections."""
    starts = report_starts(pages)
    reports: list[list[Section]] = []
    for n, (p, li) in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else (len(pages) - 1, None)
        sections = []
        for q in range(p, end[0] + 1):
            lo = li if q == p else 0
            hi = end[1] if q == end[0] else None
            lines = pages[q].lines[lo:hi]
            if lines or q == p:
                sections.append(Section(pages[q].number, lines))
        reports.append(sections)
    return reports
