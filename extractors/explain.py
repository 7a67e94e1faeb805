"""`extract --explain`: where each value was found, and why each expected value was not.

Built after extraction, from the records' provenance and one more look at the document
(`why_not`), so no reader carries tracing code. Expected fields per kind come from
data/expected.toml; supplier templates are judged by their keywords on the same text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from extractors import why_not
from extractors.expected import Expected, expectations, is_missing
from extractors.extraction import Extraction
from extractors.provenance import Origin
from extractors.templated import document_text, read_fields, record_pages, wants_template
from extractors.templates import Template, fits, load_templates, missing_keywords
from extractors.templates.model import field_type
from verify.model.records import DocumentStatus, Provenance, Sourced
from verify.model.vocabulary import vocabulary


@dataclass(frozen=True)
class Found:
    """A value read: the field (``lines[1].quantity``), the value, and where it stands."""

    field: str
    value: str
    where: Provenance


@dataclass(frozen=True)
class Missing:
    """An expected field not read, and why not."""

    field: str
    reason: str


@dataclass
class RecordView:
    title: str
    template: str | None = None
    found: list[Found] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)  # an OFD's attached XML and custom tags


@dataclass(frozen=True)
class TemplateView:
    """A supplier template the document was checked against, and the keywords it lacks."""

    file: str
    issuer: str
    applied: bool
    missing_keywords: tuple[str, ...]


@dataclass
class Explanation:
    extraction: Extraction
    records: list[RecordView] = field(default_factory=list)
    templates: list[TemplateView] = field(default_factory=list)
    templates_consulted: bool = False
    unmatched_templates: int = 0  # templates of a fitting kind with none of their keywords

    def boxes(self) -> list[tuple[str, Provenance]]:
        """(field, provenance) of every value read from a box on a page."""
        return [(f.field, f.where) for r in self.records for f in r.found if f.where.bbox]


def _item(name: str, i: int, item: Sourced) -> str:
    """``results[ncv/ar]`` for a lab result, ``lines[2]`` for anything else (1-based)."""
    parameter = getattr(item, "parameter", None)
    if parameter is None:
        return f"{name}[{i}]"
    basis = getattr(item, "basis", None)
    return f"{name}[{parameter}{'/' + basis.value if basis else ''}]"


def found_fields(record: Sourced, prefix: str = "") -> list[Found]:
    """Every sourced value of a record and of its rows, in the record's field order."""
    out = []
    for name in type(record).model_fields:
        value = getattr(record, name)
        if isinstance(value, list) and value and isinstance(value[0], Sourced):
            for i, item in enumerate(value, 1):
                out += found_fields(item, f"{prefix}{_item(name, i, item)}.")
        elif name in record.sources:
            out.append(Found(prefix + name, "" if value is None else str(value),
                             record.sources[name]))
    return out


def _title(record: Sourced, i: int) -> str:
    names = ("number", "report_no", "stream", "product", "facility_id")
    key = next((str(v) for n in names if (v := getattr(record, n, None))), "")
    return f"{type(record).__name__} {i}" + (f": {key}" if key else "")


def _wanted(kind: str, name: str) -> str:
    return {"date": "date", "number": "number"}.get(field_type(kind, name) or "", name)


def _reason(kind: str, spec: Expected, name: str, pages: list | None) -> str:
    """Why a header field or a whole list of rows was not read."""
    rows = spec.rows.get(name)
    section = rows.section if rows else spec.section
    if pages is None:
        concepts = rows.parameters or rows.fields if rows else (name,)
        labels = [lbl for c in concepts for lbl in vocabulary().get(section, {}).get(c, ())]
        return f"not read from the spreadsheet; looked for a column headed {labels[:6]}"
    if rows:
        return why_not.why_rows(pages, section, rows.parameters or rows.fields)
    return why_not.why_field(pages, section, name, _wanted(kind, name))


def missing_fields(kind: str, record: Sourced | None, pages: list | None) -> list[Missing]:
    """Expected fields of its kind the record lacks (all of them, when there is no record)."""
    spec = expectations().get(kind)
    if spec is None:
        return []
    out = [Missing(n, _reason(kind, spec, n, pages)) for n in spec.fields
           if record is None or is_missing(record, n)]
    for name, rows in spec.rows.items():
        items = getattr(record, name, None) or []
        for p in rows.parameters if items else ():
            if rows.lacks(items, p):
                out.append(Missing(f"{name}[{p}]", why_not.why_row(pages, rows.section, p)
                                   if pages is not None else "not in the spreadsheet"))
        for i, item in enumerate(items, 1):
            out += [Missing(f"{name}[{i}].{f}", why_not.why_row(pages, rows.section, f)
                            if pages is not None else "no such column read")
                    for f in rows.fields if is_missing(item, f)]
    return out


def _with_template(missing: list[Missing], template: Template | None, pages: list | None,
                   origin: Origin) -> list[Missing]:
    """Each reason, followed by why the applied template did not read the field either."""
    if template is None or pages is None:
        return missing
    misses = read_fields(template, pages, origin).misses
    return [Missing(m.field, f"{m.reason}; template {template.file}: {misses[m.field]}")
            if m.field in misses else m for m in missing]


def _ofd_tags(ofd, found: list[Found], origin: Origin) -> list[str]:
    """The OFD's attached invoice XML, and for each value the custom tag pointing at the box
    it stands in."""
    from extractors.ofd.tags import TagReader, header_tags, line_tags
    from extractors.ofd_invoice import invoice_attachment

    attached = invoice_attachment(ofd)
    out = [f"invoice XML attached as {attached.path}: its values are taken, each checked "
           "against the page"] if attached is not None else []
    reader = TagReader(ofd)
    at: dict[str, object] = {f: ts[0] for f, ts in header_tags(reader).items()}
    for i, line in enumerate(line_tags(reader), 1):
        at.update({f"lines[{i}].{f}": t for f, t in line.items()})
    for f in found:
        tagged = at.get(f.field)
        if tagged is None or origin.at_word(tagged.word).bbox != f.where.bbox:
            continue
        ids = [oid for _, oid in ofd.tags.get(tagged.tag, ())]
        objects = f"object{'s' if len(ids) > 1 else ''} {', '.join(ids)}"
        out.append(f"{f.field} <- custom tag {tagged.tag} ({objects}, page {tagged.word.page})")
    return out


def _ofd_missing(ofd, missing: list[Missing]) -> list[Missing]:
    """Each missing field's reason, followed by what the OFD's custom tags say of it."""
    return [Missing(m.field, f"{m.reason}; {why_not.why_tag(ofd, m.field.rsplit('.', 1)[-1])}")
            for m in missing]


def explain(extraction: Extraction, pages: list | None,
            templates: Iterable[Template] = (), ofd=None) -> Explanation:
    """The explanation of one extraction; `pages` are the PDF's (or OFD's) pages (None: a
    spreadsheet); `ofd` the OFD document, whose custom tags are named too."""
    templates = list(templates)
    doc = extraction.document
    origin = Origin(doc.file, doc.sha256)
    records = extraction.records
    by_file = {t.file: t for t in templates}
    views = []
    groups = record_pages(pages, records) if pages else [None] * max(len(records), 1)
    for i, (record, group) in enumerate(zip(records or [None], groups, strict=False), 1):
        template = by_file.get(getattr(record, "template", None) or "")
        missing = missing_fields(doc.kind.value, record, group)
        found = found_fields(record) if record is not None else []
        missing = _with_template(missing, template, group, origin)
        views.append(RecordView(
            _title(record, i) if record is not None else "no record read",
            getattr(record, "template", None), found,
            _ofd_missing(ofd, missing) if ofd is not None else missing,
            _ofd_tags(ofd, found, origin) if ofd is not None else []))
    if doc.status != DocumentStatus.PARSED and not records:
        views = []
    out = Explanation(extraction, views)
    _judge_templates(out, templates, pages)
    return out


def _judge_templates(out: Explanation, templates: list[Template], pages: list | None) -> None:
    """Which templates fit the document's kind, which were applied, which keywords are missing."""
    extraction = out.extraction
    applied = {getattr(r, "template", None) for r in extraction.records} - {None}
    out.templates_consulted = bool(applied) or wants_template(extraction)
    if pages is None or not out.templates_consulted:
        return
    text = document_text(pages)
    for t in templates:
        if t.file not in applied and not fits(t, extraction.document.kind.value):
            continue
        lacking = tuple(missing_keywords(t, text))
        if t.file in applied or len(lacking) < len(t.keywords):
            out.templates.append(TemplateView(t.file, t.issuer, t.file in applied, lacking))
        else:
            out.unmatched_templates += 1


def explain_file(path: Path, templates: tuple[Path, ...] = ()) -> Explanation:
    """Extract one file and explain it, looking for labels on the pages the reader read (a
    PDF the classifier left unknown is opened here)."""
    from extractors.read import document_for, read_file
    from extractors.sniff import file_format

    path = Path(path)
    extraction, opened = read_file(path, document_for(path), templates)
    pages = opened.pages if opened is not None else None
    readable = extraction.document.status != DocumentStatus.UNREADABLE
    if pages is None and file_format(path) == "pdf" and readable:
        from extractors.pdf.document import open_pdf

        pages = open_pdf(path).pages
    if file_format(path) == "ofd" and readable:  # a page document: its pages, boxes and tags
        from extractors.ofd.package import open_ofd
        from extractors.ofd.pages import page_of

        ofd = open_ofd(path)
        return explain(extraction, [page_of(p) for p in ofd.pages], (), ofd)
    return explain(extraction, pages, load_templates(templates).templates)
