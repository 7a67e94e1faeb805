"""Printed dates: 2025-03-14, 14/03/2025, 2025年03月14日, 20250314, 14.03.2025, 2025/3/14,
03/20/2023 (month first when the day cannot be second), 14 Mar 2025, March 14, 2025,
3. März 2024, 19 april 2014, le 1er mars 2024, 3 marca 2024, 3 de marzo de 2024.

Month names come from data/languages.toml for every language an invoice may be written in."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from extractors.values.languages import fold, month_names

_MONTH = r"([^\W\d_]{3,})\.?"  # a word, looked up in the month names (any language)
_DAY = r"(\d{1,2})(?:st|nd|rd|th|er|e|\.)?"
_NOT_LETTER_BEFORE = r"(?<![^\W\d_])"

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?"), "ymd"),
    (re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)"), "ymd"),
    (re.compile(r"(?<![\d.,])(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?!\d)"), "dmy"),
    (re.compile(r"(?<!\d)(20\d{2})(\d{2})(\d{2})(?!\d)"), "ymd"),
    # spaces optional: OCR often drops them ("26Jan2025", "Jan26,2025")
    (re.compile(_NOT_LETTER_BEFORE + _DAY + r"[\s-]*(?:de\s+)?" + _MONTH
                + r"[\s,-]*(?:de\s+)?(\d{4})(?!\d)"), "dMy"),
    (re.compile(_NOT_LETTER_BEFORE + _MONTH + r"\s*" + _DAY + r"\s*,?\s*(\d{4})(?!\d)"), "Mdy"),
    # two-digit years last: 19.04.14, 19/04/14
    (re.compile(r"(?<![\d.,/-])(\d{1,2})([./-])(\d{1,2})\2(\d{2})(?![\d.,/-])"), "dmyy"),
]


def _build(groups: tuple[str, ...], order: str) -> dt.date | None:
    """A date from the captured parts in the given order, or None when impossible."""
    try:
        if order == "ymd":
            a, b, c = groups
            return dt.date(int(a), int(b), int(c))
        if order == "dmy":
            d, m, y = map(int, groups)
            if m > 12 >= d:  # 03/20/2023: the month is printed first
                d, m = m, d
            return dt.date(y, m, d)
        if order == "dmyy":
            d, _, m, y = groups
            return dt.date(2000 + int(y), int(m), int(d))
        if order == "dMy":
            d, m, y = groups
            return dt.date(int(y), month_names()[m], int(d))
        m, d, y = groups
        return dt.date(int(y), month_names()[m], int(d))
    except (ValueError, KeyError):
        return None


def _dates(text: str):
    """(start, end, date) of every date printed in the text, in the order of the patterns."""
    folded = fold(text)
    if len(folded) != len(text):  # folding changed the length (rare ligatures): spans are lost
        folded = unicodedata.normalize("NFKC", text).lower()
    has_letters = any(c.isalpha() for c in folded)
    for pattern, order in _PATTERNS:
        if order in ("dMy", "Mdy") and not has_letters:
            continue
        for m in pattern.finditer(folded):
            date = _build(m.groups(), order)
            if date is not None:
                yield m.start(), m.end(), date


def find_dates(text: str | None) -> list[tuple[int, int, dt.date]]:
    """(start, end, date) of every date printed in the text, in the order of the patterns."""
    return list(_dates(text)) if text else []


def parse_date(text: str | None) -> dt.date | None:
    """The first date printed in the text (by the patterns' order), or None."""
    if not text:
        return None
    return next((date for _, _, date in _dates(text)), None)


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
