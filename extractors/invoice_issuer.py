"""The issuer of an invoice printed without a label, found by where it stands.

Commercial invoices rarely print "Seller:". Their issuer stands in one of two places: a
letterhead block at the top (a name line with its address or contact lines directly under it,
left-aligned with it), or the foot of the page (a name line directly above the legal mentions:
registered office, register and VAT numbers). A buyer's address block looks like a letterhead,
so a block under a buyer label, or named by one, is not taken.
"""

from __future__ import annotations

import re
from functools import cache

from extractors.labels import any_label_key, key, label_keys
from extractors.pdf.document import Page
from extractors.pdf.lines import Line
from extractors.pdf.words import Word, merge
from extractors.values.languages import data, fold

TOP_SHARE = 0.35  # a letterhead stands in the top third of the page
FOOT_SHARE = 0.30  # legal mentions stand in the bottom third
MAX_NAME_WORDS = 6
_LETTERS = re.compile(r"[^\W\d_]")
_TITLE_WORDS = ("invoice", "facture", "factuur", "rechnung", "faktura", "fattura", "factura",
                "bill", "receipt", "quote")


@cache
def _mentions() -> re.Pattern[str]:
    words = data().get("issuer_mentions", {}).get("words", [])
    alt = "|".join(re.escape(fold(w)) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![^\W_])(?:{alt})(?![^\W_])")


def _is_name(line: Line) -> bool:
    """A line that may be a company or person name: letters, no digits, no colon, a few words,
    not a field label nor a document title."""
    text = line.text.strip()
    if not _LETTERS.search(text) or any(c.isdigit() for c in text) or ":" in text or "：" in text \
            or "@" in text or len(text.split()) > MAX_NAME_WORDS:
        return False
    folded = fold(text)
    if any(w in _TITLE_WORDS for w in re.findall(r"[^\W\d_]+", folded)):
        return False
    return not any_label_key(text, ("invoice", "invoice_line"))


def _address_like(line: Line) -> bool:
    """An address or contact line: a street number, postcode, phone, e-mail or web address."""
    return any(c.isdigit() for c in line.text) or "@" in line.text or "www." in line.text.lower()


def _buyer_keys() -> tuple[str, ...]:
    return label_keys("invoice", "buyer")


def _under_buyer(lines: list[Line], i: int) -> bool:
    """Whether the line at i is in a block a buyer label titles: the label on the line above
    (within two lines) standing over it, or on its own line left of it."""
    line = lines[i]
    keys = _buyer_keys()
    for j in range(max(0, i - 2), i + 1):
        for w in lines[j].words:
            named = key(w.text) in keys or any(key(s.text) in keys for s in lines[j].spans.values()
                                               if abs(s.x0 - w.x0) < 0.5)
            if named and w.x0 < line.words[-1].x1 and w.x1 > line.words[0].x0 - 3 * w.height:
                return True
    return False


def _directly_under(upper: Line, lower: Line) -> bool:
    """Whether a line of `lower` starts under the start of `upper`, a line apart."""
    height = upper.bottom - upper.top
    return lower.top - upper.bottom < 1.2 * height and \
        any(abs(w.x0 - upper.words[0].x0) < 1.5 * height for w in lower.words)


def _block_start(lines: list[Line], i: int) -> bool:
    """The line at i heads a block: no line directly above it in the same column, and the next
    line, directly under it, is an address or contact line."""
    if i + 1 >= len(lines) or (i > 0 and _directly_under(lines[i - 1], lines[i])):
        return False
    return _directly_under(lines[i], lines[i + 1]) and _address_like(lines[i + 1])


def _name_words(line: Line) -> Word:
    """The name at the start of a line (a block stands alone: words up to a wide gap)."""
    words = [line.words[0]]
    for w in line.words[1:]:
        if w.x0 - words[-1].x1 > 2 * w.height:
            break
        words.append(w)
    return merge(words)


def letterhead_block(page: Page) -> Word | None:
    """The topmost name line in the top of the page that heads an address block."""
    limit = page.height * TOP_SHARE if page.height else float("inf")
    lines = page.lines
    for i, line in enumerate(lines):
        if line.top > limit:
            break
        sub = Line((_name_words(line),))
        if _is_name(sub) and _block_start(lines, i) and not _under_buyer(lines, i):
            return sub.words[0]
    return None


def footer_name(page: Page) -> Word | None:
    """A name line at the foot of the page standing directly above the legal mentions."""
    if not page.height:
        return None
    lines = page.lines
    mentions = _mentions()
    for i, line in enumerate(lines):
        if line.top < page.height * (1 - FOOT_SHARE) or not _is_name(line):
            continue
        below = lines[i + 1:i + 3]
        height = line.bottom - line.top
        if below and below[0].top - line.bottom < 1.5 * height and \
                any(mentions.search(fold(b.text)) for b in below):
            return merge(list(line.words))
    return None
