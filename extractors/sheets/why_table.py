"""Why a spreadsheet is no evidence: what its first header-like row says.

A workbook whose sheets name no fuel, material, product, stock movement, meter or lab
parameter is refused with the words the verifier can check: each sheet's first row of text.
"""

from __future__ import annotations

from extractors.sheets.grid import Sheet

SHOWN = 6  # header cells shown per sheet
NOT_COLUMNS = ("title",)  # signature groups that name a document, not a column


def first_text_row(sheet: Sheet) -> tuple[int, list[str]] | None:
    """(row number, texts) of the first row with two or more text cells, or of any text."""
    fallback = None
    for r, row in enumerate(sheet.rows[:40], start=1):
        texts = [c.text for c in row if isinstance(c.value, str) and c.text]
        if len(texts) >= 2:
            return r, texts
        if texts and fallback is None:
            fallback = (r, texts)
    return fallback


def no_evidence(sheets: list[Sheet]) -> str:
    """'a table that names no ... (sheet 'S' row 3: a / b / c)'."""
    seen = []
    for sheet in sheets:
        found = first_text_row(sheet)
        if found is not None:
            r, texts = found
            seen.append(f"sheet {sheet.name!r} row {r}: {' / '.join(texts[:SHOWN])}")
    what = "; ".join(seen) if seen else "no text in any sheet"
    return ("a table that names no fuel, material, product, stock movement, meter or lab "
            f"parameter, so no plant evidence ({what})")


def _header_like(sheet: Sheet) -> tuple[int, list[str]] | None:
    """The row of most text cells among the first rows (a header under title rows)."""
    best = None
    for r, row in enumerate(sheet.rows[:40], start=1):
        texts = [c.text for c in row if isinstance(c.value, str) and c.text]
        if texts and (best is None or len(texts) > len(best[1])):
            best = (r, texts)
    return best


def _columns_of(kind: str) -> dict[str, list[str]]:
    """A kind's column word groups as data/classify.toml writes them (its title is no column)."""
    import tomllib
    from importlib import resources

    text = resources.files("extractors").joinpath("data", "classify.toml").read_text("utf-8")
    spec = tomllib.loads(text)[kind]
    groups = {n: g["words"] for n, g in spec["groups"].items()} if "groups" in spec else spec
    return {name: words for name, words in groups.items() if name not in NOT_COLUMNS}


def why_empty(sheets: list[Sheet], kind: str) -> str:
    """Why a sheet of a known kind gave no record: per sheet, the header row seen and which of
    the kind's columns (its signature's word groups, data/classify.toml) it does not name."""
    from extractors.labels import key

    groups = _columns_of(kind)
    said = []
    for sheet in sheets:
        found = _header_like(sheet)
        if found is None:
            said.append(f"sheet {sheet.name!r}: no text")
            continue
        r, texts = found
        folded = key(" ".join(texts))
        missing = [f"{name} ({' / '.join(words[:3])} ...)" for name, words in groups.items()
                   if not any(key(w) in folded for w in words)]
        head = f"sheet {sheet.name!r} row {r}: {' / '.join(texts[:SHOWN])}"
        said.append(head + (f": no column of {'; '.join(missing)}" if missing else
                            ": every column named, but no row under it read"))
    return f"no {kind.replace('_', ' ')} read: " + "; ".join(said)
