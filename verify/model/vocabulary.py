"""Canonical streams and the labels documents use, read from the data files.

A plant writes "焦炭", "Coke" or "Metallurgical coke"; the rules speak of `coke`. This module maps
printed labels to canonical ids and concepts, from `data/streams.toml` and `data/vocabulary.toml`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class Stream:
    """A canonical stream: its id, kind (fuel | process | product), activity unit and labels."""

    id: str
    kind: str
    unit: str
    labels: tuple[str, ...]


def _load_toml(name: str) -> dict:
    return tomllib.loads(resources.files("verify").joinpath("data", name).read_text("utf-8"))


def fold_confusables(lowered: str) -> str:
    """Lower-case text with 'l' and '|' read as 'i': one shape in print, confused by OCR."""
    return lowered.replace("l", "i").replace("|", "i")


def normalise_label(text: str) -> str:
    """Lower case, no spaces, no colons and no bracketed units: how labels are compared."""
    text = re.sub(r"[（(][^）)]*[)）]", "", text)
    return fold_confusables(re.sub(r"[\s:：_\-·.,，]", "", text).lower())


@lru_cache(maxsize=1)
def streams() -> dict[str, Stream]:
    """Every canonical stream, by id."""
    return {
        sid: Stream(sid, spec["kind"], spec["unit"], tuple(spec["labels"]))
        for sid, spec in _load_toml("streams.toml").items()
    }


@lru_cache(maxsize=1)
def _stream_labels() -> list[tuple[str, str]]:
    pairs = [(normalise_label(lbl), s.id) for s in streams().values() for lbl in s.labels]
    return sorted(pairs, key=lambda p: -len(p[0]))


def stream_for(label: str, kinds: tuple[str, ...] = ("fuel", "process", "product")) -> str | None:
    """The canonical stream a printed label names, exact match first, then containment."""
    key = normalise_label(label)
    if not key:
        return None
    candidates = [(lbl, sid) for lbl, sid in _stream_labels() if streams()[sid].kind in kinds]
    for lbl, sid in candidates:
        if key == lbl:
            return sid
    for lbl, sid in candidates:
        if len(lbl) >= 2 and lbl in key and (len(lbl) >= 3 or not lbl.isascii()):
            return sid
    return None


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, dict[str, tuple[str, ...]]]:
    """Concept labels by section and concept: vocabulary()["invoice"]["number"]."""
    return {
        section: {concept: tuple(labels) for concept, labels in concepts.items()}
        for section, concepts in _load_toml("vocabulary.toml").items()
    }


def labels(section: str, concept: str) -> tuple[str, ...]:
    """The labels of one concept, e.g. labels("invoice", "number")."""
    return vocabulary()[section][concept]
