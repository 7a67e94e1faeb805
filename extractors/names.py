"""File names of any bytes as the person who named them meant them.

A Chinese Windows tool writes names in GBK without saying so; a Linux folder may hold names
that are not UTF-8 at all. Names are shown, stored and reported as text, so each is decoded
as UTF-8, else GBK, else kept with its undecodable bytes escaped (`\\xb7`), never lost and
never a crash where it is saved.
"""

from __future__ import annotations

import re

_NON_ASCII_RUN = re.compile(rb"[\x80-\xff]+")


def _looks_gbk(raw: bytes) -> bool:
    """GB2312 names come in byte pairs above 0x80; a Latin name in a one-byte code page
    ('M\\x84rz') has odd runs and would otherwise decode to Chinese characters."""
    return all(len(run) % 2 == 0 for run in _NON_ASCII_RUN.findall(raw))


def decode_name(raw: bytes, fallback: str | None = None) -> str:
    """UTF-8, else GBK, else `fallback` (the zip format's CP437 reading), else escaped bytes."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _looks_gbk(raw):
        try:
            return raw.decode("gbk")
        except UnicodeDecodeError:
            pass
    return fallback if fallback is not None else raw.decode("utf-8", "backslashreplace")


def shown_name(text: str) -> str:
    """A name read from the file system as printable text (Python keeps undecodable bytes
    as lone surrogates, which no database or report can store)."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return decode_name(text.encode("utf-8", "surrogateescape"))
