"""Why a spreadsheet is no evidence: what its first header-like row says.

A workbook whose sheets name no fuel, material, product, stock movement, meter or lab
parameter is refused with the words the verifier can check: each sheet's first row of text.
"""

from __future__ import annotations

from extractors.sheets.grid import Sheet

SHOWN = 6  # header cells shown per sheet


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
