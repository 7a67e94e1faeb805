"""Invoices of any goods from a PDF: one FuelInvoice per invoice printed in it.

A page that prints a new invoice number starts a new invoice; a page without one (or with the
same number) continues the current invoice, so a multi-page invoice is kept whole.
"""

from __future__ import annotations

import re
from itertools import chain

from extractors import invoice_lines as il
from extractors import invoice_totals
from extractors import invoice_types as by_type
from extractors.invoice_issuer import footer_name, letterhead_block
from extractors.invoice_number import find_number
from extractors.invoice_parties import parties_and_ids
from extractors.labels import key, label_keys
from extractors.pdf import camelot_tables
from extractors.pdf.document import Page, PdfDocument
from extractors.pdf.fields import first_value
from extractors.pdf.tables import Columns, assign
from extractors.pdf.words import Word, merge
from extractors.provenance import Origin
from extractors.sniff import file_format
from extractors.values.cnamount import find_capitals
from extractors.values.currency import document_currency
from extractors.values.dates import parse_date
from extractors.values.languages import company_pattern
from extractors.values.numbers import decimal_mark, first_number, parse_number
from verify.model.records import FuelInvoice, InvoiceLine, Provenance

_NUMBER = re.compile(r"^(?=.*\d)[A-Za-z0-9][A-Za-z0-9\-/_.]{2,}$")
_CODE = re.compile(r"^\d{10,12}$")


def _token(text: str) -> str:
    """The first whitespace-separated token, without trailing punctuation."""
    parts = text.split()
    return parts[0].strip(".,;，；") if parts else ""


def invoice_number(page: Page) -> tuple[Word, Word] | None:
    """(label, value) of the invoice number printed on a page (see extractors.invoice_number)."""
    return find_number(page.lines)


def split_invoices(pages: list[Page]) -> list[list[Page]]:
    """Pages grouped per invoice: a new number starts a new invoice."""
    groups: list[list[Page]] = []
    current: str | None = None
    for page in pages:
        found = invoice_number(page)
        number = _token(found[1].text) if found else None
        if not groups or (number is not None and number != current and current is not None):
            groups.append([page])
        else:
            groups[-1].append(page)
        current = number or current
    return groups


def _field(pages: list[Page], concept: str, accept,
           from_bottom: bool = False) -> tuple[Word, Word] | None:
    """The first (label, value) of a concept over the pages of an invoice."""
    for page in reversed(pages) if from_bottom else pages:
        found = first_value(page.lines, label_keys("invoice", concept), accept, from_bottom)
        if found:
            return found
    return None


def _last_field(pages: list[Page], concept: str, accept) -> tuple[Word, Word] | None:
    """Like `_field`, reading from the bottom of the last page up (totals close an invoice)."""
    return _field(pages, concept, accept, from_bottom=True)


def _subtotal_line(pages: list[Page], cols: Columns | None) -> dict[str, Word]:
    """The 合计 / Subtotal line's amount and tax, by column when the columns are known."""
    keys = tuple(k for k in label_keys("invoice", "total_amount"))
    for page in reversed(pages):
        for line in page.lines:
            if not any(key(line.text).startswith(k) for k in keys):
                continue
            if cols is not None:
                cells = assign(line, cols)
                found = {c: cells[c] for c in ("amount", "tax")
                         if c in cells and parse_number(cells[c].text) is not None}
                if found:
                    return found
            nums = [w for w in line.words if parse_number(w.text) is not None]
            return dict(zip(("amount", "tax"), nums, strict=False))
    return {}


_COMPANY = company_pattern()  # legal forms per language, from data/languages.toml


def letterhead(page: Page) -> Word | None:
    """The issuer printed at the top without a label: a company name above the title."""
    lines = page.lines[:5]
    for i, line in enumerate(lines):
        words = list(line.words)
        if i + 1 < len(lines) and re.fullmatch(r"(ltd\.?|limited|inc\.?)", lines[i + 1].text, re.I):
            words += list(lines[i + 1].words)
        text = merge(words).text
        if _COMPANY.search(text) and ":" not in text and "：" not in text:
            return merge(words)
    return None


def issuer(page: Page) -> Word | None:
    """The issuer printed without a label: a name with a legal form at the top, else a
    letterhead block at the top, else the name above the legal mentions at the foot."""
    return letterhead(page) or letterhead_block(page) or footer_name(page)


def _currency(pages: list[Page]) -> str:
    """The currency printed on the invoice (CNY only where it is named or the invoice is
    Chinese; '' when none is printed)."""
    return document_currency("\n".join(line.text for p in pages for line in p.lines))


def _problems(lines: list[InvoiceLine], subtotal: float | None) -> list[str]:
    """Why the goods lines do not add up (a trailing subtotal row set aside first)."""
    goods, _ = il.split_subtotal(lines)
    return il.line_problems(goods, subtotal) if goods else ["no rows"]


def _sum_fails(problems: list[str]) -> bool:
    return any(p.startswith("lines sum to") for p in problems)


def _choose_lines(pages: list[Page], doc: PdfDocument, origin: Origin, subtotal: float | None,
                  notes: list[str], decimal: str | None) -> tuple[list[InvoiceLine], Columns | None]:
    """Goods lines from the first reader whose lines add up; else the best effort, with notes.
    A trailing subtotal row is kept here and set aside by the caller."""
    by_cols, cols = il.rows_by_columns(pages)
    candidates = [("ruled table", il.rows_by_grid(pages)), ("word columns", by_cols),
                  ("labelled fields", il.rows_by_labels(pages))]
    # lazy: a table in sections is read only when the columns' rows do not add up
    sectioned = ((name, il.rows_by_sections(pages)) for name in ("word columns, by section",)
                 if by_cols)
    has_table = cols is not None or any(p.tables for p in pages)
    camelot_found = camelot_tables.table_rows(
        doc.path, [p.number for p in pages], il.SECTION, il.NUMERIC, il.stop_keys()) \
        if has_table and file_format(doc.path) == "pdf" else iter(())
    # lazy: camelot runs only when the readers above fail, and only on a PDF (an OFD's pages
    # are words only)
    tried: list[tuple[list[InvoiceLine], list[str], str]] = []
    for name, rows in chain(candidates, sectioned, camelot_found):
        lines = [il.to_line(r, origin, decimal) for r in rows]
        problems = _problems(lines, subtotal)
        if not problems:
            return lines, cols
        tried.append((lines, problems, name))
    # Σ lines = subtotal is the stronger check: a line's quantity x price may miss a discount
    lines, problems, name = max(tried, key=lambda t: (len(t[0]) > 0, not _sum_fails(t[1]),
                                                     -len(t[1])))
    notes += [f"goods lines ({name}): {p}" for p in problems]
    return lines, cols


def read_invoice(pages: list[Page], doc: PdfDocument, origin: Origin,
                 notes: list[str]) -> FuelInvoice | None:
    """One invoice from its pages, every field stamped with where it stands."""
    sources: dict[str, Provenance] = {}
    values: dict[str, object] = {}

    def take(name: str, found: tuple[Word, Word] | None, value: object) -> None:
        if found is not None and value is not None:
            values[name] = value
            sources[name] = origin.at_word(found[1])

    number = next((found for page in pages if (found := invoice_number(page))), None) \
        or by_type.digital_number(pages[0])
    if number is None:
        notes.append(f"page {pages[0].number}: no invoice number found")
        return None
    take("number", number, _token(number[1].text))
    code = _field(pages, "code", lambda t: bool(_CODE.match(_token(t))))
    take("code", code, _token(code[1].text) if code else None)
    date = _field(pages, "date", lambda t: parse_date(t) is not None) or by_type.issue_date(pages[0])
    take("date", date, parse_date(date[1].text) if date else None)
    names, ids = parties_and_ids(pages[0], notes)
    for role, pair in names.items():
        take(role, pair, pair[1].text.strip())
    for role, (label, value, code) in ids.items():
        take(f"{role}_tax_id", (label, value), code)
    if "seller" not in values and (head := issuer(pages[0])) is not None:
        take("seller", (head, head), head.text.strip())
    decimal = decimal_mark([w.text for p in pages for w in p.words])
    _read_totals(pages, values, sources, origin, decimal)
    lines, cols = _choose_lines(pages, doc, origin, values.get("total_amount"), notes, decimal)
    lines, subtotal_line = il.split_subtotal(lines)
    for name, field in (("total_amount", "amount"), ("total_tax", "tax")):
        if subtotal_line is not None and name not in values and \
                getattr(subtotal_line, field) is not None:
            values[name] = getattr(subtotal_line, field)
            sources[name] = subtotal_line.where(field)
    if "total_amount" not in values or "total_tax" not in values:  # the 合计 line holds both
        subtotal = _subtotal_line(pages, cols)
        for name, field in (("total_amount", "amount"), ("total_tax", "tax")):
            if field in subtotal and name not in values:
                values[name] = parse_number(subtotal[field].text, decimal)
                sources[name] = origin.at_word(subtotal[field])
    invoice_totals.resolve(pages, values, sources, lines, origin, decimal, notes)
    return FuelInvoice(source=origin.at_page(pages[0].number), sources=sources,
                       currency=_currency(pages), lines=lines, **values)


def _read_totals(pages: list[Page], values: dict, sources: dict, origin: Origin,
                 decimal: str | None) -> None:
    """Total with tax (figures and capitals), and labelled net and tax totals."""
    is_num = lambda t: first_number(t, decimal) is not None  # noqa: E731
    for concept in ("total_with_tax", "total_amount", "total_tax"):
        found = _last_field(pages, concept, is_num)
        if found is not None:
            values[concept] = first_number(found[1].text, decimal)
            sources[concept] = origin.at_word(found[1])
    words = _last_field(pages, "total_with_tax_words", lambda t: find_capitals(t) is not None)
    if words is not None:
        values["total_with_tax_words"] = find_capitals(words[1].text)
        sources["total_with_tax_words"] = origin.at_word(words[1])


def parse(doc: PdfDocument, origin: Origin) -> tuple[list[FuelInvoice], list[str]]:
    """Every invoice in a PDF, with notes on what could not be read."""
    notes: list[str] = []
    invoices = []
    for group in split_invoices(doc.pages):
        invoice = read_invoice(group, doc, origin, notes)
        if invoice is not None:
            invoices.append(invoice)
    return invoices, notes
