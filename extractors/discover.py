"""Find the evidence files of a bundle (folder or .zip), hash them, and set hostile ones aside.

Names and folders carry no meaning here (classification reads content); only OS junk, hidden
files and `bundle.toml` are set apart.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from extractors.caps import active
from extractors.limits import Limits
from extractors.names import shown_name
from extractors.zipsafe import unpack
from verify.model.errors import BundleError, Reason, reason_text
from verify.model.records import Document, DocumentStatus

BUNDLE_TOML = "bundle.toml"
JUNK = {"__MACOSX", ".DS_Store", "Thumbs.db", "desktop.ini"}


@dataclass
class DiscoveredBundle:
    """The bundle's files as (Document, path on disk), its bundle.toml, and any temp dir."""

    root: Path
    entries: list[tuple[Document, Path]] = field(default_factory=list)
    bundle_toml: Path | None = None
    workdir: tempfile.TemporaryDirectory | None = None

    def cleanup(self) -> None:
        """Remove the folder a .zip bundle was unpacked into."""
        if self.workdir is not None:
            self.workdir.cleanup()
            self.workdir = None


def sha256_of(path: Path, chunk: int = 1 << 20) -> str:
    """The SHA-256 of a file, read in chunks so large files do not fill memory."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def is_junk(relative: Path) -> bool:
    """OS debris and hidden files, which are never evidence."""
    return any(part in JUNK or part.startswith((".", "~$")) for part in relative.parts)


def _document(path: Path, relative: str, limits: Limits) -> Document:
    """A Document for one file on disk; over-size files are unreadable and not hashed whole."""
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        return Document(file=relative, sha256="", size=size, status=DocumentStatus.UNREADABLE,
                        error=reason_text(Reason.TOO_LARGE, f"{size} bytes (limit {limits.max_file_bytes})"))
    return Document(file=relative, sha256=sha256_of(path), size=size)


def walk(root: Path, limits: Limits) -> tuple[list[tuple[Document, Path]], Path | None]:
    """Every evidence file under a folder, in a stable order, and the root bundle.toml."""
    entries, toml = [], None
    for path in sorted(p for p in root.rglob("*") if p.is_file() or p.is_symlink()):
        rel = path.relative_to(root)
        if is_junk(rel):
            continue
        if rel.as_posix() == BUNDLE_TOML:
            toml = path
            continue
        if path.is_symlink():
            entries.append((Document(file=shown_name(rel.as_posix()), sha256="", size=0,
                                     status=DocumentStatus.UNREADABLE,
                                     error="symbolic link, not followed"), path))
            continue
        entries.append((_document(path, shown_name(rel.as_posix()), limits), path))
        if len(entries) > limits.max_files:
            raise BundleError(f"bundle has more than {limits.max_files} files (limit "
                              f"{limits.max_files}); split it into bundles per facility and month, "
                              "or raise the limit with --threshold bundle_files=N")
    return entries, toml


def discover(bundle: Path, limits: Limits | None = None) -> DiscoveredBundle:
    """The files of a bundle folder or .zip, each with its Document (hash, size, status);
    `limits` default to the caps of the run (data/caps.toml, --threshold)."""
    bundle = Path(bundle)
    limits = limits or active().limits()
    if bundle.is_dir():
        entries, toml = walk(bundle, limits)
        return DiscoveredBundle(bundle, entries, toml)
    workdir = tempfile.TemporaryDirectory(prefix="carbon-verify-")
    root = Path(workdir.name)
    rejected = unpack(bundle, root, limits)
    entries, toml = walk(root, limits)
    entries += [(doc, root) for doc in rejected]
    entries.sort(key=lambda e: e[0].file)
    return DiscoveredBundle(root, entries, toml, workdir)
