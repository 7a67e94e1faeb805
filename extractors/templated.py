"""Supplier templates applied after the generic reader: fill only what it missed, with provenance.

Called once per PDF, after the reader returns. Nothing happens unless the reader found no record,
missed a required field (data/expected.toml) or left the document unclassified, and a template
of a fitting kind prints all its keywords. Each value a template reads is traced to the words it
was read from, so it carries a page and a box like any other value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from extractors.expected import is_missing, missing_required
from extractors.extraction import Extraction
from extractors.provenance import Origin
from extractors.templates import Template, fits, load_templates, select
from verify.model.records import DocumentKind, DocumentStatus, LabResult, Provenance
from verify.model.vocabulary import stream_for

TEMPLATE_KINDS = ("fuel_invoice", "lab_report")


@dataclass
class Reading:
    """What a template read from a record's pages, and why any field was not read."""

    values: dict[str, object] = field(default_factory=dict)
    sources: dict[str, Provenance] = field(default_factory=dict)
    misses: dict[str, str] = field(default_factory=dict)
    lines: list = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def document_text(pages) -> str:
    """Every line of every page: the text a template's keywords are looked for in."""
    return "\n".join(line.text for page in pages for line in page.lines)


def wants_template(extraction: Extraction) -> bool:
    """Unclassified, or a kind templates serve whose reader found nothing or missed a required
    field."""
    doc = extraction.document
    if doc.status == DocumentStatus.UNCLASSIFIED:
        return True
    if doc.status != DocumentStatus.PARSED or doc.kind.value not in TEMPLATE_KINDS:
        return False
    return not extraction.records or any(missing_required(doc.kind.value, r)
                                         for r in extraction.records)


def with_templates(extraction: Extraction, path: Path, origin: Origin,
                   dirs: Iterable[Path] = (), opened=None) -> Extraction:
    """The extraction, completed by the first supplier template whose keywords all appear;
    `opened` is the PdfDocument the reader already read, if any."""
    if not wants_template(extraction):
        return extraction
    try:
        return _apply(extraction, Path(path), origin, load_templates(dirs).templates, opened)
    except Exception as exc:  # a template must never turn a readable document into a failure
        return extraction.model_copy(update={"notes": [
            *extraction.notes, f"templates not applied: {type(exc).__name__}: {exc}"]})


def _apply(extraction: Extraction, path: Path, origin: Origin,
           templates: tuple[Template, ...], opened=None) -> Extraction:
    """Open the PDF (unless the reader did), pick a template by its keywords, fill the records."""
    kind = extraction.document.kind.value
    if not any(fits(t, kind) for t in templates):
        return extraction
    from extractors.pdf.document import open_pdf

    pages = (opened or open_pdf(path)).pages
    template = select(templates, document_text(pages), kind)
    if template is None:
        return extraction
    records, notes = apply_template(template, pages, origin, extraction.records)
    doc = extraction.document
    if doc.status == DocumentStatus.UNCLASSIFIED and records:
        notes.insert(0, f"classified as {template.kind} by template {template.file} "
                        f"(the classifier said: {doc.error})")
        doc = doc.model_copy(update={"kind": DocumentKind(template.kind),
                                     "status": DocumentStatus.PARSED, "error": None,
                                     "confidence": 1.0})
    if not records:
        return extraction.model_copy(update={"notes": [*extraction.notes, *notes]})
    kept = [n for n in extraction.notes if n != "no records found"]
    return Extraction(document=doc, records=records, notes=[*kept, *notes])


def record_pages(pages: list, records: list) -> list[list]:
    """The pages of each record: from its first page up to the next record's."""
    if not records:
        return [pages]
    starts = [r.source.page or 1 for r in records] + [len(pages) + 1]
    return [[p for p in pages if a <= p.number < b] or pages[:1]
            for a, b in zip(starts, starts[1:], strict=False)]


def apply_template(template: Template, pages: list, origin: Origin,
                   records: list) -> tuple[list, list[str]]:
    """Records completed from the template (one made when the reader found none), and notes."""
    out, notes = [], []
    for record, group in zip(records or [None], record_pages(pages, records), strict=True):
        reading = read_fields(template, group, origin)
        made = _completed(template, record, reading, origin.at_page(group[0].number), notes)
        out += [made] if made is not None else ([record] if record is not None else [])
        notes += [f"template {template.file}: {name}: {why}"
                  for name, why in reading.misses.items() if _lacks(record, name)]
        notes += reading.notes
    return out, notes


def read_fields(template: Template, pages: list, origin: Origin) -> Reading:
    """Every field and goods line the template names, read from the pages with provenance."""
    from extractors.templated_read import lines_notes, read_lines, read_value

    reading = Reading()
    for name, spec in template.fields.items():
        found, why = read_value(template, name, spec, pages)
        if found is None:
            reading.misses[name] = why
            continue
        reading.values[name], reading.sources[name] = found[0], origin.at_word(found[1])
    if template.options.lines:
        reading.lines = read_lines(template, pages, origin)
        if not reading.lines:
            reading.misses["lines"] = "the lines regex matched no line"
        reading.notes = lines_notes(reading.lines, reading.values.get("total_amount"))
    return reading


def _update(template: Template, record, reading: Reading) -> tuple[dict, list[str]]:
    """The fields to set on a record (only those it lacks), and their names."""
    header = {n: v for n, v in reading.values.items() if n not in _parameters(template)}
    update = {n: v for n, v in header.items() if record is None or is_missing(record, n)}
    sources = {n: reading.sources[n] for n in update}
    filled = list(update)
    if template.kind == "fuel_invoice":
        if reading.lines and (record is None or not record.lines):
            update["lines"], filled = reading.lines, [*filled, "lines"]
        if template.options.currency:
            update["currency"] = template.options.currency
    else:
        results = _results(template, record, reading)
        if results:
            update["results"] = [*(record.results if record else []), *results]
            filled += [r.parameter for r in results]
        description = update.get("sample_description")
        if description and (record is None or record.stream is None):
            update["stream"], sources["stream"] = stream_for(str(description)), sources[
                "sample_description"]
    update["sources"] = {**(record.sources if record else {}), **sources}
    return update, filled


def _lacks(record, name: str) -> bool:
    """Whether a record (None: no record yet) lacks a field or a result parameter."""
    if record is None:
        return True
    if hasattr(record, "results") and name not in type(record).model_fields:
        return record.result(name) is None
    return is_missing(record, name)


def _parameters(template: Template) -> set[str]:
    from extractors.templates.model import lab_parameters

    return set(lab_parameters()) if template.kind == "lab_report" else set()


def _results(template: Template, record, reading: Reading) -> list[LabResult]:
    """Result rows for the parameters the template read and the reader did not."""
    have = {r.parameter for r in record.results} if record else set()
    out = []
    for name in _parameters(template) & set(reading.values) - have:
        spec, src = template.fields[name], reading.sources[name]
        out.append(LabResult(source=src, sources={"value": src}, parameter=name,
                             value=reading.values[name], unit=spec.unit or "", basis=spec.basis))
    return sorted(out, key=lambda r: list(template.fields).index(r.parameter))


def _completed(template: Template, record, reading: Reading, source: Provenance,
               notes: list[str]):
    """The record with the template's values for what it lacked, or a new one; None if none."""
    from extractors.templates.model import RECORDS

    update, filled = _update(template, record, reading)
    if not filled:
        return None
    base = record.model_dump() if record is not None else {"source": source}
    try:
        made = RECORDS[template.kind].model_validate({**base, **update, "template": template.file})
    except ValidationError as exc:
        why = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        notes.append(f"template {template.file}: no record made ({why})")
        return None
    notes.append(f"template {template.file} ({template.issuer}) filled: {', '.join(filled)}")
    return made

