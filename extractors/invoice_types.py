"""Invoice fields found by what they look like, when no label gives them: the 20-digit number
of a 数电 invoice and a printed issue date, in the top part of the first page."""

from __future__ import annotations

import re

from extractors.labels import key
from extractors.pdf.document import Page
from extractors.pdf.fields import known_labels
from extractors.pdf.words import Word
from extractors.values.dates import parse_date

DIGITAL_NUMBER = re.compile(r"^\d{20}$")  # 数电 invoice number
_CN_DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
HEAD = 0.4  # share of the page from the top where the number and date are printed


def _head_words(page: Page) -> list[tuple[Word, list[Word]]]:
    """Words in the page's head, each with the words left of it on its line."""
    out = []
    for line in page.lines:
        if line.top > HEAD * page.height:
            break
        for i, w in enumerate(line.words):
            out.append((w, list(line.words[:i])))
    return out


def _unlabelled(left: list[Word]) -> bool:
    """No known label of another field stands just before the word (a bank account or tax id
    has its own)."""
    return not left or key(left[-1].text) not in known_labels()


def digital_number(page: Page) -> tuple[Word, Word] | None:
    """(word, word) of a lone 20-digit number in the page's head, when no label names it."""
    found = [w for w, left in _head_words(page)
             if DIGITAL_NUMBER.match(w.text.strip()) and _unlabelled(left)]
    return (found[0], found[0]) if len(found) == 1 else None


def issue_date(page: Page) -> tuple[Word, Word] | None:
    """(word, word) of the one date written 年月日 in the page's head."""
    found = [w for w, left in _head_words(page)
             if _CN_DATE.search(w.text) and parse_date(w.text) is not None and _unlabelled(left)]
    return (found[0], found[0]) if len(found) == 1 else None
