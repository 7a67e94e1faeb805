"""The invoice number: the value of a number label that has the number's shape.

An invoice-number label ("Invoice No.", "Rechnungsnummer", "Facture n°") takes the first token of
its value ('# BLR_WFLD2015...' -> 'BLR_WFLD2015...'). A bare label ("No.", "Nr.", "N°", "#") or the
invoice's title ("Invoice INV/2023/03/0008") is only read when no such label holds a number, and
then only when what stands beside or under it is one token of the number's shape: an address
line ("No. 42/1 & 43, Kacherakanahalli Village") is not an invoice number.
"""

from __future__ import annotations

import re

from extractors.labels import label_keys
from extractors.pdf.fields import first_value
from extractors.pdf.lines import Line
from extractors.pdf.words import Word, cut
from extractors.values.dates import parse_date
from extractors.values.numbers import parse_number

NUMBER = re.compile(r"^(?=.*\d)[A-Za-z0-9][A-Za-z0-9\-/_.]{2,}$")
_LEAD = re.compile(r"^(?:[#:：]|n[°º]\.?|no\.|nr\.)\s*", re.IGNORECASE)
_TRAIL = ".,;，；"


def _strip_lead(text: str) -> str:
    """The value without a leading '#', ':' or 'N°' printed between the label and the number."""
    text = text.strip()
    while (m := _LEAD.match(text)) and m.end() < len(text):
        text = text[m.end():]
    return text


def number_token(text: str) -> str | None:
    """The invoice number a label's value starts with, or None when it has not the shape."""
    parts = _strip_lead(text).split()
    token = parts[0].strip(_TRAIL) if parts else ""
    return token if NUMBER.match(token) else None


def bare_number(text: str) -> str | None:
    """The value as an invoice number when it is one token of the number's shape and neither a
    date nor an amount; else None (a bare label's neighbour is often an address or a sentence)."""
    rest = _strip_lead(text)
    token = number_token(rest)
    if token is None or rest.strip().strip(_TRAIL) != token:
        return None
    if parse_date(token) is not None or re.search(r"[.,]\d{2}$", token) and parse_number(token):
        return None
    return token


def _token_word(value: Word, token: str) -> Word:
    """The part of a value word that prints the token (boxes shared in proportion)."""
    start = value.text.find(token)
    if start <= 0 and len(token) == len(value.text):
        return value
    _, rest = cut(value, max(start, 0))
    word, _ = cut(rest, len(token))
    return word


def find_number(lines: list[Line]) -> tuple[Word, Word] | None:
    """(label, value) of the invoice number on a page's lines, the value cut to the number."""
    found = first_value(lines, label_keys("invoice", "number"), lambda t: number_token(t) is not None)
    read = number_token
    if found is None:
        read = bare_number
        found = first_value(lines, label_keys("invoice", "number_bare"),
                            lambda t: bare_number(t) is not None) or \
            first_value(lines, label_keys("invoice", "title"), lambda t: bare_number(t) is not None)
    if found is None:
        return None
    label, value = found
    return label, _token_word(value, read(value.text))
