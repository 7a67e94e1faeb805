"""Party tax identifiers: whether a printed token is one, and which.

A token beside a 纳税人识别号 or VAT-number label is taken only when it has an identifier's shape;
a unified social credit code must also pass its check character (GB 32100-2015), which lets the
code itself choose between candidates (a bank account or a phone number has no check).
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources

_SEPARATORS = re.compile(r"[\s.\-]")


@cache
def _data() -> dict:
    return tomllib.loads(resources.files("extractors").joinpath("data", "tax_ids.toml")
                         .read_text("utf-8"))


def uscc_valid(code: str) -> bool:
    """Whether an 18-character unified social credit code carries its right check character."""
    spec = _data()["uscc"]
    alphabet, weights = spec["alphabet"], spec["weights"]
    if len(code) != 18 or any(ch not in alphabet for ch in code):
        return False
    total = sum(alphabet.index(ch) * w for ch, w in zip(code[:17], weights, strict=True))
    return alphabet[(31 - total % 31) % 31] == code[17]


@cache
def _patterns() -> list[re.Pattern]:
    data = _data()
    vat = [re.compile(f"^{country}(?:{body})$") for country, body in data["vat"].items()]
    national = [re.compile(f"^(?:{body})$") for body in data["national"].values()]
    return vat + national


def kind_of(token: str) -> str | None:
    """'uscc', 'legacy_cn' or 'vat' for a token of an identifier's shape, else None."""
    text = _SEPARATORS.sub("", token.strip().strip(":：;,，")).upper()
    if uscc_valid(text):
        return "uscc"
    if not any(ch.isdigit() for ch in text):
        return None
    if re.fullmatch(_data()["legacy_cn"]["pattern"], text) and sum(ch.isdigit() for ch in text) >= 12:
        return "legacy_cn"
    if any(p.fullmatch(text) for p in _patterns()):
        return "vat"
    return None


def tax_id(text: str) -> str | None:
    """The identifier a printed value holds (its first token of an identifier's shape), in
    the form printed without blanks or separators; None when there is none."""
    for token in text.replace("：", " ").replace(":", " ").split():
        if kind_of(token) is not None:
            return _SEPARATORS.sub("", token.strip(":：;,，")).upper()
    compact = _SEPARATORS.sub("", text.strip())  # 'DE 123 456 789', '123-456-78-90'
    return compact.upper() if compact and kind_of(compact) is not None else None
