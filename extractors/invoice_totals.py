"""Invoice totals chosen by the document's own arithmetic.

A total is printed where a reader can mistake its neighbours for it: an order number under
（小写）, a date fragment or a page number near 合计. So every place a total may stand is a
candidate (by label: glued, right of it, below it, on a line just above or below it; by type:
an amount printed with a currency sign), and the choice is the one the invoice's arithmetic
agrees with:
金额 + 税额 = 价税合计, the 大写 amount = the 小写 figure, Σ line amounts = 合计 and Σ line tax = 税额.
The values the labels give first are kept unless another choice satisfies more of these checks;
a choice that still contradicts one is named in the notes with its candidates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import product

from extractors.labels import label_keys
from extractors.pdf.document import Page
from extractors.pdf.fields import find_labels, value_below, value_right
from extractors.pdf.words import Word
from extractors.provenance import Origin
from extractors.values.cnamount import parse_capitals
from extractors.values.numbers import first_number
from verify.model.records import InvoiceLine, Provenance

FIELDS = ("total_amount", "total_tax", "total_with_tax")
NAMES = {"total_amount": "金额合计 (total_amount)", "total_tax": "税额合计 (total_tax)",
         "total_with_tax": "价税合计 (total_with_tax)"}
MAX_CANDIDATES = 8
_CURRENCY = re.compile(r"^\s*(?:[¥￥$€£]|[A-Z]{2}\$)\s*-?\d")  # ¥12.00, $4.11, €9, HK$3


@dataclass(frozen=True)
class Candidate:
    """A value a total may take, the word it is printed in, and how it was found (rank: lower
    is the more likely place; the labels' first reading is -1)."""

    value: float
    word: Word | None
    how: str
    rank: int


def _tol(*values: float | None) -> float:
    """Cents of rounding, a cent more for every figure summed."""
    return 0.011 * max(1, len(values))


def checks(amount: float | None, tax: float | None, total: float | None, capitals: float | None,
           line_amount: float | None, line_tax: float | None
           ) -> list[tuple[str, bool, tuple[str, ...]]]:
    """The arithmetic checks that can be made: (name, holds, the totals it involves)."""
    out = []
    if amount is not None and tax is not None and total is not None:
        out.append(("sum", abs(amount + tax - total) <= _tol(amount, tax), FIELDS))
    if capitals is not None and total is not None:
        out.append(("capitals", abs(capitals - total) <= 0.005, ("total_with_tax",)))
    if line_amount is not None and amount is not None:
        out.append(("lines_amount", abs(line_amount - amount) <= 0.02, ("total_amount",)))
    if line_tax is not None and tax is not None:
        out.append(("lines_tax", abs(line_tax - tax) <= 0.02, ("total_tax",)))
    return out


def _balance(found: list[tuple[str, bool, tuple[str, ...]]]) -> int:
    """Checks that hold less checks that fail."""
    return sum(1 if ok else -1 for _, ok, _ in found)


def _near_lines(page: Page, li: int, label: Word) -> list[Word]:
    """Words on lines within about one line of a label, starting right of the label's start (a
    figure set a little higher or lower than its label falls on a line of its own)."""
    found = []
    for i, line in enumerate(page.lines):
        if i == li or abs(line.top - label.top) > 1.6 * label.height:
            continue
        found += [w for w in line.words if w.x0 >= label.x0 - 2]
    return found


def labelled(pages: list[Page], concept: str, decimal: str | None) -> list[Candidate]:
    """Numbers printed at a concept's labels, nearest places first."""
    out: list[Candidate] = []
    for page in reversed(pages):
        for hit in reversed(find_labels(page.lines, label_keys("invoice", concept))):
            line = page.lines[hit.line]
            places = [("glued", hit.glued, 0), ("right", value_right(line, hit.label), 0),
                      ("below", value_below(page.lines, hit.line, hit.label), 1)]
            places += [("near", w, 2) for w in _near_lines(page, hit.line, hit.label)]
            for how, word, rank in places:
                value = first_number(word.text, decimal) if word is not None else None
                if value is not None:
                    out.append(Candidate(value, word, f"{how} of '{hit.label.text.strip()}'", rank))
    return out


def by_type(pages: list[Page], decimal: str | None) -> list[Candidate]:
    """Amounts printed with a currency sign (¥, $, €, £), wherever they stand."""
    out = []
    for page in pages:
        for word in page.words:
            if _CURRENCY.match(word.text) and (value := first_number(word.text, decimal)) is not None:
                out.append(Candidate(value, word, "amount printed with a currency sign", 3))
    return out


def _dedupe(cands: list[Candidate]) -> list[Candidate]:
    """One candidate per value (its best place), best first, at most MAX_CANDIDATES."""
    best: dict[float, Candidate] = {}
    for c in sorted(cands, key=lambda c: c.rank):
        v = round(c.value, 2)
        if v not in best:
            best[v] = c
        elif best[v].word is None and c.word is not None:  # the first reading, where printed
            best[v] = Candidate(best[v].value, c.word, best[v].how, best[v].rank)
    return list(best.values())[:MAX_CANDIDATES]


def _sums(lines: list[InvoiceLine]) -> tuple[float | None, float | None]:
    """Σ line amounts and Σ line tax (a discount line's negative amount and tax included), when
    every line has them."""
    if not lines:
        return None, None
    amount = sum(ln.amount for ln in lines) if all(ln.amount is not None for ln in lines) else None
    taxed = [ln for ln in lines if ln.tax is not None]
    tax = sum(ln.tax for ln in taxed) if taxed and all(
        ln.tax is not None or ln.tax_rate is None for ln in lines) else None
    return amount, tax


def _where(c: Candidate) -> str:
    if c.word is None:
        return f"{c.value:.2f} ({c.how})"
    return f"{c.value:.2f} (p{c.word.page} {list(map(round, c.word.bbox))} '{c.word.text}')"


def _pools(pages: list[Page], first: list[float | None], capitals: float | None,
           decimal: str | None) -> dict[str, list[Candidate]]:
    """The candidates of each total, the first reading first."""
    pools: dict[str, list[Candidate]] = {}
    typed = by_type(pages, decimal)
    for f, v in zip(FIELDS, first, strict=True):
        pool = [Candidate(v, None, "first reading", -1)] if v is not None else []
        pool += labelled(pages, f, decimal) + typed
        pools[f] = _dedupe(pool) or [NONE]
    return pools


NONE = Candidate(float("nan"), None, "none", 9)


def _value(c: Candidate) -> float | None:
    return None if c.value != c.value else c.value


def resolve(pages: list[Page], values: dict, sources: dict[str, Provenance],
            lines: list[InvoiceLine], origin: Origin, decimal: str | None,
            notes: list[str]) -> None:
    """Totals re-chosen where the first reading contradicts the invoice's arithmetic or misses
    a total; notes for what still does not add up.

    A total read first is replaced only by a choice that satisfies more checks, the totals'
    own sum or capitals among them; a missing total is filled only by a value every check on it
    confirms (one at least)."""
    capitals = parse_capitals(values.get("total_with_tax_words"))
    line_amount, line_tax = _sums(lines)
    first = [values.get(f) for f in FIELDS]
    held = checks(*first, capitals, line_amount, line_tax)
    if all(ok for _, ok, _ in held) and all(v is not None for v in first):
        return
    pools = _pools(pages, first, capitals, decimal)

    def score(combo: tuple[Candidate, ...]) -> tuple[int, int]:
        found = checks(*map(_value, combo), capitals, line_amount, line_tax)
        return _balance(found), -sum(c.rank for c in combo)

    best = max(product(*(pools[f] for f in FIELDS)), key=score)
    found = checks(*map(_value, best), capitals, line_amount, line_tax)
    # a printed total is overturned only when the totals block itself agrees with the new
    # choice (net + tax = total, or the capitals): goods lines read in part (a section's
    # subtotal, lines the reader missed) must not replace a right total by a partial sum
    agreed = any(ok for name, ok, _ in found if name in ("sum", "capitals"))
    better = _balance(found) > _balance(held) and agreed
    for f, c, v in zip(FIELDS, best, first, strict=True):
        if c.word is None or _value(c) is None or c.rank < 0:  # none, or the first reading
            continue
        on_f = [ok for _, ok, fields in found if f in fields]
        if (v is not None and better) or (v is None and on_f and all(on_f)):
            values[f] = c.value
            sources[f] = origin.at_word(c.word)
    _note(values, capitals, line_amount, line_tax, pools, notes)


def _note(values: dict, capitals: float | None, line_amount: float | None,
          line_tax: float | None, pools: dict[str, list[Candidate]], notes: list[str]) -> None:
    """A note per arithmetic check the chosen totals still fail, naming the candidates."""
    a, t, total = (values.get(f) for f in FIELDS)

    def cands(field: str) -> str:
        shown = [_where(c) for c in pools.get(field, []) if _value(c) is not None and c.word]
        return "; candidates: " + ", ".join(shown) if shown else "; no other candidate"

    for name, ok, _ in checks(a, t, total, capitals, line_amount, line_tax):
        if ok:
            continue
        if name == "sum":
            notes.append(f"{NAMES['total_with_tax']}: 金额 {a:.2f} + 税额 {t:.2f} = {a + t:.2f}, "
                         f"but the total reads {total:.2f}{cands('total_with_tax')}")
        elif name == "capitals":
            notes.append(f"价税合计: capitals state {capitals:.2f}, figures state {total:.2f}"
                         f"{cands('total_with_tax')}")
        elif name == "lines_tax":
            notes.append(f"{NAMES['total_tax']}: the lines' tax sums to {line_tax:.2f}, "
                         f"but the total tax reads {t:.2f}{cands('total_tax')}")
        elif name == "lines_amount":
            notes.append(f"{NAMES['total_amount']}: the lines sum to {line_amount:.2f}, "
                         f"but the total reads {a:.2f}{cands('total_amount')}")
