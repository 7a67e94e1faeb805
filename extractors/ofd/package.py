"""An OFD package (GB/T 33190, the format of China's e-invoices) opened as a zip of XML parts.

Our own small reader, not a library. Checked on PyPI: easyofd renders OFD to PDF and image and
needs PyMuPDF (AGPL), reportlab, loguru, fontTools and pyasn1; it unpacks every entry into the
working directory with no size limit and parses with xmltodict. ofdparser (last release 2023)
registers SimSun font files at import (it fails where they are absent) and needs reportlab and
OpenCV. ofdkit reads text with positions and has no dependencies, but is a first alpha (0.2.0)
with a CLI, an MCP server and a spreadsheet writer around it. What reading an invoice needs is
small: the page list, each page's text objects (its template's too), the custom tags and the
XML attachments, read within the bundle's zip limits and parsed with defusedxml.
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element

from extractors.caps import active, how_to_raise
from extractors.limits import Limits
from extractors.xmlsafe import MAX_XML_BYTES, child, children, local, parse_xml, step, text_of
from extractors.zipsafe import bomb_reason, unsafe_name
from verify.model.errors import Reason, Unreadable

A4 = (0.0, 0.0, 210.0, 297.0)  # the default page box, mm
BROKEN = (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError)


@dataclass(frozen=True)
class OfdPage:
    """One page: number (1-based), ID (what custom tags point at), box in mm, and its content
    roots in drawing order (GB/T 33190 7.2: the templates it names with ZOrder Background, the
    page, then those with ZOrder Foreground) with the part each was read from."""

    number: int
    id: str
    box: tuple[float, float, float, float]
    layers: tuple[tuple[str, Element], ...]
    part: str = ""  # the page's own Content.xml (the other layers are its templates)


@dataclass(frozen=True)
class Attachment:
    """An XML file carried in the package (the original invoice XML, for an e-invoice)."""

    path: str
    name: str
    root: Element


@dataclass
class OfdDocument:
    pages: list[OfdPage]
    attachments: list[Attachment] = field(default_factory=list)
    tags: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # path -> (page, id)
    custom_data: dict[str, str] = field(default_factory=dict)  # OFD.xml DocInfo: name -> text


class Package:
    """The zip's entries, read one at a time within the limits."""

    def __init__(self, zf: zipfile.ZipFile, limits: Limits) -> None:
        infos = zf.infolist()
        if len(infos) > limits.max_files:
            raise Unreadable(Reason.TOO_LARGE, f"OFD package of {len(infos)} entries")
        self.zf, self.limits = zf, limits
        self.entries = {i.filename.replace("\\", "/").lstrip("/"): i for i in infos}

    def find(self, loc: str, *bases: str) -> str | None:
        """The entry a location names: absolute from the root, else relative to each base."""
        starts = [""] if loc.startswith("/") else [*bases, ""]
        for base in starts:
            name = posixpath.normpath(posixpath.join(base, loc.lstrip("/")))
            if not name.startswith("..") and name in self.entries:
                return name
        return None

    def read(self, name: str) -> bytes:
        """An entry's bytes; refuses unsafe entries and size bombs (header sizes can lie)."""
        info = self.entries[name]
        reason = unsafe_name(info) or bomb_reason(info, self.limits)
        if reason:
            raise Unreadable(Reason.UNSAFE_ENTRY, f"OFD entry {name}: {reason}")
        with self.zf.open(info) as fh:
            data = fh.read(MAX_XML_BYTES + 1)
        if len(data) > MAX_XML_BYTES:
            raise Unreadable(Reason.TOO_LARGE, f"OFD entry {name} (limit {MAX_XML_BYTES} bytes)")
        return data

    def xml(self, name: str) -> Element:
        return parse_xml(self.read(name), f"OFD entry {name}")


def _box(element: Element | None) -> tuple[float, float, float, float] | None:
    """A PhysicalBox ('x y w h', mm) under an Area or PageArea element."""
    text = text_of(box) if (box := child(element, "PhysicalBox")) is not None else ""
    try:
        x, y, w, h = (float(v) for v in text.split())
    except ValueError:
        return None
    return x, y, w, h


def _required(pkg: Package, loc: str, what: str, *bases: str) -> tuple[str, Element]:
    name = pkg.find(loc, *bases) if loc else None
    if name is None:
        raise Unreadable(Reason.INCOMPLETE_OFD, f"no {what} ({loc or 'not named'})")
    return name, pkg.xml(name)


def _pages(pkg: Package, doc: Element, base: str) -> list[OfdPage]:
    """The pages in document order, each with its template pages and its box."""
    common = child(doc, "CommonData")
    default = _box(child(common, "PageArea")) or A4
    templates = {t.get("ID", ""): t.get("BaseLoc", "") for t in children(common, "TemplatePage")} \
        if common is not None else {}
    refs = children(child(doc, "Pages"), "Page") if child(doc, "Pages") is not None else []
    if len(refs) > active().pages:
        raise Unreadable(Reason.TOO_LARGE, f"{len(refs)} pages (limit {active().pages}; "
                         f"{how_to_raise('pages')})")
    pages = []
    for n, ref in enumerate(refs, 1):
        part, root = _required(pkg, ref.get("BaseLoc", ""), f"page {n} content", base)
        below, above = [], []
        for use in children(root, "Template"):
            loc = templates.get(use.get("TemplateID", ""), "")
            if loc and (name := pkg.find(loc, base)) is not None:
                layer = (name, pkg.xml(name))
                (above if use.get("ZOrder") == "Foreground" else below).append(layer)
        layers = [*below, (part, root), *above]  # as drawn: Background templates first
        pages.append(OfdPage(n, ref.get("ID", str(n)), _box(child(root, "Area")) or default,
                             tuple(layers), part))
    return pages


def _attachments(pkg: Package, doc: Element, base: str) -> list[Attachment]:
    """The XML files the document attaches (other attachments are not read)."""
    index = child(doc, "Attachments")
    name = pkg.find(text_of(index), base) if index is not None else None
    if name is None:
        return []
    found = []
    for item in children(pkg.xml(name), "Attachment"):
        loc = text_of(child(item, "FileLoc")) if child(item, "FileLoc") is not None else ""
        part = pkg.find(loc, posixpath.dirname(name), base) if loc else None
        is_xml = item.get("Format", "").lower() in ("xml", "xbrl") or \
            loc.lower().endswith((".xml", ".xbrl"))
        if part is not None and is_xml:
            found.append(Attachment(part, item.get("Name", loc), pkg.xml(part)))
    return found


def _refs(tag_root: Element) -> dict[str, list[tuple[str, str]]]:
    """Tag path below the root ('Buyer/BuyerName', 'GoodsInfos/GoodsInfo[2]/Item') -> the
    (page, object id) of each ObjectRef it holds, in document order. A tag that repeats among
    its siblings is numbered, so two goods lines' tags stay apart."""
    out: dict[str, list[tuple[str, str]]] = {}

    def visit(element: Element, path: str) -> None:
        for c in element:
            if local(c.tag) == "ObjectRef":
                out.setdefault(path, []).append((c.get("PageRef", ""), text_of(c)))
            elif local(c.tag):
                visit(c, f"{path}/{step(element, c)}" if path else step(element, c))

    visit(tag_root, "")
    return out


def _tags(pkg: Package, doc: Element, base: str) -> dict[str, list[tuple[str, str]]]:
    """The custom tags (for an e-invoice: InvoiceNo, Buyer/BuyerName ... -> object ids)."""
    index = child(doc, "CustomTags")
    name = pkg.find(text_of(index), base) if index is not None else None
    if name is None:
        return {}
    tags: dict[str, list[tuple[str, str]]] = {}
    for item in children(pkg.xml(name), "CustomTag"):
        loc = child(item, "FileLoc")
        part = pkg.find(text_of(loc), posixpath.dirname(name), base) if loc is not None else None
        if part is not None:
            tags.update(_refs(pkg.xml(part)))
    return tags


def _document(pkg: Package) -> OfdDocument:
    """The first document of the package: pages, XML attachments, custom tags and data."""
    root_name = next((n for n in pkg.entries if n.lower() == "ofd.xml"), "")
    _, root = _required(pkg, root_name, "OFD.xml entry point")
    body = child(root, "DocBody")
    loc = text_of(child(body, "DocRoot")) if child(body, "DocRoot") is not None else ""
    doc_name, doc = _required(pkg, loc, "document (DocRoot)")
    base = posixpath.dirname(doc_name)
    return OfdDocument(_pages(pkg, doc, base), _attachments(pkg, doc, base), _tags(pkg, doc, base),
                       _custom_data(body))


def _custom_data(body: Element | None) -> dict[str, str]:
    """The document's custom data (DocInfo/CustomDatas, GB/T 33190 7.4): name -> text. E-invoice
    exporters write the invoice's key figures there ('发票号码', '合计金额', '开票日期' ...)."""
    datas = child(child(body, "DocInfo"), "CustomDatas")
    if datas is None:
        return {}
    out: dict[str, str] = {}
    for item in children(datas, "CustomData"):
        out.setdefault(item.get("Name", "").strip(), text_of(item))
    return out


def open_ofd(path: Path, limits: Limits | None = None) -> OfdDocument:
    """Every page, XML attachment and custom tag of an OFD file; raises Unreadable with why."""
    try:
        with zipfile.ZipFile(path) as zf:
            return _document(Package(zf, limits or active().limits()))
    except BROKEN as exc:
        raise Unreadable(Reason.CORRUPT_OFD, f"{type(exc).__name__}: {exc}") from exc
