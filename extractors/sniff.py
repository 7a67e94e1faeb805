"""A file's format from its first bytes, never from its name."""

from __future__ import annotations

import zipfile
from pathlib import Path

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def file_format(path: Path) -> str:
    """'pdf', 'xlsx', 'xls', 'csv', 'empty' or 'other', by content."""
    with path.open("rb") as fh:
        head = fh.read(2048)
    if not head:
        return "empty"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK"):
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
        except zipfile.BadZipFile:
            return "other"
        return "xlsx" if "xl/workbook.xml" in names else "other"
    if head.startswith(OLE):
        return "xls"
    return "csv" if _looks_like_text_table(head) else "other"


def _looks_like_text_table(head: bytes) -> bool:
    """Text without NUL bytes, with separators on one of its first lines (below any title)."""
    if b"\x00" in head:
        return False
    return any(sep in line for line in head.splitlines()[:8] for sep in (b",", b";", b"\t"))
