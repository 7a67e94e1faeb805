"""The caps on what a bundle or a file may make the readers do, from data/caps.toml, raised or
lowered per run (command line: any cap; bundle.toml: the reader caps, up to their ceiling).

A worker reads one file at a time, so the caps of the run it reads for are set for the process
(`use`) when the file is handed over, and every reader asks `active()`.
"""

from __future__ import annotations

import hashlib
import math
import os
import tomllib
from dataclasses import dataclass, fields, replace
from functools import cache
from pathlib import Path

from extractors.limits import Limits
from verify.model.errors import ConfigError

DATA = Path(__file__).parent / "data" / "caps.toml"
MB = 1024 * 1024
MEMORY_ENV = "CARBON_VERIFY_WORKER_MEMORY_MB"


@dataclass(frozen=True)
class Caps:
    pages: int
    sheet_rows: int
    sheet_cols: int
    bundle_files: int
    file_mb: int
    bundle_mb: int
    compression_ratio: float
    worker_memory_mb: int

    def key(self) -> str:
        """A short digest of every cap: part of the key a cached extraction is kept under."""
        text = ",".join(f"{f.name}={getattr(self, f.name)}" for f in fields(self))
        return hashlib.sha256(text.encode()).hexdigest()[:12]

    def limits(self) -> Limits:
        """The discovery limits these caps set."""
        return Limits(max_file_bytes=self.file_mb * MB, max_total_uncompressed=self.bundle_mb * MB,
                      max_compression_ratio=self.compression_ratio, max_files=self.bundle_files)


@cache
def catalogue() -> dict[str, dict]:
    """Every cap's entry of data/caps.toml: value, what it bounds, whether bundle.toml may set
    it and up to which ceiling."""
    return tomllib.loads(DATA.read_text("utf-8"))


def names() -> tuple[str, ...]:
    return tuple(f.name for f in fields(Caps))


def defaults() -> Caps:
    """The shipped caps; the worker memory also from $CARBON_VERIFY_WORKER_MEMORY_MB."""
    data = {name: catalogue()[name]["value"] for name in names()}
    env = os.environ.get(MEMORY_ENV, "").strip()
    if env.isdigit():
        data["worker_memory_mb"] = int(env)
    return Caps(**data)


def _number(name: str, value: object, origin: str) -> float | int:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if ok and name != "compression_ratio":
        ok = float(value).is_integer()
    low = 0 if name == "worker_memory_mb" else 1
    if not ok or value < low:
        raise ConfigError(f"{origin}: {name} = {value!r}: give a whole number of at least {low}"
                          if name != "compression_ratio" else
                          f"{origin}: {name} = {value!r}: give a number of at least 1")
    return value if name == "compression_ratio" else int(value)


def with_overrides(base: Caps, values: dict[str, object], origin: str,
                   from_bundle: bool = False) -> Caps:
    """`base` with `values` set; unknown names, bad numbers and, from a bundle, caps it may not
    set or values above their ceiling are refused naming the key."""
    changes = {}
    for name, value in values.items():
        entry = catalogue().get(name)
        if entry is None:
            raise ConfigError(f"{origin}: unknown cap {name!r}; caps are: {', '.join(names())}")
        number = _number(name, value, origin)
        if from_bundle:
            if not entry.get("bundle"):
                raise ConfigError(f"{origin}: {name} can only be set on the command line "
                                  f"(--threshold {name}=...), not by the bundle itself")
            if number > entry["ceiling"]:
                raise ConfigError(f"{origin}: {name} = {number} is above its ceiling "
                                  f"{entry['ceiling']} for a bundle; set it on the command line")
        changes[name] = number
    return replace(base, **changes)


def how_to_raise(name: str) -> str:
    """The words a finding gives after a cap that left data unread."""
    where = f" or {name} in bundle.toml [caps]" if catalogue()[name].get("bundle") else ""
    return f"the {name} cap: raise it with --threshold {name}=N{where}"


_active: Caps | None = None


def active() -> Caps:
    """The caps of the run this process reads for (the shipped ones unless `use` set others)."""
    return _active or defaults()


def use(caps: Caps | None) -> None:
    """Read with `caps` from now on in this process (None: the shipped ones)."""
    global _active
    _active = caps
