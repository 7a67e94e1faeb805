"""Reading one template field or the goods lines from a record's pages, as (value, words).

A regex runs over each page's text (MULTILINE, as written); its group is traced back to the
words it covers. A region takes the words whose middle lies inside its box. The text found is
then read as the field's type with the template's decimal mark and date format.
"""

from __future__ import annotations

import datetime as dt
import re

from extractors.invoice_lines import line_problems, to_line
from extractors.pdf.pagetext import PageText, page_text, words_at, words_in
from extractors.pdf.words import Word
from extractors.provenance import Origin
from extractors.templates.model import FieldSpec, Template
from extractors.values.dates import parse_date
from extractors.values.numbers import first_number
from verify.model.records import InvoiceLine


def texts_of(pages: list) -> list[PageText]:
    """Each page's text with its words' places."""
    return [page_text(p.number, p.lines) for p in pages]


def locate(spec: FieldSpec, pages: list) -> tuple[Word | None, str]:
    """The words a field's regex or region finds on the pages, or None and why not."""
    if spec.region is not None:
        if spec.region.page > len(pages):
            return None, f"region is on page {spec.region.page}, the document has {len(pages)}"
        word = words_in(pages[spec.region.page - 1].words, spec.region.bbox)
        return word, "" if word else f"no words inside region {list(spec.region.bbox)}"
    for text in texts_of(pages):
        m = re.search(spec.regex or "", text.text, re.MULTILINE)
        if m and m.group(1) and m.group(1).strip():
            return words_at(text, *m.span(1)), ""
    numbers = ", ".join(str(p.number) for p in pages)
    return None, f"regex '{spec.regex}' matched nothing on page(s) {numbers}"


def convert(template: Template, name: str, text: str) -> object | None:
    """The text read as the field's type (number, date or text), or None when it is not one."""
    kind = template.type_of(name)
    if kind == "number":
        return first_number(text, template.options.decimal_mark)
    if kind == "date":
        return parse_template_date(text, template.options.date_format)
    return text.strip() or None


def parse_template_date(text: str, fmt: str | None) -> dt.date | None:
    """A date in the template's format, or as any printed date when it names none."""
    if fmt is None:
        return parse_date(text)
    try:
        return dt.datetime.strptime(re.sub(r"\s+", " ", text.strip()), fmt).date()
    except ValueError:
        return None


def read_value(template: Template, name: str, spec: FieldSpec,
               pages: list) -> tuple[tuple[object, Word] | None, str]:
    """(value, the words it was read from) of one field, or None and why not."""
    word, why = locate(spec, pages)
    if word is None:
        return None, why
    value = convert(template, name, word.text)
    if value is None:
        return None, f"{word.text!r} on page {word.page} is not a {template.type_of(name)}"
    return (value, word), ""


def read_lines(template: Template, pages: list, origin: Origin) -> list[InvoiceLine]:
    """Goods lines matched by the template's lines regex, each cell traced to its words."""
    pattern = re.compile(template.options.lines or "", re.MULTILINE)
    lines = []
    for text in texts_of(pages):
        for m in pattern.finditer(text.text):
            row = {name: words_at(text, *m.span(name)) for name in pattern.groupindex
                   if m.group(name) and m.group(name).strip()}
            row = {k: w for k, w in row.items() if w is not None}
            if "description" in row:
                lines.append(to_line(row, origin, template.options.decimal_mark))
    return lines


def lines_notes(lines: list[InvoiceLine], total_amount: object) -> list[str]:
    """Why template-read goods lines do not add up (quantity x price, the net total)."""
    subtotal = total_amount if isinstance(total_amount, float) else None
    return [f"goods lines (template): {p}" for p in line_problems(lines, subtotal)]
