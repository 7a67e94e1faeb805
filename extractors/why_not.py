"""Why a field was not read: look at the document again, after extraction, for its labels.

Readers are not traced step by step; instead the pages are searched once more for the
vocabulary's labels of the missing field. Either no label is printed (and which labels were
looked for, on which pages), or a label is printed and what stands next to it is not a value of
the field's kind (and that text is shown).
"""

from __future__ import annotations

from extractors.labels import label_keys
from extractors.pdf.fields import Hit, find_labels, value_of
from verify.model.vocabulary import vocabulary

MAX_HITS = 3  # labels reported per field; more would bury the answer


def _pages_named(pages: list) -> str:
    numbers = [p.number for p in pages]
    if not numbers:
        return "no page"
    return f"page {numbers[0]}" if len(numbers) == 1 else f"pages {numbers[0]}-{numbers[-1]}"


def _labels(section: str, concept: str) -> tuple[str, ...]:
    return vocabulary().get(section, {}).get(concept, ())


def _box(word) -> str:
    return "[" + ", ".join(f"{v:.0f}" for v in word.where) + "]"


def _hits(pages: list, section: str, concept: str) -> list[tuple[object, Hit]]:
    """(page, hit) for every printed label of the concept, top to bottom, page by page."""
    keys = label_keys(section, concept)
    return [(page, hit) for page in pages for hit in find_labels(page.lines, keys)]


def not_seen(pages: list, section: str, concept: str) -> str:
    """'no label seen on page 1: looked for ...'."""
    looked = ", ".join(repr(lbl) for lbl in _labels(section, concept))
    return f"no label seen on {_pages_named(pages)}; looked for {looked}"


def why_field(pages: list, section: str, concept: str, wanted: str) -> str:
    """Why a labelled header field (an invoice number, a report date) was not read."""
    if not _labels(section, concept):
        return f"the vocabulary has no labels for {section}.{concept}"
    hits = _hits(pages, section, concept)
    if not hits:
        return not_seen(pages, section, concept)
    said = []
    for page, hit in hits[:MAX_HITS]:
        value = value_of(page.lines, hit)
        where = f"label {hit.label.text!r} seen on page {page.number} at {_box(hit.label)}"
        said.append(f"{where}, but nothing right of it or below" if value is None else
                    f"{where}, but {value.text!r} next to it is not an acceptable {wanted}")
    return "; ".join(said)


def why_row(pages: list, section: str, concept: str) -> str:
    """Why a result row (NCV, carbon) or a goods-table column was not read."""
    if not _labels(section, concept):
        return f"the vocabulary has no labels for {section}.{concept}"
    hits = _hits(pages, section, concept)
    if not hits:
        return not_seen(pages, section, concept)
    said = [f"label {hit.label.text!r} seen on page {page.number} at {_box(hit.label)}, but no "
            f"value read from its line {page.lines[hit.line].text!r}"
            for page, hit in hits[:MAX_HITS]]
    return "; ".join(said)


def why_rows(pages: list, section: str, concepts: tuple[str, ...]) -> str:
    """Why a record has no rows at all: which header or row labels are printed, which are not."""
    seen, unseen = [], []
    for concept in concepts:
        hits = _hits(pages, section, concept)
        if hits:
            page, hit = hits[0]
            seen.append(f"{hit.label.text!r} (page {page.number} at {_box(hit.label)})")
        else:
            unseen.append(concept)
    said = [f"no label of {', '.join(unseen)} seen on {_pages_named(pages)}"] if unseen else []
    if seen:
        said.append(f"seen {', '.join(seen)}, but no row under them read")
    return "; ".join(said)


# --- OFD e-invoices: the semantic tags ---------------------------------------------------------


def _tag_names(field: str) -> list[str]:
    from extractors.ofd.tags import spec

    names = spec()["invoice"].get(field) or spec()["line"].get(field) or []
    return [names] if isinstance(names, str) else list(names)


def why_tag(ofd, field: str) -> str:
    """What the OFD's custom tags say of a field: no such tag, or a tag whose objects print
    nothing on the page (placed off it, or no such object), or print text of another kind."""
    from extractors.ofd.tags import TagReader, name_of

    names = _tag_names(field)
    if not names:
        return f"no custom tag names {field}"
    if not ofd.tags:
        return "the file carries no custom tags (Doc_0/Tags/CustomTag.xml)"
    paths = [p for p in ofd.tags if name_of(p.rsplit("/", 1)[-1]) in names]
    if not paths:
        return f"no custom tag {' or '.join(names)} in the file's custom tags"
    reader = TagReader(ofd)
    said = []
    for path in paths[:MAX_HITS]:
        refs = ", ".join(f"object {oid} on page {page}" for page, oid in ofd.tags[path])
        found = reader.resolve(path)
        if found is None:
            said.append(f"custom tag {path} points at {refs or 'nothing'}, "
                        "which prints nothing on the page")
        else:
            said.append(f"custom tag {path} points at {found.text!r} on page {found.word.page} "
                        f"at {_box(found.word)} ({refs})")
    return "; ".join(said)
