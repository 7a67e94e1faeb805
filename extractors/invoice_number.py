"""The invoice number: the value of a number label that has the number's shape.

An invoice-number label ("Invoice No.", "Rechnungsnummer", "Facture n°") takes the first token of
its value ('# BLR_WFLD2015...' -> 'BLR_WFLD2015...'). A bare label ("No.", "Nr.", "N°", "#") or the
invoice's title ("Invoice INV/2023/03/0008") is only read when no such label holds a number, and
then only when it stands alone (not 'Order No.', 'Tel. No.') and what stands beside or under it
is one token of the number's shape: an address line ("No. 42/1 & 43, Kacherakanahalli Village")
is not an invoice number.
"""

from __future__ import annotations

import re

from extractors.labels import label_keys
from extractors.pdf.fields import find_labels, first_value, value_of
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


def _qualified(line: Line, label: Word) -> bool:
    """Whether a word stands just left of a bare label and names what it numbers ('Order No.',
    'Tel. No.', 'Address: No.'): then it is not the invoice's number."""
    before = [w for w in line.words if w.x1 <= label.x0 + 0.5]
    return bool(before) and label.x0 - before[-1].x1 < 1.5 * label.height


def _bare(lines: list[Line], keys: tuple[str, ...]) -> tuple[Word, Word] | None:
    """(label, value) of the first bare label standing alone whose value is a lone number."""
    for hit in find_labels(lines, keys):
        if _qualified(lines[hit.line], hit.label):
            continue
        value = value_of(lines, hit)
        if value is not None and bare_number(value.text) is not None:
            return hit.label, value
    return None


def find_number(lines: list[Line]) -> tuple[Word, Word] | None:
    """(label, value) of the invoice number on a page's lines, the value cut to the number."""
    found = first_value(lines, label_keys("invoice", "number"), lambda t: number_token(t) is not None)
    read = number_token
    if found is None:
        read = bare_number
        found = _bare(lines, label_keys("invoice", "number_bare")) or \
            _bare(lines, label_keys("invoice", "title"))
    if found is None:
        return None
    label, value = found
    return label, _token_word(value, read(value.text))
