"""Seller and buyer names on an invoice, resolved by the block each 名称 stands in.

Chinese VAT invoices print 购买方 and 销售方 blocks side by side (buyer left, seller right) or
one above the other, the block title often written vertically, and a bare "名称:" inside each.
A 名称 belongs to the nearest block title to its left or above.
"""

from __future__ import annotations

from dataclasses import replace

from extractors.invoice_tax_ids import tax_ids
from extractors.labels import label_keys
from extractors.pdf.document import Page
from extractors.pdf.fields import find_labels, is_label_word, value_of
from extractors.pdf.lines import group_lines
from extractors.pdf.words import Word, cut, merge

NAME_KEYS = ("名称", "name", "company name")
VERTICAL = {"buyer": ("购", "买"), "seller": ("销", "售")}


def _vertical_anchor(words: list[Word], first: str, second: str) -> list[Word]:
    """Words `first` with `second` printed directly below: a vertically written block title."""
    found = []
    for w in words:
        if w.text.strip() != first:
            continue
        below = [v for v in words if v.text.strip().startswith(second)  # centres: OCR
                 and abs(v.xmid - w.xmid) < w.height  # boxes of stacked characters overlap
                 and 0.5 * w.height < v.ymid - w.ymid < 3 * w.height]
        if below:
            found.append(w)
    return found


def anchors(page: Page, titles: dict[str, list[Word]] | None = None) -> dict[str, list[Word]]:
    """Where the buyer and seller blocks are titled, horizontally or vertically."""
    out: dict[str, list[Word]] = {}
    for role in ("buyer", "seller"):
        hits = [h.label for h in find_labels(page.lines, label_keys("invoice", role))]
        out[role] = hits + _vertical_anchor(page.words, *VERTICAL[role]) + \
            (titles or {}).get(role, [])
    return out


_Char = tuple[str, Word, Word, str]  # (character, its box, the word it is in, which end)


TITLED = ("buyer", "seller", "block_title")  # block_title: 密码区, 备注 (no party in them)


def _title_keys() -> dict[str, tuple[str, ...]]:
    """The Chinese labels a block may be titled with vertically, longest first."""
    return {r: tuple(k for k in label_keys("invoice", r) if not k.isascii() and len(k) > 1)
            for r in TITLED}


def _edge_chars(words: list[Word], wanted: set[str]) -> list[_Char]:
    """Single-character words, and the first and last character of longer words (a vertical
    title's character is glued to a value that runs up to it), of the characters wanted."""
    out: list[_Char] = []
    for w in words:
        text = w.text
        if len(text) == 1:
            if text in wanted:
                out.append((text, w, w, "whole"))
        elif len(text) > 1:
            if text[0] in wanted:
                out.append((text[0], cut(w, 1)[0], w, "first"))
            if text[-1] in wanted:
                out.append((text[-1], cut(w, len(text) - 1)[1], w, "last"))
    return out


def _below(chars: list[_Char], above: Word, ch: str) -> _Char | None:
    """The character `ch` printed directly under a character box, a line below."""
    for c in chars:
        box = c[1]
        if c[0] == ch and abs(above.xmid - box.xmid) < 0.3 * box.height and \
                0.5 * box.height < box.top - above.top < 2.2 * box.height:
            return c
    return None


def _stack(chars: list[_Char], start: _Char, text: str) -> list[_Char] | None:
    """The characters of `text` printed one a line from `start` down, or None."""
    stack = [start]
    for ch in text[1:]:
        nxt = _below(chars, stack[-1][1], ch)
        if nxt is None:
            return None
        stack.append(nxt)
    return stack


def vertical_titles(page: Page) -> tuple[dict[str, list[Word]], list[_Char]]:
    """Buyer and seller block titles printed one character a line ('购买方信息'), and their
    characters, found by the vocabulary's labels."""
    keys = _title_keys()
    wanted = {ch for ks in keys.values() for k in ks for ch in k}
    chars = _edge_chars(page.words, wanted)
    titles: dict[str, list[Word]] = {}
    used: list[_Char] = []
    for start in chars:
        for role, role_keys in keys.items():
            stack = next((st for k in role_keys if k[0] == start[0]
                          and (st := _stack(chars, start, k)) is not None), None)
            if stack is not None:
                titles.setdefault(role, []).append(merge([c[1] for c in stack]))
                used += stack
                break
    return titles, used


def without_titles(page: Page, used: list[_Char]) -> Page:
    """The page with the vertical titles' characters taken out of the words they stand in or
    are glued to, its lines regrouped (their characters no longer interleave with the names)."""
    drop = {id(c[2]) for c in used if c[3] == "whole"}
    trims: dict[int, list[str]] = {}
    for c in used:
        if c[3] != "whole":
            trims.setdefault(id(c[2]), []).append(c[3])
    words = []
    for w in page.words:
        if id(w) in drop:
            continue
        for end in trims.get(id(w), []):
            if len(w.text) < 2:
                break
            w = cut(w, 1)[1] if end == "first" else cut(w, len(w.text) - 1)[0]
        words.append(w)
    return replace(page, words=words, lines=group_lines(words), tables=[])


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


def block_names(page: Page, titles: dict[str, list[Word]] | None = None
                ) -> dict[str, tuple[Word, Word]]:
    """{role: (label, value)} for the 名称 labels of a page."""
    pairs = []
    walls = [w for ws in (titles or {}).values() for w in ws]
    for hit in find_labels(page.lines, NAME_KEYS):
        value = value_of(page.lines, hit)
        if value is not None and walls:
            value = _before_wall(page, hit.line, value, walls)
        if value is not None and not is_label_word(value):
            pairs.append((hit.label, value))
    found = anchors(page, titles)
    roles: dict[str, tuple[Word, Word]] = {}
    for label, value in pairs:
        role = _role_of(label, found)
        if role and role not in roles:
            roles[role] = (label, value)
    if not roles and len(pairs) >= 2:
        return _by_layout(pairs)
    left = [pair for pair in pairs if all(pair is not taken for taken in roles.values())]
    if len(roles) == 1 and len(left) == 1:  # one block's title unread: the other 名称 is its
        (role,) = roles
        roles["seller" if role == "buyer" else "buyer"] = left[0]
    return roles


def _before_wall(page: Page, li: int, value: Word, walls: list[Word]) -> Word | None:
    """A value cut where a vertical block title stands across its line: the next block (the
    seller's, the 密码区) starts there, though its text may run on within a word's gap."""
    line = page.lines[li]
    if not line.top <= value.ymid <= line.bottom:
        return value  # read below its label: not this line's
    xs = [w.x0 for w in walls if w.x0 > value.x0 and w.top <= line.bottom and w.bottom >= line.top]
    if not xs or value.x1 <= min(xs) + 0.5:
        return value
    words = [w for w in line.words if w.x0 >= value.x0 - 0.5 and w.x1 <= min(xs) + 0.5]
    return merge(words) if words else None


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
    return parties_and_ids(page, [])[0]


BLOCK_LINES = 8  # a party's block runs this many lines below its title at most


def parties_and_ids(page: Page, notes: list[str]
                    ) -> tuple[dict[str, tuple[Word, Word]], dict[str, tuple[Word, Word, str]]]:
    """The parties' names (label, value) and tax identifiers (label, value, identifier), each
    given to the block whose title stands nearest left of or above it."""
    titles, used = vertical_titles(page)
    if used:
        page = without_titles(page, used)
    roles = block_names(page, titles)
    for role, pair in direct_names(page).items():
        roles.setdefault(role, pair)
    found = anchors(page, titles)

    def role_of(label: Word) -> str | None:
        near = {r: [a for a in ws if label.top - a.top < BLOCK_LINES * max(a.height, label.height)]
                for r, ws in found.items()}
        return _role_of(label, near)

    return roles, tax_ids(page, role_of, roles, notes)
