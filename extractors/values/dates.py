"""Printed dates: 2025-03-14, 14/03/2025, 2025年03月14日, 20250314, 14.03.2025, 2025/3/14."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

_MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?"), "ymd"),
    (re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)"), "ymd"),
    (re.compile(r"(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?!\d)"), "dmy"),
    (re.compile(r"(?<!\d)(20\d{2})(\d{2})(\d{2})(?!\d)"), "ymd"),
    # spaces optional: OCR often drops them ("26Jan2025", "Jan26,2025")
    (re.compile(r"(?<!\d)(\d{1,2})[\s-]*([a-z]{3})[a-z]*[\s,-]*(\d{4})", re.IGNORECASE), "dMy"),
    (re.compile(r"([a-z]{3})[a-z]*\s*(\d{1,2}),?\s*(\d{4})", re.IGNORECASE), "Mdy"),
]


def _build(a: str, b: str, c: str, order: str) -> dt.date | None:
    """A date from three captured parts in the given order, or None when impossible."""
    try:
        if order == "ymd":
            return dt.date(int(a), int(b), int(c))
        if order == "dmy":
            return dt.date(int(c), int(b), int(a))
        if order == "dMy":
            return dt.date(int(c), _MONTHS[b[:3].lower()], int(a))
        return dt.date(int(c), _MONTHS[a[:3].lower()], int(b))
    except (ValueError, KeyError):
        return None


def parse_date(text: str | None) -> dt.date | None:
    """The first date printed in the text, or None."""
    if not text:
        return None
    text = unicodedata.normalize("NFKC", text)
    for pattern, order in _PATTERNS:
        for m in pattern.finditer(text):
            date = _build(*m.groups(), order)
            if date is not None:
                return date
    return None


_PERIOD = [
    re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月"),
    re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})(?![\d])"),
]


def parse_period(text: str | None) -> str | None:
    """A month 'YYYY-MM' printed in a title ('2025年3月', '2025-03'), or None."""
    if not text:
        return None
    text = unicodedata.normalize("NFKC", text)
    for pattern in _PERIOD:
        m = pattern.search(text)
        if m and 1 <= int(m.group(2)) <= 12:
            return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"
    return None
