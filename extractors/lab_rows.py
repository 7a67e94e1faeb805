"""Result rows of a lab report: parameter, basis, value, unit and method, read from one line.

The parameter comes from the vocabulary (name or symbol), the basis from the symbol's suffix
(Qnet,ar -> ar; Cad -> ad) or the Chinese name (收到基, 空干基, 干燥基, 干燥无灰基).
"""

from __future__ import annotations

import re
from functools import lru_cache

from extractors.pdf.lines import Line
from extractors.pdf.words import Word, cut, merge
from extractors.values.numbers import parse_number
from verify.model.records import Basis
from verify.model.vocabulary import normalise_label, vocabulary

_METHOD = re.compile(r"^(GB/T|GB|ASTM|ISO|DL/T|MT/T|YB/T|SN/T|EN|BS)\b", re.IGNORECASE)
_METHOD_TEXT = re.compile(r"((?:GB/T|GB|ASTM|ISO|DL/T|MT/T|YB/T|SN/T|EN|BS)\s*[A-Z]?\s*[\d.]+"
                          r"(?:[-—–]\d{2,4})?)", re.IGNORECASE)
_UNIT = re.compile(r"^[(（]?(mol\s*%|vol\s*%|%|MJ/kg|kJ/kg|kcal/kg|cal/g|J/g|MJ/N?m3|MJ/N?m³|"
                   r"kJ/N?m3|kJ/N?m³|GJ/t|kcal/N?m3)(?![A-Za-z0-9])", re.IGNORECASE)
_SYMBOL = re.compile(r"^(Qnet|Qgr|Q|M|A|V|FC|St|S|H|C|N|O)[,.]?(ar|ad|daf|d)$")
_CN_BASIS = (("干燥无灰基", Basis.DRY_ASH_FREE), ("收到基", Basis.AS_RECEIVED),
             ("空气干燥基", Basis.AIR_DRIED), ("空干基", Basis.AIR_DRIED),
             ("干燥基", Basis.DRY), ("干基", Basis.DRY))


@lru_cache(maxsize=1)
def parameter_labels() -> list[tuple[str, str]]:
    """(normalised label, parameter) for coal and gas parameters, longest label first."""
    pairs = [(normalise_label(lbl), p) for section in ("lab_parameter", "lab_gas")
             for p, lbls in vocabulary().get(section, {}).items() for lbl in lbls]
    return sorted(set(pairs), key=lambda x: -len(x[0]))


def parameter_of(words: list[Word]) -> str | None:
    """The parameter a row names: the longest label equal to a run of words, else the longest
    label contained in the row's text ('Carbon dioxide' is co2, not carbon)."""
    labels = dict(parameter_labels())
    runs = {normalise_label(merge(words[i:i + n]).text)
            for n in (1, 2, 3) for i in range(len(words) - n + 1)}
    exact = sorted((k for k in runs if k in labels), key=len, reverse=True)
    if exact:
        return labels[exact[0]]
    labels = parameter_labels()
    text = normalise_label("".join(w.text for w in words))
    for lbl, p in labels:
        if (len(lbl) >= 3 or not lbl.isascii()) and lbl in text:
            return p
    return None


def basis_of(words: list[Word], parameter: str) -> Basis | None:
    """The basis from a symbol's suffix or the Chinese name; total moisture is as received."""
    for w in words:
        m = _SYMBOL.match(re.sub(r"\s", "", w.text))
        if m:
            return Basis(m.group(2))
    text = "".join(w.text for w in words)
    for word, basis in _CN_BASIS:
        if word in text:
            return basis
    return Basis.AS_RECEIVED if parameter == "moisture_total" else None


_FAMILY_NUMBER = re.compile(r"^(GB/T|GB|DL/T|MT/T|YB/T|SN/T|ISO|EN|BS)\s*(?=\d)", re.IGNORECASE)


def designation(text: str) -> str:
    """A standard's designation as written: one space after the family ('GB/T213-2008', as a
    scan may read it, is GB/T 213-2008)."""
    return _FAMILY_NUMBER.sub(lambda m: m.group(1) + " ", " ".join(text.split()))


def _split_method(line: Line) -> tuple[list[Word], str | None]:
    """The words before the method standard, and the method text (GB/T 213-2008), if any."""
    for i, w in enumerate(line.words):
        if _METHOD.match(w.text):
            rest = merge(list(line.words[i:])).text
            m = _METHOD_TEXT.search(rest)
            return list(line.words[:i]), designation(m.group(1) if m else rest)
    m = _METHOD_TEXT.search(line.text)
    return list(line.words), (designation(m.group(1)) if m else None)


_GROUP = re.compile(r"^\d{3}(?:[.,]\d+)?$")


def join_digit_groups(words: list[Word]) -> list[Word]:
    """'36 658' printed as two words (a space as thousands separator) made one number."""
    out: list[Word] = []
    for w in words:
        prev = out[-1] if out else None
        if prev is not None and re.fullmatch(r"\d{1,3}(?: \d{3})*", prev.text) and \
                _GROUP.match(w.text) and w.x0 - prev.x1 < 0.6 * w.height:
            out[-1] = merge([prev, w])
        else:
            out.append(w)
    return out


def read_row(line: Line) -> dict | None:
    """{parameter, basis, value, unit, method, words} for a result line, or None."""
    words, method = _split_method(line)
    words = join_digit_groups(unglue(words))
    numbers = [w for w in words if parse_number(w.text) is not None]
    names = [w for w in words if parse_number(w.text) is None and not _UNIT.match(w.text)
             and not _METHOD_TEXT.search(w.text)]
    parameter = parameter_of(names) if numbers and names else None
    if parameter is None:
        return None
    value = numbers[0]
    unit = next((_UNIT.match(w.text).group(1) for w in words if _UNIT.match(w.text)), None)
    if unit is None and value.text.strip().endswith("%"):
        unit = "%"
    return {"parameter": parameter, "basis": basis_of(names, parameter), "word": value,
            "value": parse_number(value.text.strip().rstrip("%")),
            "unit": unit, "method": method, "name": merge(names)}



def header_unit_of(line: Line) -> str | None:
    """A unit printed in brackets in a results header ('摩尔分数 (mol%)'), applied to the rows
    below that print none."""
    if any(parse_number(w.text) is not None for w in line.words):
        return None
    for w in line.words:  # '(mol%)' alone, or glued to its header word as a scan reads it
        for inner in _BRACKETED.findall(w.text):
            if m := _UNIT.match(inner.strip()):
                return m.group(1)
    return None


_BRACKETED = re.compile(r"[(（\[]([^()（）\[\]]+)[)）\]]")
_GLUED = re.compile(r"^(-?\d[\d.,]*)(?=\s*\D)")


def unglue(words: list[Word]) -> list[Word]:
    """'26.30MJ/kg' cut into the figure and its unit (print without a space, or OCR dropping it)."""
    out: list[Word] = []
    for w in words:
        m = _GLUED.match(w.text)
        if m and parse_number(m.group(1)) is not None and _UNIT.match(w.text[m.end():].lstrip()):
            out.extend(cut(w, m.end()))
        else:
            out.append(w)
    return out
