"""Printed numbers as floats: 1,234.56 / 1 234.56 / 1.234,56 / 1'234.56 / ¥1,234.56 /
（小写）¥ / 1.234,56 € / $127.50 / 1 234,56 zł / EUR 1.234,56 / 13%."""

from __future__ import annotations

import re
import unicodedata

from extractors.values.dates import find_dates
from extractors.values.languages import decimal_of, language_of

_MARKS = r"(?:\(小写\)|小写|us\$|¥|￥|\$|€|£|₹|zł|kč|rs\.?|rmb|cny|usd|eur|gbp|pln|chf|inr|czk|sek|dkk|nok|huf|ron|jpy)"
_CURRENCY = re.compile(r"^" + _MARKS + "+", re.IGNORECASE)
_CURRENCY_END = re.compile(_MARKS + r"+$", re.IGNORECASE)
_NUMBER = re.compile(r"^[+-]?[\d.,'’ \u00a0\u202f]*\d$|^[+-]?\d[\d.,'’ \u00a0\u202f]*$")
_GROUP = "'’ \u00a0\u202f"


def _clean(text: str) -> str:
    """Full-width forms folded, currency marks (before or after) and surrounding spaces removed;
    a sign before the currency mark kept ('-€9.32'), a trailing ',-' ('100,-') read as ',00'."""
    text = unicodedata.normalize("NFKC", text).strip().replace("−", "-")
    text = text.replace(" ", "")
    sign = ""
    if text[:1] in "+-" and _CURRENCY.match(text[1:]):
        sign, text = text[0], text[1:]
    text = _CURRENCY.sub("", text).strip()
    text = _CURRENCY_END.sub("", text).strip()
    text = re.sub(r"[.,]-+$", "", text)
    return sign + text.rstrip("元")


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
    digits = re.sub(f"[{_GROUP}]", "", s)
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


# a number standing on its own: not glued after letters or digits ('F63530848134',
# 'NL810433941B01' are identifiers), not a rate ('20 %'), not part of a date
_IN_TEXT = re.compile(r"(?<![A-Za-z0-9])[-+]?(?:\d{1,3}(?:[ ,.'’\u00a0\u202f]\d{3})+(?:[.,]\d+)?(?!\d)"
                      r"|\d+(?:[.,]\d+)?)(?![A-Za-z]*\d)")
_RATE_AFTER = re.compile(r"^\s*%")
# the base a rate is taken of ('Tax 15% on $ 112.90', 'MwSt. 19% auf 1.000,00'): not the tax
_BASE_BEFORE = re.compile(r"%\s*(?:on|of|auf|von|sur|de|op|over|od|su|sobre)\s*" + _MARKS + r"?\s*$",
                          re.IGNORECASE)


def first_number(text: str | None, decimal: str | None = None) -> float | None:
    """The whole text as an amount, else the first amount printed in it ('14 449 161.51 CNY',
    '21% € 124,61' -> 124.61). A rate ('20 %'), a date ('ON August 3 , 2014') or digits glued to
    letters (a VAT or order number) are not amounts, nor the base a rate is taken of."""
    if not text:
        return None
    if "%" not in text:
        value = parse_number(text, decimal)
        if value is not None:
            return value
    clean = unicodedata.normalize("NFKC", text)
    dates = find_dates(clean) if any(c.isdigit() for c in clean) else []
    for m in _IN_TEXT.finditer(clean):
        if _RATE_AFTER.match(clean[m.end():]) or _BASE_BEFORE.search(clean[:m.start()]):
            continue
        if any(s < m.end() and m.start() < e for s, e, _ in dates):
            continue
        value = parse_number(m.group(0), decimal)
        if value is not None:
            return value
    return None


_COMMA_DECIMAL = re.compile(r"^\D{0,3}\d{1,3}(?:\.\d{3})+,\d{1,4}\D{0,3}$|^\D{0,3}\d+,\d{2}\D{0,3}$")
_POINT_DECIMAL = re.compile(r"^\D{0,3}\d{1,3}(?:,\d{3})+\.\d{1,4}\D{0,3}$|^\D{0,3}\d+\.\d{2}\D{0,3}$")


def decimal_mark(texts: list[str]) -> str | None:
    """The decimal mark a document uses, judged from its unambiguous numbers, else from the
    convention of the language its words are written in, or None."""
    comma = sum(1 for t in texts if _COMMA_DECIMAL.match(t))
    point = sum(1 for t in texts if _POINT_DECIMAL.match(t))
    if comma > point:
        return ","
    if point > comma:
        return "."
    return decimal_of(language_of(texts))
