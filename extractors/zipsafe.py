"""Unpack a .zip bundle into a temp folder, refusing what could escape it or exhaust the disk.

Refused entries (path traversal, absolute names, symlinks, size bombs) become unreadable
Documents with the reason; nothing is ever written outside the target folder.
"""

from __future__ import annotations

import hashlib
import stat
import zipfile
from pathlib import Path, PurePosixPath

from extractors.limits import Limits
from verify.model.records import Document, DocumentStatus


def _refused(name: str, reason: str, size: int = 0) -> Document:
    return Document(file=name, sha256=hashlib.sha256(name.encode()).hexdigest(), size=size,
                    status=DocumentStatus.UNREADABLE, error=reason)


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


def _copy_limited(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, cap: int) -> bool:
    """Copy an entry, stopping past `cap` bytes (a header can lie about the size)."""
    written = 0
    target.parent.mkdir(parents=True, exist_ok=True)
    with zf.open(info) as src, target.open("wb") as dst:
        while block := src.read(1 << 20):
            written += len(block)
            if written > cap:
                break
            dst.write(block)
    if written > cap:
        target.unlink()
        return False
    return True


def unpack(archive: Path, root: Path, limits: Limits) -> list[Document]:
    """Extract the safe entries of a zip under root; return the refused ones as Documents."""
    refused: list[Document] = []
    total = 0
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ValueError(f"not a readable bundle: {archive.name}: {exc}") from exc
    with zf:
        for info in zf.infolist():
            if info.is_dir():
                continue
            reason = unsafe_name(info) or bomb_reason(info, limits)
            if reason is None and total + info.file_size > limits.max_total_uncompressed:
                reason = f"bundle too large uncompressed (limit {limits.max_total_uncompressed})"
            if reason is None:
                target = root / PurePosixPath(info.filename.replace("\\", "/"))
                if not target.resolve().is_relative_to(root.resolve()):
                    reason = "unsafe zip entry: escapes the bundle folder"
                elif not _copy_limited(zf, info, target, min(limits.max_file_bytes, info.file_size)):
                    reason = "zip entry larger than its header states"
            if reason:
                refused.append(_refused(info.filename, reason, info.file_size))
            else:
                total += info.file_size
    return refused
