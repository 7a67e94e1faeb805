"""Seller and buyer names on an invoice, resolved by the block each 名称 stands in.

Chinese VAT invoices print 购买方 and 销售方 blocks side by side (buyer left, seller right) or
one above the other, the block title often written vertically, and a bare "名称:" inside each.
A 名称 belongs to the nearest block title to its left or above.
"""

from __future__ import annotations

from extractors.labels import label_keys
from extractors.pdf.document import Page
from extractors.pdf.fields import find_labels, is_label_word, value_of
from extractors.pdf.words import Word

NAME_KEYS = ("名称", "name", "company name")
VERTICAL = {"buyer": ("购", "买"), "seller": ("销", "售")}


def _vertical_anchor(words: list[Word], first: str, second: str) -> list[Word]:
    """Words `first` with `second` printed directly below: a vertically written block title."""
    found = []
    for w in words:
        if w.text.strip() != first:
            continue
        below = [v for v in words if v.text.strip().startswith(second)
                 and abs(v.xmid - w.xmid) < w.height and 0 < v.top - w.bottom < 2 * w.height]
        if below:
            found.append(w)
    return found


def anchors(page: Page) -> dict[str, list[Word]]:
    """Where the buyer and seller blocks are titled, horizontally or vertically."""
    out: dict[str, list[Word]] = {}
    for role in ("buyer", "seller"):
        hits = [h.label for h in find_labels(page.lines, label_keys("invoice", role))]
        out[role] = hits + _vertical_anchor(page.words, *VERTICAL[role])
    return out


def _distance(anchor: Word, name: Word) -> float | None:
    """How far a block title stands from a 名称 label, when it is left of or above it."""
    if anchor.x0 > name.x0 + 5 or anchor.top > name.bottom + 5:
        return None
    return abs(name.x0 - anchor.x0) + abs(name.top - anchor.top)


def _role_of(name: Word, found: dict[str, list[Word]]) -> str | None:
    """The role whose block title is nearest (left or above) to a 名称 label."""
    best: tuple[float, str] | None = None
    for role, words in found.items():
        for a in words:
            d = _distance(a, name)
            if d is not None and (best is None or d < best[0]):
                best = (d, role)
    return best[1] if best else None


def _by_layout(pairs: list[tuple[Word, Word]]) -> dict[str, tuple[Word, Word]]:
    """Without block titles: side by side -> buyer left; one above the other -> buyer on top."""
    a, b = sorted(pairs[:2], key=lambda p: (p[0].top, p[0].x0))
    if abs(a[0].top - b[0].top) < a[0].height:
        a, b = sorted((a, b), key=lambda p: p[0].x0)
    return {"buyer": a, "seller": b}


def block_names(page: Page) -> dict[str, tuple[Word, Word]]:
    """{role: (label, value)} for the 名称 labels of a page."""
    pairs = []
    for hit in find_labels(page.lines, NAME_KEYS):
        value = value_of(page.lines, hit)
        if value is not None and not is_label_word(value):
            pairs.append((hit.label, value))
    found = anchors(page)
    roles: dict[str, tuple[Word, Word]] = {}
    for label, value in pairs:
        role = _role_of(label, found)
        if role and role not in roles:
            roles[role] = (label, value)
    if not roles and len(pairs) >= 2:
        return _by_layout(pairs)
    return roles


def direct_names(page: Page) -> dict[str, tuple[Word, Word]]:
    """{role: (label, value)} where the party label is followed by the name itself."""
    roles: dict[str, tuple[Word, Word]] = {}
    for role in ("buyer", "seller"):
        for hit in find_labels(page.lines, label_keys("invoice", role)):
            value = value_of(page.lines, hit)
            if value is not None and value.text.strip(" :：") and role not in roles:
                roles[role] = (hit.label, value)
    return roles


def parties(page: Page) -> dict[str, tuple[Word, Word]]:
    """Seller and buyer (label, value): block 名称 first, then direct labels for what is missing."""
    roles = block_names(page)
    for role, pair in direct_names(page).items():
        roles.setdefault(role, pair)
    return roles
