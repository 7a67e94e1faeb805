"""Per-language conventions from data/languages.toml: month names, decimal marks, currency marks."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections import Counter
from functools import cache
from importlib import resources

_UNFOLDED = str.maketrans({"ł": "l", "Ł": "l", "ß": "ss", "ø": "o", "đ": "d"})


def fold(text: str) -> str:
    """Lower case, NFKC, accents dropped (März -> marz, października -> pazdziernika)."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKC", text).translate(_UNFOLDED).lower()
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@cache
def data() -> dict:
    text = resources.files("extractors").joinpath("data", "languages.toml").read_text("utf-8")
    return tomllib.loads(text)


def languages() -> dict[str, dict]:
    """Language code -> its conventions (decimal, thousands, words, months)."""
    return {k: v for k, v in data().items() if k != "currencies"}


@cache
def month_names() -> dict[str, int]:
    """Folded month name or abbreviation -> month number, over every language."""
    out: dict[str, int] = {}
    for conv in languages().values():
        for i, names in enumerate(conv.get("months", []), 1):
            for name in names:
                out.setdefault(fold(name), i)
    return out


@cache
def _language_words() -> dict[str, str]:
    """Folded word -> the one language it marks (words shared by languages mark none)."""
    seen: dict[str, set[str]] = {}
    for lang, conv in languages().items():
        for w in conv.get("words", []):
            seen.setdefault(fold(w), set()).add(lang)
    return {w: next(iter(langs)) for w, langs in seen.items() if len(langs) == 1}


_WORD = re.compile(r"[^\W\d_]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def language_of(texts: list[str]) -> str | None:
    """The language most of the texts' marking words belong to ('zh' when Han characters
    dominate), or None when nothing marks one."""
    joined = " ".join(texts)
    han = len(_CJK.findall(joined))
    if han >= 4:
        return "zh"
    marks = _language_words()
    counts = Counter(marks[w] for w in _WORD.findall(fold(joined)) if w in marks)
    if not counts:
        return None
    (best, n), *rest = counts.most_common(2) + [(None, 0)]
    return best if n > rest[0][1] else None


def decimal_of(language: str | None) -> str | None:
    """The decimal mark of a language's convention, or None."""
    return languages().get(language or "", {}).get("decimal")


@cache
def currencies() -> dict[str, dict[str, tuple[str, ...]]]:
    """ISO code -> {codes, symbols, words}."""
    return {code: {k: tuple(v) for k, v in spec.items()}
            for code, spec in data().get("currencies", {}).items()}


@cache
def company_pattern() -> re.Pattern[str]:
    """A company's legal form printed in a name ('Coolblue B.V.', 'Stahl GmbH', 'ABC Sp. z o.o.',
    '河北冀东焦化有限公司'); Latin forms as whole words."""
    forms = data().get("legal_forms", {})

    def one(word: str) -> str:
        if not word.isascii():
            return re.escape(word)
        right = "" if word.endswith(".") else r"(?![^\W_])"
        return rf"(?<![^\W_]){re.escape(word)}{right}"

    def alt(words: list[str]) -> str:
        return "|".join(one(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?i:{alt(forms.get('any_case', []))})|{alt(forms.get('exact_case', []))}")
