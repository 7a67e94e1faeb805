"""Invoice lists (发票清单, input-VAT registers) from spreadsheets: one FuelInvoice per invoice.

A register prints one row per invoice line; rows sharing an invoice number are one invoice (a
row with an empty number cell continues the invoice above, as merged cells read). Every field is
stamped with the cell it was read from, so a verifier can open the register at that cell.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources

from extractors.invoice_lines import goods_stream
from extractors.provenance import Origin
from extractors.sheets.grid import Cell, Sheet
from extractors.sheets.header import as_date, find_header, is_total_label
from extractors.tax_id import tax_id
from extractors.values.numbers import parse_number, parse_rate
from verify.model.records import FuelInvoice, InvoiceLine, Provenance
from verify.model.vocabulary import normalise_label, vocabulary

LINE_TEXT = ("description", "spec", "unit")
LINE_NUMBERS = ("quantity", "unit_price", "amount", "tax")
MIN_COLUMNS = 4  # a header names the invoice number and at least three more columns


@lru_cache(maxsize=1)
def column_labels() -> dict[str, str]:
    """Normalised header label -> concept: the vocabulary's sections in order, then the extras
    of data/invoice_list.toml (the first concept to claim a label keeps it)."""
    text = resources.files("extractors").joinpath("data", "invoice_list.toml").read_text("utf-8")
    spec = tomllib.loads(text)
    found: dict[str, str] = {}
    for section, concepts in spec["sections"].items():
        for concept in concepts:
            for label in vocabulary()[section].get(concept, ()):
                found.setdefault(normalise_label(label), concept)
    for concept, labels in spec["extra"].items():
        for label in labels:
            found.setdefault(normalise_label(label), concept)
    return found


def columns(texts: list[str]) -> dict[str, int]:
    """Concept -> column index for one row of header texts (the first column naming it wins)."""
    found: dict[str, int] = {}
    for i, text in enumerate(texts):
        concept = column_labels().get(normalise_label(text)) if text else None
        if concept and concept not in found:
            found[concept] = i
    return found


def _header_score(texts: list[str]) -> int:
    cols = columns(texts)
    return len(cols) if "number" in cols else 0


def _cell(row: list[Cell], col: int | None) -> Cell | None:
    if col is None or col >= len(row) or row[col].value is None:
        return None
    return row[col]


def _num(cell: Cell) -> float | None:
    if isinstance(cell.value, bool):
        return None
    return float(cell.value) if isinstance(cell.value, int | float) else parse_number(cell.text)


def _line(sheet: Sheet, row: list[Cell], cols: dict[str, int], origin: Origin) -> InvoiceLine | None:
    """One goods line from a row, or None when the row names no goods and no amount."""
    values: dict[str, object] = {}
    sources: dict[str, Provenance] = {}
    for concept in (*LINE_TEXT, *LINE_NUMBERS, "tax_rate"):
        cell = _cell(row, cols.get(concept))
        if cell is None:
            continue
        if concept in LINE_TEXT:
            value: object = cell.text or None
        elif concept == "tax_rate":
            value = float(cell.value) if isinstance(cell.value, int | float) and cell.value < 1 \
                else parse_rate(cell.text)
        else:
            value = _num(cell)
        if value is not None:
            values[concept] = value
            sources[concept] = origin.at_cell(sheet.name, cell.ref, cell.text)
    if "description" not in values and "amount" not in values:
        return None
    desc = str(values.pop("description", ""))
    first = sources.get("description") or next(iter(sources.values()))
    return InvoiceLine(source=first, sources=sources, description=desc,
                       stream=goods_stream(desc) if desc else None, **values)


def _header_fields(sheet: Sheet, row: list[Cell], cols: dict[str, int],
                   origin: Origin) -> tuple[dict[str, object], dict[str, Provenance]]:
    """Invoice-level fields printed on an invoice's first row, each with its cell."""
    values: dict[str, object] = {}
    sources: dict[str, Provenance] = {}
    for concept in ("number", "code", "date", "seller", "buyer", "seller_tax_id", "buyer_tax_id"):
        cell = _cell(row, cols.get(concept))
        if cell is None or not cell.text:
            continue
        value: object = as_date(cell) if concept == "date" else \
            tax_id(cell.text) if concept.endswith("_tax_id") else cell.text
        if value is not None:
            values[concept] = value
            sources[concept] = origin.at_cell(sheet.name, cell.ref, cell.text)
    return values, sources


def _total_with_tax(sheet: Sheet, rows: list[list[Cell]], col: int | None,
                    origin: Origin) -> tuple[float, Provenance] | None:
    """The invoice's total with tax: repeated on each of its rows, or per line and summed."""
    cells = [c for r in rows if (c := _cell(r, col)) is not None and _num(c) is not None]
    if not cells:
        return None
    figures = [_num(c) for c in cells]
    if len(set(figures)) == 1:
        return figures[0], origin.at_cell(sheet.name, cells[0].ref, cells[0].text)
    where = f"{sheet.name}!{cells[0].ref}:{cells[-1].ref}"
    text = "+".join(c.text for c in cells)
    return round(sum(figures), 2), Provenance(file=origin.file, sha256=origin.sha256, cell=where,
                                              text=text)


def invoice_rows(sheet: Sheet, h: int, cols: dict[str, int]) -> dict[str, list[list[Cell]]]:
    """Invoice number -> its rows below the header, in order; stops at a totals row."""
    groups: dict[str, list[list[Cell]]] = {}
    current: str | None = None
    for row in sheet.rows[h + 1:]:
        if any(is_total_label(c.text) for c in row[:3]):
            break
        cell = _cell(row, cols["number"])
        number = cell.text if cell is not None else current
        if number is None or not any(c.value is not None for c in row):
            continue
        groups.setdefault(number, []).append(row)
        current = number
    return groups


def read_sheet(sheet: Sheet, origin: Origin, notes: list[str]) -> list[FuelInvoice]:
    """Every invoice listed on one sheet (none when the sheet has no invoice-list header)."""
    h = find_header(sheet, _header_score, MIN_COLUMNS)
    if h is None:
        return []
    cols = columns([c.text for c in sheet.rows[h]])
    invoices = []
    for number, rows in invoice_rows(sheet, h, cols).items():
        values, sources = _header_fields(sheet, rows[0], cols, origin)
        values["number"] = number
        lines = [ln for r in rows if (ln := _line(sheet, r, cols, origin)) is not None]
        total = _total_with_tax(sheet, rows, cols.get("total_with_tax"), origin)
        if total is not None:
            values["total_with_tax"], sources["total_with_tax"] = total
        if not lines:
            notes.append(f"{sheet.name}: invoice {number} lists no goods line")
        source = sources.get("number") or origin.at_cell(sheet.name, rows[0][0].ref, number)
        invoices.append(FuelInvoice(source=source, sources=sources, lines=lines, **values))
    return invoices


def parse(sheets: list[Sheet], origin: Origin) -> tuple[list[FuelInvoice], list[str]]:
    """Every invoice listed in a workbook or CSV, with notes on what could not be read."""
    notes: list[str] = []
    invoices = [inv for sheet in sheets for inv in read_sheet(sheet, origin, notes)]
    return invoices, notes
