"""A file's format from its first bytes, never from its name."""

from __future__ import annotations

import codecs
import re
import struct
import zipfile
from pathlib import Path

from extractors.sheets.html_table import looks_like_html

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OFD_ROOT = "ofd.xml"  # GB/T 33190: the package's entry point, by convention its first entry
_XML_START = re.compile(rb"<(\?xml[\s?]|!DOCTYPE\s+(?!html)|!--|[A-Za-z_])", re.IGNORECASE)


def file_format(path: Path) -> str:
    """'pdf', 'xlsx', 'ofd', 'xls', 'xml', 'csv', 'image' (JPEG, PNG, TIFF, HEIC), 'empty' or
    'other', by content."""
    with path.open("rb") as fh:
        head = fh.read(2048)
    if not head:
        return "empty"
    if image_kind(head):  # a magic number at the very start: decisive
        return "image"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK"):
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
        except zipfile.BadZipFile:  # cut short: the first local header still names OFD.xml
            return "ofd" if _first_entry(head).lower() == OFD_ROOT else "other"
        if "xl/workbook.xml" in names:
            return "xlsx"
        return "ofd" if any(n.lower() == OFD_ROOT for n in names) else "other"
    if head.startswith(OLE):
        return "xls"
    if looks_like_html(_text_of(head)):  # an ERP's "Excel" export: a table kept as text
        return "csv"
    if _looks_like_xml(head):
        return "xml"
    return "csv" if _looks_like_text_table(head) else "other"


def image_kind(head: bytes) -> str | None:
    """'jpeg', 'png', 'tiff' or 'heic' from a file's first bytes, else None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "tiff"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"hevc", b"hevx", b"heim",
                                                b"heis", b"mif1", b"msf1"):
        return "heic"
    return None


def _first_entry(head: bytes) -> str:
    """The name in a zip's first local file header ('' when there is none)."""
    if len(head) < 30 or not head.startswith(b"PK\x03\x04"):
        return ""
    n = struct.unpack("<H", head[26:28])[0]
    return head[30:30 + n].decode("utf-8", "replace")


def _looks_like_xml(head: bytes) -> bool:
    """An XML declaration or a first element (after a BOM and blanks), and not an HTML page."""
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            head = head[len(bom):].decode(codec, "ignore").encode("utf-8")
    head = head.removeprefix(codecs.BOM_UTF8).lstrip()
    return bool(_XML_START.match(head)) and not head[:5].lower().startswith(b"<html")


def _text_of(head: bytes) -> str:
    """The first bytes as text for a look: UTF-16 by its BOM, else UTF-8 (errors dropped)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return head[: len(head) // 2 * 2].decode("utf-16", "ignore")
    return head.decode("utf-8", "ignore")


def _looks_like_text_table(head: bytes) -> bool:
    """Text without NUL bytes (UTF-16 read by its BOM), with separators on one of its first
    lines (below any title)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        head = _text_of(head).encode("utf-8")
    if b"\x00" in head:
        return False
    return any(sep in line for line in head.splitlines()[:8] for sep in (b",", b";", b"\t"))
