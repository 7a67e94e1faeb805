"""Reuse of extractions between runs: a file whose content and readers are unchanged is not
read again.

An extraction is kept under the file's SHA-256, a digest of the code and data that read it
(`extractor_version`) and a digest of the supplier templates: never the file's name or folder,
so a renamed file is reused and stamped with its new name (`relabelled`). Only a read that
succeeded is kept: a time-out, crash or size limit is reported in the run and read again next
time. An entry that cannot be parsed (a torn write, a disk error, an older record model) is
ignored and the file read again; entries are written whole (a temporary file, then one rename).

The folder is $CARBON_VERIFY_CACHE, else $XDG_CACHE_HOME/carbon-verify/extractions, else
~/.cache/carbon-verify/extractions. The local engine and the Prefect engine key entries alike.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import verify.model
from extractors.caps import Caps, active
from extractors.extraction import Extraction
from extractors.templates import digest
from verify.model.records import Document, DocumentStatus

ENV_VAR = "CARBON_VERIFY_CACHE"
READER_SUFFIXES = (".py", ".toml", ".csv", ".yml", ".yaml", ".json")


def code_digest(roots: Iterable[Path], suffixes: tuple[str, ...] = READER_SUFFIXES) -> str:
    """A digest of every source and data file under `roots` (names and bytes, in order)."""
    h = hashlib.sha256()
    for root in roots:
        for path in sorted(p for p in Path(root).rglob("*")
                           if p.is_file() and p.suffix in suffixes and "__pycache__" not in p.parts):
            h.update(str(path.relative_to(root)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """A digest of the code and data that turn a file into records: a changed reader, vocabulary
    or record model invalidates every cached extraction, an unchanged one reuses them."""
    model = Path(verify.model.__file__).parent
    return code_digest([Path(__file__).parent, model, model.parent / "data"])


def templates_digest(templates: tuple[Path, ...]) -> str:
    """The user's supplier templates ("none" without any): a changed one re-reads documents."""
    return digest(templates) if templates else "none"


def extraction_key(sha256: str, templates: tuple[Path, ...] = (),
                   readers: str | None = None, caps: Caps | None = None) -> str:
    """File content, readers, templates and the caps read under: never the file's name or
    folder."""
    return (f"extract-{readers or extractor_version()}-{templates_digest(templates)}-"
            f"{(caps or active()).key()}-{sha256}")


def cache_dir(folder: Path | None = None) -> Path:
    """Where extractions are kept: the given folder, $CARBON_VERIFY_CACHE, else the user's
    cache folder."""
    if folder is not None:
        return Path(folder)
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "carbon-verify" / "extractions"


def cacheable(extraction: Extraction) -> bool:
    """Only a file that was read is kept: an unreadable one (time-out, crash, limit, or a
    damaged file) is read again next time."""
    return extraction.document.status != DocumentStatus.UNREADABLE


def relabelled(extraction: Extraction, document: Document) -> Extraction:
    """A kept extraction for the file as it is named now (same content, maybe a new name)."""
    old = extraction.document.file
    if old == document.file:
        return extraction

    def walk(node):
        if isinstance(node, dict):
            node = {k: walk(v) for k, v in node.items()}
            if node.get("file") == old and node.get("sha256") == document.sha256:
                node["file"] = document.file
            return node
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return type(extraction).model_validate(walk(extraction.model_dump(mode="json")))


class ExtractionCache:
    """A folder of extractions, one JSON file per key."""

    def __init__(self, folder: Path | None = None, templates: tuple[Path, ...] = (),
                 readers: str | None = None, caps: Caps | None = None) -> None:
        self.folder = cache_dir(folder)
        self.templates = templates
        self.caps = caps
        self._readers = readers or extractor_version()  # another digest: other readers' entries

    def _path(self, document: Document) -> Path:
        key = extraction_key(document.sha256, self.templates, self._readers, self.caps)
        return self.folder / document.sha256[:2] / f"{key}.json"

    def get(self, document: Document) -> Extraction | None:
        """The kept extraction of this file's content, named as the file is now; None when
        there is none or it cannot be read back."""
        if document.status == DocumentStatus.UNREADABLE:  # refused before reading (a limit)
            return None
        try:
            text = self._path(document).read_text("utf-8")
            kept = Extraction.model_validate_json(text)
        except (OSError, ValueError, UnicodeDecodeError):
            return None
        if kept.document.sha256 != document.sha256 or not cacheable(kept):
            return None
        return relabelled(kept, document)

    def put(self, extraction: Extraction) -> bool:
        """Keep a successful read (written whole); False when it is not kept."""
        if not cacheable(extraction):
            return False
        path = self._path(extraction.document)
        tmp = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(extraction.model_dump_json())
            os.replace(tmp, path)
        except OSError:  # a full or read-only disk: the run goes on, the file is read next time
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
            return False
        return True
