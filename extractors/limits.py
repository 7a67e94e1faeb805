"""Limits that keep a hostile or broken bundle from exhausting the machine."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Size limits for discovery; each error names the limit that was exceeded."""

    max_file_bytes: int = 200 * 1024 * 1024
    max_total_uncompressed: int = 2 * 1024 * 1024 * 1024
    max_compression_ratio: float = 200.0
    max_files: int = 10_000

    def __post_init__(self) -> None:
        for name in ("max_file_bytes", "max_total_uncompressed", "max_files"):
            if getattr(self, name) <= 0:
                raise ValueError(f"Limits.{name} must be positive, got {getattr(self, name)}")
        if self.max_compression_ratio <= 1:
            raise ValueError("Limits.max_compression_ratio must be above 1")
