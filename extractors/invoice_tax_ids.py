"""Seller's and buyer's tax identifiers on an invoice page.

Each 纳税人识别号 / VAT-number label's value is taken when it has an identifier's shape, and
belongs to the party whose block title stands nearest left of or above it (as a 名称 does).
Where a label's value is not an identifier (wrapped under it, or the label is missing), a
unified social credit code whose check character is right is taken from the party's block on
its own: the code checks itself, so nothing else on the page can pass for it.
"""

from __future__ import annotations

from extractors.labels import key, label_keys
from extractors.pdf.document import Page
from extractors.pdf.fields import find_labels, value_places
from extractors.pdf.words import Word
from extractors.tax_id import kind_of, tax_id

ROLES = ("buyer", "seller")


def _qualifier(page: Page, hit) -> str | None:
    """The party a label names itself ('Buyer Tax ID', '购买方纳税人识别号'), if it does."""
    before = [w for w in page.lines[hit.line].words if w.x1 <= hit.label.x0 + 0.5]
    words = [key(w.text) for w in before[-2:]] + [key(hit.label.text)]
    for role in ROLES:
        keys = label_keys("invoice", role)
        if any(k and (w == k or w.startswith(k)) for w in words for k in keys):
            return role
    return None


def _wrapped(page: Page, hit) -> list[tuple[str, Word]]:
    """A label that ends its line ('… · Tax ID'): its value may open the next line, wrapped."""
    line = page.lines[hit.line]
    if line.words[-1].x1 > hit.label.x1 + 0.5 or hit.line + 1 >= len(page.lines):
        return []
    nxt = page.lines[hit.line + 1]
    if not nxt.words or nxt.top - line.bottom > 1.2 * hit.label.height:
        return []
    return [("wrapped", nxt.words[0])]


def _labelled(page: Page, notes: list[str]) -> list[tuple[Word, Word, str, str | None]]:
    """(label, value word, identifier, party the label names) for every tax-id label whose
    value is an identifier; one per identifier ('Tax ID' inside 'Buyer Tax ID' is the same)."""
    out: dict[str, tuple[Word, Word, str, str | None]] = {}
    for hit in find_labels(page.lines, label_keys("invoice", "tax_id")):
        places = value_places(page.lines, hit) + _wrapped(page, hit)
        found = next(((w, code) for _, w in places if (code := tax_id(w.text))), None)
        if found is not None:
            named = _qualifier(page, hit)
            if found[1] not in out or (named and out[found[1]][3] is None):
                out[found[1]] = (hit.label, found[0], found[1], named)
        elif places:
            text = places[0][1].text.strip()
            if len(text.replace(" ", "")) == 18 and text[:2].isdigit():
                notes.append(f"page {page.number}: tax id {text!r} beside "
                             f"{hit.label.text.strip()!r} fails its check character "
                             "(GB 32100-2015); not taken")
    return list(out.values())


def _nearest(anchor: Word, candidates: list[tuple[Word, Word, str]]
             ) -> tuple[Word, Word, str] | None:
    """The candidate right of or below a party's name, nearest to it (within its block)."""
    best = None
    for c in candidates:
        value = c[1]
        if value.top < anchor.top - 2 or value.x1 < anchor.x0 - 5:
            continue
        d = abs(value.x0 - anchor.x0) + 2 * abs(value.top - anchor.top)
        if best is None or d < best[0]:
            best = (d, c)
    return best[1] if best else None


def _unlabelled(page: Page, taken: set[str]) -> list[tuple[Word, Word, str]]:
    """Every self-checking unified social credit code on the page not yet taken."""
    out = []
    for w in page.words:
        for token in w.text.replace("：", " ").replace(":", " ").split():
            if kind_of(token) == "uscc" and token.upper() not in taken:
                out.append((w, w, token.upper()))
    return out


def tax_ids(page: Page, role_of, names: dict[str, tuple[Word, Word]],
            notes: list[str]) -> dict[str, tuple[Word, Word, str]]:
    """{role: (label, value, identifier)}. `role_of(label)` names the block a label stands in
    (the same rule as for 名称); `names` are the parties' (label, name) already read."""
    found: dict[str, tuple[Word, Word, str]] = {}
    labelled = _labelled(page, notes)
    unplaced = []
    for label, value, code, named in labelled:
        role = named or role_of(label)
        if role in ROLES and role not in found:
            found[role] = (label, value, code)
        else:
            unplaced.append((label, value, code))
    missing = [r for r in ROLES if r not in found]
    if len(missing) == 2 and len(unplaced) >= 2:  # no titles: side by side, buyer left/on top
        ordered = sorted(unplaced, key=lambda c: (round(c[0].top / max(c[0].height, 1)),
                                                  c[0].x0))
        found.update(zip(ROLES, ordered[:2], strict=False))
    elif missing and len(unplaced) == 1:
        # the other party's, or a lone identifier outside any block: the seller's, which an
        # invoice must state (VAT Directive 2006/112/EC Art. 226(3)); the buyer's is optional
        found["seller" if "seller" in missing else missing[0]] = unplaced[0]
    taken = {c[2] for c in found.values()}
    spare = _unlabelled(page, taken)
    for role in ROLES:
        if role not in found and role in names and spare:
            c = _nearest(names[role][1], spare)
            if c is not None:
                found[role] = c
                spare.remove(c)
    return found
