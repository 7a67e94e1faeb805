"""Matching printed text against the vocabulary's labels.

Two keys: `key` keeps bracketed words ("价税合计（大写）" differs from "价税合计"), used for
field labels; `verify.model.vocabulary.normalise_label` drops bracketed units, used for headers.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from verify.model.vocabulary import fold_confusables, labels, normalise_label, vocabulary


def key(text: str) -> str:
    """Text folded for comparing field labels: NFKC, lower case, no spaces or colons, and 'l'
    read as 'i' (the two are one shape in sans-serif print, and OCR takes one for the other)."""
    return fold_confusables(re.sub(r"[\s:]", "", unicodedata.normalize("NFKC", text)).lower())


@cache
def label_keys(section: str, concept: str) -> tuple[str, ...]:
    """The keys of one concept's labels, longest first."""
    return tuple(sorted({key(lbl) for lbl in labels(section, concept)}, key=len, reverse=True))


@cache
def header_keys(section: str) -> dict[str, str]:
    """Normalised header label -> concept, for every concept of a section."""
    return {normalise_label(lbl): concept
            for concept, lbls in vocabulary()[section].items() for lbl in lbls}


def header_concept(section: str, text: str) -> str | None:
    """The concept a header cell names ("Unit price (CNY)" -> unit_price), or None."""
    return header_keys(section).get(normalise_label(text))


def any_label_key(text: str, sections: tuple[str, ...]) -> bool:
    """Whether text is exactly a label of any concept in the sections."""
    k = key(text)
    return any(k in label_keys(s, c) for s in sections for c in vocabulary()[s])


def contains_any(text: str, section: str, concept: str) -> bool:
    """Whether any label of the concept occurs in the text (folded)."""
    k = key(text)
    return any(lbl in k for lbl in label_keys(section, concept))
