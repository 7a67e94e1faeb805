"""Unpack a .zip bundle into a temp folder, refusing what could escape it or exhaust the disk.

The central directory is judged before anything is unpacked: a file that is not a zip, or a zip
of more entries than the limit, stops the run with the reason (BundleError, exit 2). Refused
entries (path traversal, absolute names, symlinks, size bombs, encrypted or damaged entries)
become unreadable Documents with the reason; nothing is ever written outside the target folder,
and two entries of one name are both kept (the later one as `name (2).ext`).
"""

from __future__ import annotations

import hashlib
import stat
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from extractors.limits import Limits
from extractors.names import decode_name
from verify.model.errors import BundleError
from verify.model.records import Document, DocumentStatus

UTF8_FLAG = 0x800  # general purpose bit 11: the name is UTF-8
ENCRYPTED_FLAG = 0x1


def _refused(name: str, reason: str, size: int = 0) -> Document:
    return Document(file=name, sha256=hashlib.sha256(name.encode()).hexdigest(), size=size,
                    status=DocumentStatus.UNREADABLE, error=reason)


def entry_name(info: zipfile.ZipInfo) -> str:
    """An entry's name as its maker meant it: UTF-8 when flagged; else its raw bytes decoded
    as UTF-8 or GBK (a Chinese Windows zip tool), else CP437 as the zip format says."""
    if info.flag_bits & UTF8_FLAG:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:  # decoded with another metadata encoding already
        return info.filename
    return decode_name(raw, fallback=info.filename)


def unsafe_name(info: zipfile.ZipInfo) -> str | None:
    """Why an entry's name or type is unsafe (traversal, absolute, drive, symlink), or None."""
    name = info.filename.replace("\\", "/")
    parts = PurePosixPath(name).parts
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return "unsafe zip entry: absolute path"
    if ".." in parts:
        return "unsafe zip entry: path traversal (../)"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "unsafe zip entry: symbolic link"
    return None


def bomb_reason(info: zipfile.ZipInfo, limits: Limits) -> str | None:
    """Why an entry looks like a size bomb (ratio or size over the limits), or None."""
    if info.file_size > limits.max_file_bytes:
        return f"too large: {info.file_size} bytes uncompressed (limit {limits.max_file_bytes})"
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > 1024 * 1024 and ratio > limits.max_compression_ratio:
        return (f"zip bomb suspected: compression ratio {ratio:.0f} "
                f"(limit {limits.max_compression_ratio:.0f})")
    return None


def _copy_limited(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, cap: int) -> str | None:
    """Copy an entry, stopping past `cap` bytes (a header can lie about the size); why it could
    not be copied, or None. A damaged entry (bad CRC, broken deflate stream) leaves no file."""
    written = 0
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with zf.open(info) as src, target.open("wb") as dst:
            while block := src.read(1 << 20):
                written += len(block)
                if written > cap:
                    break
                dst.write(block)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError,
            OSError, ValueError) as exc:  # ValueError: a local name flagged UTF-8 that is not
        target.unlink(missing_ok=True)
        return f"damaged zip entry: {type(exc).__name__}: {exc}"
    if written > cap:
        target.unlink()
        return "zip entry larger than its header states"
    return None


def _free_name(target: Path, taken: set[str]) -> Path:
    """The target, or `name (2).ext`, `name (3).ext` ... when an earlier entry has its name
    (names compared without case, as Windows and macOS folders do)."""
    n, candidate = 1, target
    while candidate.as_posix().casefold() in taken:
        n += 1
        candidate = target.with_name(f"{target.stem} ({n}){target.suffix}")
    taken.add(candidate.as_posix().casefold())
    return candidate


def _open(archive: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        # NotImplementedError: a directory naming a zip version or feature Python cannot read
        raise BundleError(f"not a readable bundle: {archive.name} is not a zip archive or its "
                          f"directory is damaged ({exc}); give a folder or a .zip") from exc


def _entry_reason(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> str | None:
    """Why an entry is refused before unpacking, from the central directory alone."""
    if info.flag_bits & ENCRYPTED_FLAG:
        return "encrypted zip entry: a password is needed"
    return unsafe_name(info) or bomb_reason(info, limits)


def unpack(archive: Path, root: Path, limits: Limits) -> list[Document]:
    """Extract the safe entries of a zip under root; return the refused ones as Documents."""
    refused: list[Document] = []
    total = 0
    taken: set[str] = set()
    with _open(archive) as zf:
        files = [info for info in zf.infolist() if not info.is_dir()]
        if len(files) > limits.max_files:
            raise BundleError(f"bundle {archive.name} holds {len(files)} files (limit "
                              f"{limits.max_files}); split it into bundles per facility and month, "
                              "or raise the limit with --threshold bundle_files=N")
        for info in files:
            name = entry_name(info)
            reason = _entry_reason(zf, info, limits)
            if reason is None and total + info.file_size > limits.max_total_uncompressed:
                reason = f"bundle too large uncompressed (limit {limits.max_total_uncompressed})"
            if reason is None:
                target = root / PurePosixPath(name.replace("\\", "/"))
                if not target.resolve().is_relative_to(root.resolve()):
                    reason = "unsafe zip entry: escapes the bundle folder"
                else:
                    target = _free_name(target, taken)
                    reason = _copy_limited(zf, info, target, min(limits.max_file_bytes,
                                                                 info.file_size))
            if reason:
                refused.append(_refused(name, reason, info.file_size))
            else:
                total += info.file_size
    return refused
