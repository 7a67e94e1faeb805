"""The currency a document is in, from what it prints: a symbol beside an amount (€ 399,00,
$4.11, 1 234,56 zł), an ISO code (EUR, USD, PLN), a currency word (US Dollars, złotych), 人民币
or 元. CNY is read only where the document names it or is Chinese; else the currency is unknown."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from extractors.values.languages import currencies, fold

_AMOUNT = r"\d[\d.,'’ \u00a0\u202f]*"


@cache
def _patterns() -> list[tuple[str, str, bool, re.Pattern[str], int]]:
    """(code, needle, on folded text, pattern, weight): a mark beside an amount weighs 3, a code
    or word alone 1. A pattern is tried only when its needle is printed (cheap to rule out)."""
    out = []
    for code, spec in currencies().items():
        for sym in spec.get("symbols", ()):
            s = re.escape(sym)
            out.append((code, sym, False, re.compile(rf"{s}\s?-?{_AMOUNT}|{_AMOUNT}\s?{s}"), 3))
            out.append((code, sym, False, re.compile(s), 1))
        for iso in spec.get("codes", ()):
            out.append((code, iso, False, re.compile(
                rf"(?<![A-Za-z]){iso}\s?-?{_AMOUNT}|{_AMOUNT}\s?{iso}(?![A-Za-z])"), 3))
            out.append((code, iso.lower(), True,
                        re.compile(rf"(?<![a-z]){iso.lower()}(?![a-z])"), 1))
        for word in spec.get("words", ()):
            w = fold(word)
            out.append((code, w, True, re.compile(rf"(?<![a-z]){re.escape(w)}(?![a-z])"), 1))
    return out


_CJK = re.compile(r"[\u4e00-\u9fff]")
_YEN = re.compile(r"[¥￥]\s?\d")


def currency_counts(text: str) -> Counter:
    """Weighted evidence per ISO code printed in the text."""
    counts: Counter = Counter()
    folded = fold(text)
    for code, needle, on_folded, pattern, weight in _patterns():
        source = folded if on_folded else text
        if needle not in source:
            continue
        n = len(pattern.findall(source))
        if n:
            counts[code] += n * weight
    return counts


def document_currency(text: str) -> str:
    """The ISO code of the currency the text is in; '' when it names none. ¥/￥ is CNY on a
    Chinese document (JPY elsewhere), and an unmarked Chinese document is in CNY."""
    counts = currency_counts(text)
    chinese = len(_CJK.findall(text)) >= 4
    if _YEN.search(text):
        counts["CNY" if chinese else "JPY"] += 3 * len(_YEN.findall(text))
    if counts:
        return counts.most_common(1)[0][0]
    return "CNY" if chinese else ""
