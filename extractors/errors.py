"""Why a file could not be read: the reasons a Document marked unreadable carries."""

from __future__ import annotations


class Unreadable(Exception):
    """A file that cannot be read at all; the message is the reason shown to the verifier."""


EMPTY = "empty file (0 bytes)"
ENCRYPTED = "encrypted PDF: a password is needed"
IMAGE_ONLY = "image-only page, no text layer"
TOO_LARGE = "too large"
TIMED_OUT = "timed out"
CRASHED = "worker crashed"
