"""Every way a run, a file or a setting can fail, in one place.

`Reason` names why a file could not be read; the text is what the verifier reads in the
DOC-UNREADABLE finding, so the reasons are worded for a person, and `Unreadable` joins a reason
with the file's own detail ("too large: 812 pages (limit 500)"). The exceptions below are raised
for faults of configuration or input that a user fixes (a run that cannot be done exits 2); a
file that cannot be read is never an exception past the extractors: it becomes an unreadable
Document.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path


class Reason(StrEnum):
    """Why a file could not be read (the leading words of a Document's error)."""

    EMPTY = "empty file (0 bytes)"
    ENCRYPTED = "encrypted PDF: a password is needed"
    IMAGE_ONLY = "image-only page, no text layer"
    TOO_LARGE = "too large"
    TIMED_OUT = "timed out"
    CRASHED = "worker crashed"
    MEMORY = "memory limit reached"
    CORRUPT_PDF = "truncated or corrupt PDF"
    CORRUPT_SPREADSHEET = "corrupt spreadsheet"
    CORRUPT_IMAGE = "truncated or corrupt image"
    CORRUPT_OFD = "truncated or corrupt OFD package"
    INCOMPLETE_OFD = "incomplete OFD package"
    UNSAFE_ENTRY = "unsafe package entry"
    NO_TEXT = "no text on any page"
    HOSTILE_XML = "hostile XML refused"
    MALFORMED_XML = "malformed XML"


def reason_text(reason: Reason, detail: str = "") -> str:
    """The reason as the verifier reads it, with the file's own detail after a colon."""
    return f"{reason}: {detail}" if detail else str(reason)


class Unreadable(Exception):
    """A file that cannot be read at all; the message is the reason shown to the verifier."""

    def __init__(self, reason: Reason, detail: str = ""):
        self.reason = reason
        self.detail = detail
        super().__init__(reason_text(reason, detail))


class ConfigError(ValueError):
    """A threshold or setting the user gave is wrong; the message says which and why."""


class UnknownMethod(ValueError):
    """A method name with no factor table."""


class ClaimError(ValueError):
    """The claim cannot be read; the message names sheet, row and column."""


class TemplateError(ValueError):
    """A template file that cannot be used, with the file and the reason."""

    def __init__(self, file: Path, reason: str):
        super().__init__(f"template {file}: {reason}")
        self.file = file
        self.reason = reason


class RefusedURL(ValueError):
    """A URL the report may not fetch (WeasyPrint logs it and renders without it)."""


class ReaderImportError(ImportError):
    """A document reader (or a library it needs) failed to import: every document of its kind
    would be dropped, so the run stops and says which reader and why."""


class RunError(Exception):
    """The run could not be done (no claim, unreadable bundle, bad settings): exit code 2."""


class BundleError(RunError):
    """The bundle itself cannot be opened (not a zip, a damaged directory, too many files):
    the run cannot be done, exit code 2 with the reason."""
