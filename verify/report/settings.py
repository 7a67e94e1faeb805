"""The report's data files: UI strings per language and layout settings, read once.

Strings and number formats live beside the templates (report_templates/strings.toml and
report.toml) so that wording and layout change without touching code.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path

DEFAULT_LANG = "en"


def templates_dir() -> Path:
    """The report_templates directory on disk (templates, CSS, fonts, data files)."""
    return Path(str(resources.files("report_templates")))


def _load(name: str) -> dict:
    return tomllib.loads((templates_dir() / name).read_text("utf-8"))


def _merge(base: dict, over: dict) -> dict:
    """`over` on top of `base`, nested tables merged key by key."""
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            merged[key] = _merge(base[key], value)
        else:
            merged[key] = value
    return merged


@lru_cache(maxsize=8)
def strings(lang: str = DEFAULT_LANG) -> dict:
    """UI strings for `lang`, falling back to English key by key."""
    table = _load("strings.toml")
    if lang not in table:
        raise ValueError(f"no report strings for language {lang!r}; known: {sorted(table)}")
    return _merge(table[DEFAULT_LANG], table[lang])


@lru_cache(maxsize=1)
def layout() -> dict:
    """Section order, decimal places and display settings (report.toml)."""
    return _load("report.toml")


def languages() -> list[str]:
    """Languages the report can be written in."""
    return sorted(_load("strings.toml"))


@lru_cache(maxsize=1)
def methods() -> dict:
    """Each method's title and legal source per language (methods.toml)."""
    return _load("methods.toml")


@lru_cache(maxsize=4)
def stream_names(lang: str = DEFAULT_LANG) -> dict[str, str]:
    """Stream names in `lang` by canonical id (stream_names.toml), English for the rest."""
    table = _load("stream_names.toml")
    return {**table[DEFAULT_LANG], **table.get(lang, {})}


@lru_cache(maxsize=4)
def rule_names(lang: str = DEFAULT_LANG) -> dict[str, str]:
    """Rule names in `lang` by rule id (rule_names.toml), English for the rest."""
    table = _load("rule_names.toml")
    return {**table[DEFAULT_LANG], **table.get(lang, {})}
