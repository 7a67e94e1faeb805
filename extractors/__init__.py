"""Evidence files -> typed records: discovery, classification, readers, isolation.

Extractors know files and return records with provenance; they never compute emissions.
"""

from __future__ import annotations

from extractors.extraction import Extraction
from extractors.read import cli_json, extract_file

__all__ = ["Extraction", "cli_json", "extract_file"]
