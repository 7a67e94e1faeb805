"""Production reports printed as PDF: one ProductionRecord per product row of the month's table.

The table is found by its header (a product column and an output column, labels in
data/production_pdf.toml); products are named by the stream vocabulary. Words are paired by
position (word boxes), so a report drawn labels-first still reads row by row.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources

from extractors.pdf.document import Page, PdfDocument
from extractors.pdf.lines import Line
from extractors.pdf.tables import Columns, assign, columns_from, header_cells
from extractors.pdf.words import Word, merge
from extractors.production import KINDS
from extractors.provenance import Origin
from extractors.sheets.header import unit_in
from extractors.values.dates import parse_date, parse_period
from extractors.values.numbers import parse_number
from verify.model.records import ProductionRecord
from verify.model.units import is_known
from verify.model.vocabulary import normalise_label, stream_for

NEEDED = ("product", "quantity")


@lru_cache(maxsize=1)
def _labels() -> dict[str, dict[str, str]]:
    """Group ("columns" or "period") -> normalised label -> concept, from the data file."""
    text = resources.files("extractors").joinpath("data", "production_pdf.toml").read_text("utf-8")
    spec = tomllib.loads(text)
    cols = {normalise_label(lbl): c for c, lbls in spec.items() if c != "period" for lbl in lbls}
    return {"columns": cols, "period": {normalise_label(lbl): "period" for lbl in spec["period"]}}


def header_columns(line: Line) -> Columns | None:
    """The table's columns when a line is its header (names a product and an output column)."""
    cells = header_cells(line.words, lambda text: _labels()["columns"].get(normalise_label(text)))
    if not all(n in [c for c, _ in cells] for n in NEEDED):
        return None
    return columns_from(cells, line)


def _labelled_first(lines: list[Line]) -> list[Line]:
    """The lines, those holding a period label ("统计月份", "Month") first."""
    keys = tuple(_labels()["period"])
    labelled = [ln for ln in lines if any(k in normalise_label(ln.text) for k in keys)]
    return labelled + [ln for ln in lines if ln not in labelled]


def period_of(lines: list[Line]) -> tuple[str, Word] | None:
    """The month the report covers, printed above the table: a month (by a period label first,
    then the title), else the month of the first full date printed there."""
    lines = _labelled_first(lines)
    for parse in (parse_period, lambda t: f"{d:%Y-%m}" if (d := parse_date(t)) else None):
        for line in lines:
            for k in range(len(line.words)):
                for span in (1, 2, 3):
                    word = merge(list(line.words[k:k + span]))
                    if (found := parse(word.text)) is not None:
                        return found, word
    return None


def _unit(row: dict[str, Word], cols: Columns) -> str:
    """The unit printed in the row, else in the header's brackets ("产量(t)"), else t."""
    printed = row.get("unit")
    if printed is not None and is_known(printed.text.strip()):
        return printed.text.strip()
    return unit_in(cols.header.text) or "t"


def read_page(page: Page, origin: Origin, period: tuple[str, Word] | None,
              notes: list[str]) -> tuple[list[ProductionRecord], tuple[str, Word] | None]:
    """The product rows under the first table header on a page, and the month they are of (the
    month printed above this table, else the one carried from an earlier page)."""
    start = next(((i, c) for i, ln in enumerate(page.lines) if (c := header_columns(ln))), None)
    if start is None:
        return [], period
    i, cols = start
    found = period_of(page.lines[:i]) or period
    if found is None:
        notes.append(f"page {page.number}: no month found for the production table")
        return [], None
    records = []
    for line in page.lines[i + 1:]:
        row = assign(line, cols)
        name, qty = row.get("product"), row.get("quantity")
        stream = stream_for(name.text, KINDS) if name is not None else None
        value = parse_number(qty.text) if qty is not None else None
        if stream is None or value is None:
            continue
        sources = {"product": origin.at_word(name), "quantity": origin.at_word(qty),
                   "period": origin.at_word(found[1])}
        if "unit" in row:
            sources["unit"] = origin.at_word(row["unit"])
        records.append(ProductionRecord(source=origin.at_page(page.number, name.text),
                                        sources=sources, period=found[0], product=stream,
                                        quantity=value, unit=_unit(row, cols)))
    return records, found


def parse(doc: PdfDocument, origin: Origin) -> tuple[list[ProductionRecord], list[str]]:
    """Every product's output for the month (the first row naming a product wins it)."""
    notes: list[str] = []
    period: tuple[str, Word] | None = None
    records: dict[tuple[str, str], ProductionRecord] = {}
    for page in doc.pages:
        found, period = read_page(page, origin, period, notes)
        for rec in found:
            records.setdefault((rec.period, rec.product), rec)
    return list(records.values()), notes
