"""Goods lines of an invoice: table rows -> InvoiceLine, checked against quantity x price and the
subtotal. Readers are tried in order (ruled grid, word columns, camelot) until one passes."""

from __future__ import annotations

import re

from extractors.labels import key, label_keys
from extractors.pdf.document import Page
from extractors.pdf.fields import find_labels, value_of
from extractors.pdf.lines import Line
from extractors.pdf.tables import Columns, Row, columns_of, grid_rows, is_stop, rows_from_lines
from extractors.pdf.words import Word, cut, merge
from extractors.provenance import Origin
from extractors.values.numbers import first_number, parse_rate
from verify.model.records import InvoiceLine
from verify.model.units import is_known
from verify.model.vocabulary import stream_for

SECTION = "invoice_line"
NUMERIC = ("quantity", "unit_price", "amount", "tax")
TEXT = ("description", "spec", "unit")
_EXTRA_STOPS = ("备注", "remarks", "note", "total", "开票人", "收款人")


def stop_keys() -> tuple[str, ...]:
    """Line starts that end the goods table: totals labels and footers."""
    keys = []
    for concept in ("total_amount", "total_with_tax", "total_with_tax_words", "total_tax"):
        keys += label_keys("invoice", concept)
    return tuple(k for k in keys if len(k) > 2 or not k.isascii()) + tuple(map(key, _EXTRA_STOPS))


def goods_stream(description: str) -> str | None:
    """The stream the goods name, reading '*煤炭*冶金焦炭' by its name after the category."""
    name = re.sub(r"^\*[^*]*\*", "", description.strip())
    return stream_for(name) or stream_for(description)


def to_line(row: Row, origin: Origin, decimal: str | None = None) -> InvoiceLine:
    """An InvoiceLine from a table row, each field stamped with its cell."""
    text = {c: w.text.strip() for c, w in row.items()}
    desc = text.get("description", "")
    return InvoiceLine(
        source=origin.at_word(next(iter(row.values()))),
        sources={c: origin.at_word(w) for c, w in row.items()},
        description=desc, stream=goods_stream(desc) if desc else None,
        spec=text.get("spec") or None, unit=text.get("unit") or None,
        quantity=first_number(text.get("quantity"), decimal),
        unit_price=first_number(text.get("unit_price"), decimal),
        amount=first_number(text.get("amount"), decimal), tax_rate=parse_rate(text.get("tax_rate")),
        tax=first_number(text.get("tax"), decimal),
    )


def unit_spill(row: Row, cols: Columns) -> Row:
    """Words that ran from the column left of the unit into it ('coal t' under Unit, when a
    scan's long description spilled past the midpoint) given back to that column: the unit
    cell keeps its last word when only that word is a unit."""
    unit = row.get("unit")
    concepts = list(cols.concepts)
    if unit is None or "unit" not in concepts or concepts.index("unit") == 0:
        return row
    words = unit.text.split()
    left = concepts[concepts.index("unit") - 1]
    if len(words) < 2 or left not in TEXT or is_known(unit.text) or not is_known(words[-1]):
        return row
    spilled, kept = cut(unit, len(unit.text) - len(words[-1]))
    spilled = Word(spilled.text.strip(), *spilled.bbox, spilled.page, spilled.size, spilled.conf,
                   spilled.printed, spilled.turn)
    out = dict(row)
    out["unit"] = kept
    out[left] = merge([row[left], spilled]) if left in row else spilled
    return out


def page_rows(page: Page, carried: Columns | None) -> tuple[list[Row], Columns | None, bool]:
    """Rows on one page by word columns: under a header, or continuing the last page's columns."""
    for i, line in enumerate(page.lines):
        cols = columns_of(line, SECTION)
        if cols is not None:
            rows, stopped = rows_from_lines(page.lines[i + 1:], cols, NUMERIC, TEXT, stop_keys())
            return [unit_spill(r, cols) for r in rows], cols, stopped
    if carried is None:
        return [], None, False
    rows, stopped = rows_from_lines(page.lines, carried, NUMERIC, TEXT, stop_keys())
    return [unit_spill(r, carried) for r in rows], carried, stopped


def rows_by_columns(pages: list[Page]) -> tuple[list[Row], Columns | None]:
    """Rows over the pages of one invoice, stitched while the table has not reached its totals."""
    rows: list[Row] = []
    cols: Columns | None = None
    open_table = True
    for page in pages:
        if not open_table:
            break
        page_r, cols, stopped = page_rows(page, cols)
        rows += page_r
        open_table = not stopped
    return rows, cols


def _closes_section(line: Line, rows: list[Row]) -> bool:
    """Whether a subtotal line closes the rows above it as a section: it is labelled as a net
    total and its last amount is their sum (the document's own arithmetic)."""
    if not rows or not any(key(line.text).startswith(k) for k in label_keys("invoice", "total_amount")):
        return False
    amounts = [first_number(r["amount"].text) if "amount" in r else None for r in rows]
    printed = [v for w in line.words if (v := first_number(w.text)) is not None]
    return None not in amounts and bool(printed) and \
        abs(sum(amounts) - printed[-1]) <= 0.011 * len(amounts)


def _sectioned(lines: list[Line], cols: Columns) -> list[Row]:
    """Rows under a header read on past each section's subtotal ('--- Food ---' ... 'Subtotal
    $ 112.00'), up to a totals line that closes no section."""
    rows: list[Row] = []
    start = 0
    while start < len(lines):
        part, stopped = rows_from_lines(lines[start:], cols, NUMERIC, TEXT, stop_keys())
        rows += part
        if not stopped:
            break
        at = start + next(i for i, ln in enumerate(lines[start:]) if is_stop(ln.text, stop_keys()))
        if not _closes_section(lines[at], part):
            break
        start = at + 1
    return rows


def rows_by_sections(pages: list[Page]) -> list[Row]:
    """Rows by word columns over tables split into sections, each closed by its subtotal."""
    rows: list[Row] = []
    for page in pages:
        for i, line in enumerate(page.lines):
            cols = columns_of(line, SECTION)
            if cols is not None:
                rows += [unit_spill(r, cols) for r in _sectioned(page.lines[i + 1:], cols)]
                break
    return rows


def rows_by_grid(pages: list[Page]) -> list[Row]:
    """Rows from ruled tables whose header names the goods columns."""
    rows: list[Row] = []
    for page in pages:
        for grid in page.tables:
            found = grid_rows(grid, SECTION, NUMERIC, stop_keys())
            if found:
                rows += found
    return rows


FORM_FIELDS = ("spec", "unit", "quantity", "unit_price", "amount", "tax_rate", "tax")
_NUMBER_HEAD = re.compile(r"^[^A-Za-z\u4e00-\u9fff]*\d[\d\s,.'\u00a0]*")


def _form_row(lines: list[Line], desc: Word) -> Row:
    """One goods line printed as 'Item: ... / Quantity: 8 896.50 t / Unit price: ...'."""
    row: Row = {"description": desc}
    for concept in FORM_FIELDS:
        for hit in find_labels(lines, label_keys("invoice_line", concept)):
            value = value_of(lines, hit) if hit.label.text.rstrip().endswith((":", "：")) else None
            if value is not None:
                row[concept] = value
                break
    qty = row.get("quantity")
    if qty is not None and "unit" not in row and (m := _NUMBER_HEAD.match(qty.text)):
        unit = qty.text[m.end():].strip()
        if unit:
            row["unit"] = Word(unit, qty.x0, qty.top, qty.x1, qty.bottom, qty.page, qty.size,
                               qty.conf, qty.printed, qty.turn)
    return row


def rows_by_labels(pages: list[Page]) -> list[Row]:
    """Goods lines printed as labelled fields, one block per 'Item:' label."""
    rows: list[Row] = []
    for page in pages:
        hits = [h for h in find_labels(page.lines, label_keys("invoice_line", "description"))
                if h.label.text.rstrip().endswith((":", "："))]
        for n, hit in enumerate(hits):
            end = hits[n + 1].line if n + 1 < len(hits) else len(page.lines)
            desc = value_of(page.lines, hit)
            if desc is not None:
                rows.append(_form_row(page.lines[hit.line:end], desc))
    return rows


_DECIMALS = re.compile(r"[.,](\d+)\s*$")


def price_tolerance(ln: InvoiceLine) -> float:
    """How far quantity x unit price may be from the amount: the printed price's rounding times
    the quantity, plus a cent (a price printed to 4 places moves 500 units by 2.5 cents). Without
    the printed price, half a percent of the amount."""
    where = ln.sources.get("unit_price")
    m = _DECIMALS.search(where.text) if where is not None and where.text else None
    if m is None or ln.quantity is None:
        return max(0.05, 0.005 * abs(ln.amount or 0.0))
    return abs(ln.quantity) * 0.5 * 10.0 ** -len(m.group(1)) + 0.011


def line_problems(lines: list[InvoiceLine], subtotal: float | None) -> list[str]:
    """Why a set of lines does not add up: quantity x price vs amount, and lines vs subtotal
    (a discount line's negative amount counts in the sum)."""
    problems = []
    for i, ln in enumerate(lines, 1):
        if ln.amount is None:
            problems.append(f"line {i}: no amount")
        elif ln.quantity is not None and ln.unit_price is not None and \
                abs(ln.quantity * ln.unit_price - ln.amount) > price_tolerance(ln):
            problems.append(f"line {i}: quantity x unit price {ln.quantity * ln.unit_price:.2f}"
                                f" != amount {ln.amount:.2f}")
    total = sum(ln.amount or 0.0 for ln in lines)
    if subtotal is not None and lines and abs(total - subtotal) > 0.02 * len(lines):
        problems.append(f"lines sum to {total:.2f}, the subtotal says {subtotal:.2f}")
    return problems


def split_subtotal(lines: list[InvoiceLine]) -> tuple[list[InvoiceLine], InvoiceLine | None]:
    """The goods lines, and a last line that is their subtotal: no quantity or price, and an
    amount equal to the lines above (a 合计 row whose label was not read, as on a faint scan)."""
    if len(lines) < 2:
        return lines, None
    *goods, last = lines
    above = sum(ln.amount or 0.0 for ln in goods)
    if last.quantity is None and last.unit_price is None and last.amount is not None \
            and all(ln.amount is not None for ln in goods) and abs(last.amount - above) <= 0.01:
        return goods, last
    return lines, None

