"""Monthly production ledgers: one row a product or material, a column for this month's figure.

A ledger prints title rows over its header (the plant, '2025年6月 生产统计月报'), then rows of
产品 / 单位 / 本月产量 / 累计产量. The month's figure is taken from the column that names the
month, never the cumulative one; a cumulative figure below the month's is a note. The header
words live in data/ledger.toml.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from extractors.provenance import Origin
from extractors.sheets.grid import Cell, Sheet
from extractors.sheets.header import find_header, is_total_label, merged_down, title_period, unit_in
from extractors.values.numbers import parse_number
from verify.model.records import Provenance
from verify.model.vocabulary import normalise_label, stream_for

ROLES = ("item", "unit", "month", "cumulative", "day")


@lru_cache(maxsize=1)
def spec() -> dict:
    """data/ledger.toml: header words by column role, and the units read as tonnes."""
    text = resources.files("extractors").joinpath("data", "ledger.toml").read_text("utf-8")
    return tomllib.loads(text)


def role_of(text: str) -> str | None:
    """The column role a header names: the month's figure before cumulative ('本月累计' is
    month-to-date), exact words first, then a month or cumulative word inside the header."""
    k = normalise_label(text)
    if not k:
        return None
    words = {role: [normalise_label(w) for w in spec()["columns"][role]] for role in ROLES}
    for role in ROLES:
        if k in words[role]:
            return role
    for role in ("month", "cumulative", "day"):
        if any(len(w) >= 2 and w in k and (len(w) >= 4 or not w.isascii()) for w in words[role]):
            return role
    return None


def roles(texts: list[str]) -> dict[str, int]:
    """Role -> the first column of that role."""
    found: dict[str, int] = {}
    for i, t in enumerate(texts):
        role = role_of(t) if t else None
        if role and role not in found:
            found[role] = i
    return found


def _score(texts: list[str]) -> int:
    found = roles(texts)
    return 2 if "item" in found and "month" in found else 0


def tonnes(unit: str) -> str:
    """A printed unit, 't' for any way of writing tonnes."""
    k = unit.strip().lower()
    return "t" if k in spec()["units"]["tonnes"] else unit.strip()


@dataclass(frozen=True)
class LedgerRow:
    """One row of the ledger: the stream it names and this month's figure, with its cell."""

    stream: str
    label: str
    unit: str
    quantity: float
    period: str
    source: Provenance
    label_source: Provenance


def _num(cell: Cell | None) -> float | None:
    if cell is None:
        return None
    return float(cell.value) if isinstance(cell.value, int | float) else parse_number(cell.text)


def _cell(row: list[Cell], col: int | None) -> Cell | None:
    return row[col] if col is not None and col < len(row) else None


def header_seen(sheet: Sheet) -> tuple[int, dict[str, int], list[str]] | None:
    """(header row, roles, header texts) of a ledger sheet, or None."""
    h = find_header(sheet, _score, 2)
    if h is None:
        return None
    texts = merged_down(sheet, h)
    if _score(texts) < 2:
        texts = [c.text for c in sheet.rows[h]]
    return h, roles(texts), texts


def ledger_rows(sheet: Sheet, origin: Origin, kinds: tuple[str, ...],
                notes: list[str]) -> list[LedgerRow]:
    """The month's figure of every row naming a stream of the given kinds."""
    seen = header_seen(sheet)
    if seen is None:
        return []
    h, cols, texts = seen
    found = title_period(sheet, h)
    if found is None:
        notes.append(f"{sheet.name}: ledger header in row {h + 1} ({' / '.join(t for t in texts if t)}), "
                     "but no month printed above it")
        return []
    period = found[0]
    item, month = cols["item"], cols["month"]
    out = []
    for r in range(h + 1, len(sheet.rows)):
        row = sheet.rows[r]
        name = _cell(row, item)
        if name is None or not name.text or is_total_label(name.text):
            continue
        stream = stream_for(name.text, kinds)
        value_cell = _cell(row, month)
        value = _num(value_cell)
        if stream is None:
            if value is not None:
                notes.append(f"{sheet.name}!{name.ref}: {name.text!r} names no known product or "
                             "material (row skipped)")
            continue
        if value is None or value_cell is None:
            notes.append(f"{sheet.name}!{name.ref}: {name.text!r} has no figure under "
                         f"{texts[month]!r}")
            continue
        unit_cell = _cell(row, cols.get("unit"))
        unit = tonnes(unit_cell.text if unit_cell is not None and unit_cell.text else
                      unit_in(texts[month]) or unit_in(name.text) or "t")
        cumulative = _num(_cell(row, cols.get("cumulative")))
        if cumulative is not None and cumulative < value - max(0.01, 1e-6 * abs(value)):
            notes.append(f"{sheet.name}!{value_cell.ref}: the month's {value:g} exceeds the "
                         f"cumulative {cumulative:g} printed beside it")
        out.append(LedgerRow(stream, name.text, unit, value, period,
                             origin.at_cell(sheet.name, value_cell.ref, value_cell.text),
                             origin.at_cell(sheet.name, name.ref, name.text)))
    return out
