"""Printed numbers as floats: 1,234.56 / 1 234.56 / 1.234,56 / ¥1,234.56 / （小写）¥ / 13%."""

from __future__ import annotations

import re
import unicodedata

_CURRENCY = re.compile(r"^(?:\(小写\)|小写|¥|￥|\$|€|£|rmb|cny|usd|eur)+", re.IGNORECASE)
_NUMBER = re.compile(r"^[+-]?[\d.,' \u00a0\u202f]*\d$|^[+-]?\d[\d.,' \u00a0\u202f]*$")


def _clean(text: str) -> str:
    """Full-width forms folded, currency marks and surrounding spaces removed."""
    text = unicodedata.normalize("NFKC", text).strip()
    text = _CURRENCY.sub("", text.replace(" ", "")).strip()
    return text.rstrip("元").replace("−", "-")


def _decimal_mark(text: str) -> str | None:
    """Which of '.' and ',' is the decimal mark, judged by the last one and its digits after."""
    last_dot, last_comma = text.rfind("."), text.rfind(",")
    if last_dot < 0 and last_comma < 0:
        return None
    mark = "." if last_dot > last_comma else ","
    other = "," if mark == "." else "."
    tail = text[text.rfind(mark) + 1 :]
    if text.count(mark) > 1 or (other not in text and len(tail) == 3 and mark == ","):
        return None  # "1,234,567" or "1,234": thousands separators only
    return mark


def parse_number(text: str | None, decimal: str | None = None) -> float | None:
    """A float from a printed number, or None when the text is not one number. `decimal` is the
    document's decimal mark when known (',' makes '788.480' read as 788480)."""
    if text is None:
        return None
    s = _clean(text)
    percent = s.endswith("%")
    s = s.rstrip("%").strip()
    if not s or not _NUMBER.match(s) or not any(c.isdigit() for c in s):
        return None
    mark = decimal if decimal and (decimal in s or ("," if decimal == "." else ".") in s) \
        else _decimal_mark(s)
    digits = re.sub(r"[ \u00a0\u202f']", "", s)
    digits = digits.replace(".", "").replace(",", ".") if mark == "," else digits.replace(",", "")
    try:
        value = float(digits)
    except ValueError:
        return None
    return value / 100 if percent else value


def parse_rate(text: str | None) -> float | None:
    """A tax rate as a fraction: '13%' -> 0.13, '0.13' -> 0.13, '13' -> 0.13."""
    value = parse_number(text)
    if value is None:
        return None
    return value / 100 if value > 1 else value


def is_number(text: str | None) -> bool:
    """Whether the text reads as one printed number."""
    return parse_number(text) is not None


_IN_TEXT = re.compile(r"[-+]?\d{1,3}(?:[ ,.'\u00a0\u202f]\d{3})+(?:[.,]\d+)?(?!\d)"
                      r"|[-+]?\d+(?:[.,]\d+)?")


def first_number(text: str | None, decimal: str | None = None) -> float | None:
    """The whole text as a number, else the first number printed in it ('14 449 161.51 CNY')."""
    value = parse_number(text, decimal)
    if value is not None or not text:
        return value
    clean = unicodedata.normalize("NFKC", text)
    m = _IN_TEXT.search(clean)
    return parse_number(m.group(0), decimal) if m else None


_COMMA_DECIMAL = re.compile(r"^\D?\d{1,3}(?:\.\d{3})+,\d{1,4}$|^\D?\d+,\d{2}$")
_POINT_DECIMAL = re.compile(r"^\D?\d{1,3}(?:,\d{3})+\.\d{1,4}$|^\D?\d+\.\d{2}$")


def decimal_mark(texts: list[str]) -> str | None:
    """The decimal mark a document uses, judged from its unambiguous numbers, or None."""
    comma = sum(1 for t in texts if _COMMA_DECIMAL.match(t))
    point = sum(1 for t in texts if _POINT_DECIMAL.match(t))
    if comma > point:
        return ","
    return "." if point > comma else None
