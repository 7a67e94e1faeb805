"""Untrusted XML parsed safely and walked by element local name.

defusedxml refuses entity declarations and external references, so an entity bomb or an XXE file
becomes an unreadable document with the reason, never a hung worker or a leaked local file.
Elements are matched by local name: 数电 XML and OFD parts come with and without namespaces.

Some issuers write parts that are well-formed XML 1.0 but break the namespace rules: a real
provincial e-invoice's Doc_0/Tags/CustomTag.xml opens with `<:eInvoice xmlns:="">` (an empty
prefix) and uses `ofd:ObjectRef` without declaring `ofd`. XML 1.0 allows ':' in a name, so such
a part is parsed a second time without namespace processing (still by defusedxml, with the same
refusals) and its names are taken after their last ':'. Only a namespace error is forgiven so:
a part that is not well-formed XML 1.0, or that declares entities, stays refused.

expat reads UTF-8, UTF-16 and Latin-1 only: a part written in GBK (declared so, or declared UTF-8
with GBK bytes) is decoded as GB18030 and parsed as UTF-8 (`_utf8`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError
from xml.parsers.expat import ExpatError

import defusedxml
import defusedxml.ElementTree as safe_tree
import defusedxml.expatbuilder as safe_dom

from verify.model.errors import Reason, Unreadable

MAX_XML_BYTES = 16 * 1024 * 1024  # an e-invoice or an OFD part is kilobytes
MAX_LENIENT_BYTES = 2 * 1024 * 1024  # a part read again without namespaces (a DOM, larger)


@contextmanager
def _refusing(what: str) -> Iterator[None]:
    """defusedxml's and expat's errors as Unreadable, with the reason a verifier reads."""
    try:
        yield
    except defusedxml.EntitiesForbidden as exc:
        raise Unreadable(Reason.HOSTILE_XML, f"{what} declares entities "
                         f"({exc.name!r}); an e-invoice never needs them") from exc
    except defusedxml.DefusedXmlException as exc:  # external references, DTD processing
        raise Unreadable(Reason.HOSTILE_XML, f"{what}: {type(exc).__name__}") from exc
    except ParseError as exc:
        raise Unreadable(Reason.MALFORMED_XML, f"{what}: {exc}") from exc
    except ValueError as exc:  # expat: an encoding it cannot read ('multi-byte encodings ...')
        raise Unreadable(Reason.MALFORMED_XML, f"{what}: {exc}") from exc


def _as_element(node) -> Element:
    """A minidom element as an ElementTree element, names without their prefix."""
    out = Element(node.tagName.rsplit(":", 1)[-1],
                  {k.rsplit(":", 1)[-1]: v for k, v in node.attributes.items()
                   if k != "xmlns" and not k.startswith("xmlns:")})
    last: Element | None = None
    for c in node.childNodes:
        if c.nodeType == c.ELEMENT_NODE:
            last = _as_element(c)
            out.append(last)
        elif c.nodeType in (c.TEXT_NODE, c.CDATA_SECTION_NODE):
            if last is None:
                out.text = (out.text or "") + c.data
            else:
                last.tail = (last.tail or "") + c.data
    return out


def _without_namespaces(data: bytes) -> Element:
    """The root of a document parsed as plain XML 1.0 (prefixes are part of names)."""
    return _as_element(safe_dom.parseString(data, namespaces=False).documentElement)


_DECLARATION = re.compile(rb"^<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9_.\-]+)")
CHINESE = {"gbk", "gb2312", "gb18030", "cp936", "x-gbk", "euc-cn", "ms936"}


def _utf8(data: bytes) -> bytes:
    """The document as UTF-8 when it is written in a Chinese multi-byte encoding, which expat
    does not read: declared so (encoding="GBK"), or declared UTF-8 (or nothing) while its bytes
    are not UTF-8 but GB18030 (an issuer's tool that wrote the declaration and not the bytes).
    Blanks before the declaration are dropped. Any other document is returned as it is."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")) or b"\x00" in data[:200]:
        return data  # UTF-16 or UTF-8 by its byte order mark, which expat reads
    head = data.lstrip(b" \t\r\n")
    data = head if head.startswith(b"<?xml") else data
    m = _DECLARATION.match(data)
    declared = m.group(1).decode("ascii").lower() if m else None
    if declared not in CHINESE:
        if declared not in (None, "utf-8", "utf8"):
            return data
        try:
            data.decode("utf-8")
            return data
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return data
    if m:  # the declaration is ASCII: its offsets are the same in the text
        text = text[: m.start(1)] + "UTF-8" + text[m.end(1):]
    return text.encode("utf-8")


def parse_xml(data: bytes, what: str) -> Element:
    """The root element of an XML document; raises Unreadable with the reason when refused."""
    if len(data) > MAX_XML_BYTES:
        raise Unreadable(Reason.TOO_LARGE, f"{what} is over {MAX_XML_BYTES} bytes of XML")
    data = _utf8(data)
    with _refusing(what):
        try:
            return safe_tree.fromstring(data)
        except ParseError as first:
            if len(data) > MAX_LENIENT_BYTES:
                raise
            try:
                return _without_namespaces(data)
            except ExpatError:
                raise first from None


def read_xml(path: Path, what: str) -> Element:
    """The root element of an XML file, read no further than the size limit."""
    with Path(path).open("rb") as fh:
        return parse_xml(fh.read(MAX_XML_BYTES + 1), what)


def root_name(path: Path, what: str) -> str:
    """The local name of an XML file's root element, read without parsing the rest (a DTD
    before it is still checked, so a hostile file is refused here too)."""
    try:
        with Path(path).open("rb") as fh, _refusing(what):
            for _event, element in safe_tree.iterparse(fh, events=("start",)):
                return local(element.tag)
    except Unreadable as exc:
        if exc.reason != Reason.MALFORMED_XML:
            raise
        return local(read_xml(path, what).tag)  # GBK, or namespace rules broken: read whole
    raise Unreadable(Reason.MALFORMED_XML, f"{what}: no root element")


def local(tag: object) -> str:
    """An element's tag without its namespace ('' for comments and processing instructions)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def text_of(element: Element) -> str:
    """An element's own text, stripped."""
    return (element.text or "").strip()


def children(element: Element, name: str) -> list[Element]:
    """The direct children with a local name."""
    return [c for c in element if local(c.tag) == name]


def child(element: Element | None, name: str) -> Element | None:
    """The first direct child with a local name, or None."""
    if element is None:
        return None
    return next((c for c in element if local(c.tag) == name), None)


def step(parent: Element, element: Element) -> str:
    """One XPath-like step: the local name, with [n] when same-named siblings repeat."""
    name = local(element.tag)
    same = children(parent, name)
    return f"{name}[{same.index(element) + 1}]" if len(same) > 1 else name


def walk(root: Element, at: str = "") -> Iterator[tuple[Element, str]]:
    """Every element under root (root included) with its XPath-like locator."""
    here = at or "/" + local(root.tag)
    yield root, here
    for c in root:
        if local(c.tag):
            yield from walk(c, f"{here}/{step(root, c)}")


def find(element: Element, path: str, at: str) -> tuple[Element, str] | None:
    """The element a 'A/B/C' path of local names leads to from element, with its locator."""
    for name in path.split("/"):
        found = child(element, name)
        if found is None:
            return None
        at = f"{at}/{step(element, found)}"
        element = found
    return element, at
