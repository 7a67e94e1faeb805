"""The thresholds a run applied, named in the report's language for the workpapers.

A run records its thresholds by key (`ad_tolerance_pct`, `lab_range.coke.ncv`); a verifier reads
"Purchases against invoices, tolerance (%)" and "Plausible lab value: Coke, NCV". The names are
data (strings.toml `threshold_names`); a key the strings do not know keeps its own words.
"""

from __future__ import annotations

import re
from collections.abc import Callable


def threshold_label(key: str, t: dict, stream_name: Callable[[str], str]) -> str:
    """A threshold's name; a dotted key adds its route, stream and parameter after a colon."""
    names = t["threshold_names"]
    head, *rest = key.split(".")
    base = names.get(head, head.replace("_", " "))
    if not rest:
        return base
    return base + names["colon"] + names["sep"].join(_part(p, t, stream_name) for p in rest)


def _part(word: str, t: dict, stream_name: Callable[[str], str]) -> str:
    names = t["threshold_names"]
    for table in (names["route"], names["quantity"], t["parameter"]):
        if word in table:
            return table[word]
    return stream_name(word)


def threshold_value(key: str, value: object, t: dict) -> object:
    """A threshold's value as printed: numbers stay numbers; the parameters a lab report must
    give are named ("NCV, Carbon, Total moisture or Air-dried moisture"); "t vs kg" in words."""
    if not isinstance(value, str):
        return value
    names = t["threshold_names"]
    if key.startswith("lab_required."):
        def one(option: str) -> str:
            return names["or"].join(t["parameter"].get(p, p) for p in option.split("|"))
        return names["sep"].join(one(item.strip()) for item in value.split(","))
    return re.sub(r"\s+vs\s+", names["vs"], value)
