"""Chinese capital amounts (大写): 壹佰贰拾叁万肆仟伍佰陆拾柒圆捌角玖分 -> 1234567.89.

The 价税合计 of a Chinese invoice is printed twice, in figures and in capitals; reading both
lets a verifier see an altered figure.
"""

from __future__ import annotations

import re

_DIGITS = {"零": 0, "〇": 0, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7,
           "捌": 8, "玖": 9, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9}
_SMALL = {"拾": 10, "十": 10, "佰": 100, "百": 100, "仟": 1000, "千": 1000}
_LARGE = {"万": 10_000, "亿": 100_000_000}
_FRACTION = {"角": 0.1, "分": 0.01}
_CAPITALS = re.compile(r"[零〇壹贰叁肆伍陆柒捌玖拾佰仟万亿圆元角分整正]+")


def _integer(text: str) -> int:
    """The integer part: sections split by 亿 and 万, each of 仟佰拾 digits."""
    total, section, digit = 0, 0, 0
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _SMALL:
            section += (digit or 1) * _SMALL[ch]
            digit = 0
        elif ch == "亿":
            total = (total + section + digit) * _LARGE[ch]
            section, digit = 0, 0
        elif ch in _LARGE:
            total += (section + digit) * _LARGE[ch]
            section, digit = 0, 0
    return total + section + digit


def _fraction(text: str) -> float:
    """The 角 and 分 after the 圆."""
    value, digit = 0.0, 0
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _FRACTION:
            value += digit * _FRACTION[ch]
            digit = 0
    return value


def find_capitals(text: str) -> str | None:
    """The longest run of capital-amount characters in a text, or None."""
    runs = [m.group(0) for m in _CAPITALS.finditer(text or "")]
    runs = [r for r in runs if any(c in _DIGITS or c in _SMALL for c in r)]
    return max(runs, key=len) if runs else None


def parse_capitals(text: str | None) -> float | None:
    """The amount a capital-amount text states, or None when it holds no digits."""
    found = find_capitals(text or "")
    if found is None:
        return None
    head, sep, tail = _split(found)
    return round(_integer(head) + (_fraction(tail) if sep else 0.0), 2)


def _split(text: str) -> tuple[str, str, str]:
    """Integer part, the 圆 mark, fractional part (when there is no 圆, all is integer unless
    it holds only 角/分)."""
    for mark in ("圆", "元"):
        if mark in text:
            head, tail = text.split(mark, 1)
            return head, mark, tail
    if any(ch in _FRACTION for ch in text):
        return "", "圆", text
    return text, "", ""
