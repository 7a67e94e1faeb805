"""The semantic tags of an OFD e-invoice (GB/T 33190 custom tags) read as invoice fields.

Each tag (InvoiceNo, Buyer/BuyerName, TaxInclusiveTotalAmount, Item ...) points by ObjectRef at
the page TextObjects printing its value. The value is the text of those objects in the order the
tag lists them (a name that wraps onto a second line is two objects: their texts are joined
without a blank), and its provenance the page and the box the objects cover, in PDF points from
the top-left corner, as for a value read beside its label. Which tag names which field is data
(data/einvoice_xml.toml, [ofd_tags]); a tag whose objects print nothing on the page (placed off
the page, or no such object) gives no value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from xml.etree.ElementTree import Element

from extractors.einvoice_xml import data
from extractors.ofd.package import OfdDocument, OfdPage
from extractors.ofd.pages import on_page
from extractors.ofd.text import MM, content_words
from extractors.pdf.words import Word, merge
from extractors.xmlsafe import local

_INDEX = re.compile(r"\[\d+\]$")


@dataclass(frozen=True)
class Tagged:
    """What one tag points at: its path as written, and the printed text with its box."""

    tag: str
    word: Word

    @property
    def text(self) -> str:
        return self.word.text


def spec() -> dict:
    """Tag names per field ([ofd_tags] of data/einvoice_xml.toml)."""
    return data()["ofd_tags"]


def name_of(step: str) -> str:
    """A tag path step without its sibling number ('GoodsInfo[2]' -> 'GoodsInfo')."""
    return _INDEX.sub("", step)


def _object_text(obj: Element) -> str:
    """A TextObject's characters as written, blanks inside kept as one."""
    text = "".join(c.text or "" for c in obj if local(c.tag) == "TextCode")
    return " ".join(text.split())


def _objects(page: OfdPage) -> dict[str, tuple[str, list[Word]]]:
    """Object ID -> (text, words on the page) for every TextObject of a page; the page's own
    objects win over a template's object of the same ID."""
    width, height = page.box[2] * MM, page.box[3] * MM
    out: dict[str, tuple[str, list[Word]]] = {}
    own = [layer for layer in page.layers if layer[0] == page.part]
    for _, root in own + [layer for layer in page.layers if layer[0] != page.part]:
        for obj in root.iter():
            oid = obj.get("ID")
            if local(obj.tag) != "TextObject" or not oid or oid in out:
                continue
            words = [w for w in content_words(obj, page.number) if on_page(w, width, height)]
            out[oid] = (_object_text(obj), words)
    return out


class TagReader:
    """The tags of one OFD document resolved to the words they point at."""

    def __init__(self, ofd: OfdDocument) -> None:
        self.ofd = ofd
        self.by_page = {p.id: _objects(p) for p in ofd.pages}

    def find(self, page_ref: str, oid: str) -> tuple[str, list[Word]] | None:
        """The object a reference names: on the page it names, else on any page (an exporter
        that numbers PageRef otherwise)."""
        found = self.by_page.get(page_ref, {}).get(oid)
        if found is None:
            found = next((objs[oid] for objs in self.by_page.values() if oid in objs), None)
        return found

    def resolve(self, path: str) -> Tagged | None:
        """The printed text and box of what a tag points at (None when nothing is printed)."""
        texts, words = [], []
        prev: list[Word] = []
        for page_ref, oid in self.ofd.tags.get(path, ()):
            found = self.find(page_ref, oid)
            if found is None or not found[1]:
                continue
            text, ws = found
            same_line = prev and abs(ws[0].top - prev[-1].top) < 0.5 * ws[0].height
            latin = texts and texts[-1][-1:].isascii() and text[:1].isascii()
            texts.append((" " if same_line and latin else "") + text)
            words += ws
            prev = ws
        if not words:
            return None
        return Tagged(path, replace(merge(words), text="".join(texts).strip()))

    def paths(self) -> list[str]:
        return list(self.ofd.tags)


def _steps(path: str) -> list[str]:
    return [name_of(s) for s in path.split("/")]


def header_tags(reader: TagReader) -> dict[str, list[Tagged]]:
    """Field -> what each tag naming it points at (outside the goods lines), in tag order."""
    names = spec()["invoice"]
    each = set(spec()["line"].get("each", ()))
    line_names = {n for f, ns in spec()["line"].items() if f not in ("each", "anchor") for n in ns}
    out: dict[str, list[Tagged]] = {}
    for path in reader.paths():
        steps = _steps(path)
        if each & set(steps) or steps[-1] in line_names:
            continue  # a goods line's
        for field, tags in names.items():
            if steps[-1] in tags and (found := reader.resolve(path)) is not None:
                out.setdefault(field, []).append(found)
    return out


def line_tags(reader: TagReader) -> list[dict[str, Tagged]]:
    """The goods lines the tags point at, top to bottom: field -> Tagged for each line."""
    fields = {f: ns for f, ns in spec()["line"].items() if f not in ("each", "anchor")}
    each = set(spec()["line"].get("each", ()))
    grouped: dict[str, dict[str, Tagged]] = {}
    flat: list[tuple[str, Tagged]] = []
    for path in reader.paths():
        parts = path.split("/")
        steps = [name_of(s) for s in parts]
        field = next((f for f, ns in fields.items() if steps[-1] in ns), None)
        if field is None:
            continue
        group = next((i for i, s in enumerate(steps[:-1]) if s in each), None)
        found = reader.resolve(path)
        if found is None:
            continue
        if group is not None:
            grouped.setdefault("/".join(parts[:group + 1]), {}).setdefault(field, found)
        else:
            flat += [(field, t) for t in _split(reader, path, found)]
    return list(grouped.values()) + _rows(flat, spec()["line"].get("anchor", "amount"))


def _split(reader: TagReader, path: str, whole: Tagged) -> list[Tagged]:
    """A flat tag's objects one by one when they stand on different lines (one per goods
    line), else the tag whole."""
    refs = reader.ofd.tags.get(path, ())
    if len(refs) < 2:
        return [whole]
    parts = []
    for page_ref, oid in refs:
        found = reader.find(page_ref, oid)
        if found and found[1]:
            parts.append(Tagged(path, replace(merge(found[1]), text=found[0])))
    lines: list[list[Tagged]] = []
    for part in sorted(parts, key=lambda p: (p.word.top, p.word.x0)):
        if lines and abs(part.word.top - lines[-1][0].word.top) <= 0.5 * part.word.height:
            lines[-1].append(part)  # one line's objects ('¥' and the figure)
        else:
            lines.append([part])
    if len(lines) < 2:
        return [whole]
    return [_joined(line, " ") if len(line) > 1 else line[0] for line in lines]


def _rows(flat: list[tuple[str, Tagged]], anchor: str) -> list[dict[str, Tagged]]:
    """Flat line tags as lines: each anchor object starts one; every other object joins the
    line whose top is the last at or above its own (a wrapped name continues below)."""
    anchors = sorted((t for f, t in flat if f == anchor), key=_at)
    if not anchors:
        row: dict[str, Tagged] = {}
        for f, t in flat:
            row.setdefault(f, t)
        return [row] if row else []
    rows: list[dict[str, list[Tagged]]] = [{anchor: [a]} for a in anchors]
    for f, t in flat:
        if f == anchor:
            continue
        page, top = _at(t)
        below = (page, top + 0.5 * t.word.height)
        i = max((k for k, a in enumerate(anchors) if _at(a) <= below), default=0)
        rows[i].setdefault(f, []).append(t)
    return [{f: _joined(ts) for f, ts in row.items()} for row in rows]


def _at(t: Tagged) -> tuple[int, float]:
    """Where an object stands in reading order: page, then top."""
    return t.word.page, t.word.top


def _joined(parts: list[Tagged], blank: str = "") -> Tagged:
    """Several objects of one field as one value: a wrapped name's pieces joined without a
    blank, one line's pieces with one between latin text."""
    if len(parts) == 1:
        return parts[0]
    parts = sorted(parts, key=lambda t: (t.word.top, t.word.x0))
    text = parts[0].text
    for prev, cur in zip(parts, parts[1:], strict=False):
        latin = prev.text[-1:].isascii() and cur.text[:1].isascii()
        text += (blank if latin else "") + cur.text
    return Tagged(parts[0].tag, replace(merge([p.word for p in parts]), text=text))
