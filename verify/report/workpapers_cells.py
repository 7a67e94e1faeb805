"""Cells of workpapers.xlsx: figures as printed, sheet names Excel accepts, references, styles.

A stored figure holds what the report prints (no 7471.920000000001 behind a number format), a
figure read from a document keeps its own decimals, and text from outside is written as text
(`inert`), so that no cell runs as a formula unless this package wrote that formula.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from verify.report.settings import templates_dir

WIDTH_MIN, WIDTH_MAX, HEADER_WIDTH = 8, 40, 16
# A text starting with one of these is run by a spreadsheet as a formula, in the workbook or
# once exported to CSV (OWASP CSV injection): =, +, -, @, tab, CR, and their full-width forms.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # no XML 1.0 cell may hold these
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


@lru_cache(maxsize=1)
def conventions() -> dict:
    """Formulas and sheet conventions of report_templates/workpapers.toml."""
    return tomllib.loads((templates_dir() / "workpapers.toml").read_text("utf-8"))


def formula(name: str, **refs: str) -> str:
    """A formula of workpapers.toml with its cell references filled in ("=ROUND(B6*...)")."""
    return "=" + conventions()["formulas"][name].format(**refs)


def inert(value: object) -> object:
    """A value as a cell holds it: text from a document (a seller, a goods name, a file name)
    that a spreadsheet would run is kept as text behind a leading apostrophe, and control
    characters a PDF may carry are written as escapes (`\\x1f`); numbers stay numbers."""
    if not isinstance(value, str):
        return value
    value = CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def decimals_of(value: float) -> int:
    """How many decimals a figure really has once float noise is dropped (at most the cap)."""
    cap = conventions()["sheets"]["max_decimals"]
    text = f"{round(value, cap):.{cap}f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def printed(value: float, places: int) -> tuple[float, int]:
    """A figure rounded as printed: `places` decimals, more only where the figure itself has
    them (a meter's 59.4124 stays whole, a sum's 7471.920000000001 becomes 7471.92)."""
    places = max(places, decimals_of(value))
    return round(value, places), places


def number_format(places: int) -> str:
    """Thousands separators and `places` decimals ("#,##0.000")."""
    return "#,##0" + ("." + "0" * places if places else "")


def format_decimals(fmt: str) -> int:
    """Decimals a number format shows ("#,##0.00" -> 2; "General" -> 0)."""
    match = re.search(r"\.([0#]+)", fmt)
    return len(match.group(1)) if match else 0


def sheet_title(name: str, taken: set[str]) -> str:
    """A sheet name Excel accepts: no forbidden character, at most 31 characters, no leading or
    trailing apostrophe, unique (case-insensitive) among `taken`, which it joins."""
    rules = conventions()["sheets"]
    limit = rules["name_max"]
    clean = "".join("_" if ch in rules["forbidden"] else ch for ch in name).strip().strip("'")
    clean = clean[:limit] or "_"
    title, n = clean, 1
    while title.casefold() in {t.casefold() for t in taken}:
        n += 1
        suffix = f" ({n})"
        title = clean[: limit - len(suffix)] + suffix
    taken.add(title)
    return title


def ref(sheet: str, column: int, row: int, absolute: bool = False) -> str:
    """A reference to a cell of another sheet: 'Coke oven gas'!H6 (quotes doubled inside)."""
    letter = get_column_letter(column)
    cell = f"${letter}${row}" if absolute else f"{letter}{row}"
    return "'" + sheet.replace("'", "''") + "'!" + cell


def cell(column: int, row: int) -> str:
    return f"{get_column_letter(column)}{row}"


def input_font() -> Font:
    return Font(color=conventions()["style"]["input_color"])


def put(ws: Worksheet, row: int, column: int, value: object, places: int | None = None,
        is_input: bool = False) -> None:
    """Write one value: a float rounded as printed with its number format, text made inert."""
    target = ws.cell(row=row, column=column)
    if isinstance(value, float) and places is not None:
        value, shown = printed(value, places)
        target.number_format = number_format(shown)
    elif isinstance(value, int) and not isinstance(value, bool) and places is not None:
        target.number_format = number_format(0)
    target.value = inert(value)
    if is_input and isinstance(value, int | float):
        target.font = input_font()


def put_formula(ws: Worksheet, row: int, column: int, text: str, places: int) -> None:
    """Write a formula this package built (never text from a document) with its format."""
    target = ws.cell(row=row, column=column)
    target.value = text
    target.number_format = number_format(places)


def header(ws: Worksheet, row: int, labels: list[str], column: int = 1) -> None:
    for i, label in enumerate(labels):
        target = ws.cell(row=row, column=column + i, value=inert(label))
        target.font = BOLD


def _size(value: object) -> int:
    """Characters a value takes on screen (a CJK character counts two; a formula as a figure)."""
    if isinstance(value, int | float):
        return len(f"{value:,.2f}")
    text = str(value)
    if text.startswith("="):
        return 12
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def fit_columns(ws: Worksheet, skip_rows: int = 0) -> None:
    """Columns as wide as their figures and short texts, within readable bounds; a header (bold)
    or a long text wraps instead of widening its column; the first `skip_rows` rows (titles
    that may run across) do not count."""
    widths: dict[int, int] = {}
    for row in ws.iter_rows(min_row=skip_rows + 1):
        for c in row:
            if c.value is None:
                continue
            size = _size(c.value)
            limit = HEADER_WIDTH if c.font.bold else WIDTH_MAX
            if size > limit:
                c.alignment = WRAP
            widths[c.column] = max(widths.get(c.column, 0), min(size, limit))
    for column, size in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = max(WIDTH_MIN, size + 2)


def printable(ws: Worksheet) -> None:
    """Printed landscape, one page wide, the header rows repeated on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    if ws.freeze_panes:
        ws.print_title_rows = f"1:{ws[ws.freeze_panes].row - 1}"
