"""Evidence excerpts: the region of the source page with the value framed, or the cell with its
neighbours, so a verifier sees what was read instead of coordinates.

The files come from the bundle the run read (a folder or a .zip), and are used only when their
SHA-256 is still the one recorded: an excerpt never shows a file that changed since the run.
A file that cannot be opened or cropped gives an excerpt with a reason, never an error.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath

from verify.model.records import Provenance
from verify.report.settings import layout

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp"}
SHEET_SUFFIXES = {".xlsx", ".xlsm"}
CELL = re.compile(r"^(?:(?P<sheet>.+)!)?\$?(?P<col>[A-Za-z]{1,3})\$?(?P<row>\d+)$")


@dataclass(frozen=True)
class Excerpt:
    """One value as it stands in its document: a framed image, or a small table of cells."""

    where: Provenance
    image: str | None = None  # data: URI of a PNG
    rows: list[list[tuple[str, bool]]] = field(default_factory=list)  # (text, is the value)
    columns: list[str] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    reason: str | None = None  # why no picture could be made (a key into strings.excerpt)

    @property
    def file(self) -> str:
        return self.where.file

    @property
    def name(self) -> str:
        return PurePosixPath(self.where.file).name


class SourceFiles:
    """The bundle's files by relative name: from a folder, a .zip, or an explicit mapping."""

    def __init__(self, bundle: str | Path | None = None,
                 files: Mapping[str, Path] | None = None):
        self.root = Path(bundle) if bundle else None
        self.files = dict(files or {})
        self._zip: zipfile.ZipFile | None = None
        self._cache: dict[str, bytes | None] = {}

    def _from_zip(self, name: str) -> bytes | None:
        if self._zip is None:
            self._zip = zipfile.ZipFile(self.root)  # type: ignore[arg-type]
        try:
            return self._zip.read(name)
        except KeyError:
            return None

    def _read(self, name: str) -> bytes | None:
        if name in self.files:
            return Path(self.files[name]).read_bytes()
        if self.root is None:
            return None
        if self.root.is_dir():
            path = (self.root / name).resolve()
            inside = path.is_relative_to(self.root.resolve())
            return path.read_bytes() if inside and path.is_file() else None
        if zipfile.is_zipfile(self.root):
            return self._from_zip(name)
        return None

    def data(self, p: Provenance) -> bytes | None:
        """The file's bytes when they still hash to the recorded SHA-256, else None."""
        if p.file not in self._cache:
            try:
                data = self._read(p.file)
            except (OSError, zipfile.BadZipFile, ValueError):
                data = None
            ok = data is not None and hashlib.sha256(data).hexdigest() == p.sha256
            self._cache[p.file] = data if ok else None
        return self._cache[p.file]

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


def _settings() -> dict:
    return layout()["excerpts"]


def _png_uri(image) -> str:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _frame(image, box: tuple[float, float, float, float]):
    """The image with the value's box drawn round it."""
    from PIL import ImageDraw

    image = image.convert("RGB")
    s = _settings()
    pad = s["frame_pad_px"]
    x0, y0, x1, y1 = box
    ImageDraw.Draw(image).rectangle((x0 - pad, y0 - pad, x1 + pad, y1 + pad),
                                    outline=tuple(s["frame_rgb"]), width=s["frame_px"])
    return image


def _window(bbox, width: float, height: float) -> tuple[float, float, float, float]:
    """The region shown around a value: its line with the label before it, in page units."""
    s = _settings()
    x0, top, x1, bottom = bbox
    left = max(0.0, x0 - s["context_left"])
    right = min(width, x1 + s["context_right"])
    up = max(0.0, top - s["context_vertical"])
    down = min(height, bottom + s["context_vertical"])
    return left, up, right, down


def _pdf_excerpt(data: bytes, p: Provenance) -> Excerpt:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        if p.page is None or not 1 <= p.page <= len(pdf):
            return Excerpt(p, reason="no_page")
        page = pdf[p.page - 1]
        width, height = page.get_size()
        left, up, right, down = _window(p.bbox, width, height)
        scale = _settings()["scale"]
        bitmap = page.render(scale=scale, crop=(left, height - down, width - right, up))
        image = bitmap.to_pil()
        x0, top, x1, bottom = p.bbox  # type: ignore[misc]
        box = ((x0 - left) * scale, (top - up) * scale, (x1 - left) * scale,
               (bottom - up) * scale)
        return Excerpt(p, image=_png_uri(_frame(image, box)))
    finally:
        pdf.close()


def _image_excerpt(data: bytes, p: Provenance) -> Excerpt:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as img:
        img.load()
        width, height = img.size
        left, up, right, down = _window(p.bbox, width, height)
        crop = img.crop((int(left), int(up), int(right), int(down)))
        limit = _settings()["image_max_px"]
        factor = min(1.0, limit / max(1, crop.width))
        if factor < 1.0:
            crop = crop.resize((int(crop.width * factor), int(crop.height * factor)))
        x0, top, x1, bottom = p.bbox  # type: ignore[misc]
        box = tuple(v * factor for v in (x0 - left, top - up, x1 - left, bottom - up))
        return Excerpt(p, image=_png_uri(_frame(crop, box)))


def _column_letters(n: int) -> str:
    text = ""
    while n:
        n, rem = divmod(n - 1, 26)
        text = chr(65 + rem) + text
    return text


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _sheet_rows(data: bytes, suffix: str, sheet: str | None, rows: range, cols: range):
    """The values of a block of cells as text, from an XLSX, an older workbook or a CSV."""
    if suffix == ".csv":
        text = data.decode("utf-8-sig", errors="replace")
        table = list(csv.reader(io.StringIO(text)))
        return [[(table[r - 1][c - 1] if r <= len(table) and c <= len(table[r - 1]) else "")
                 for c in cols] for r in rows]
    if suffix in SHEET_SUFFIXES:
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            ws = wb[sheet] if sheet in wb.sheetnames else wb.worksheets[0]
            got = ws.iter_rows(min_row=rows.start, max_row=rows.stop - 1, min_col=cols.start,
                               max_col=cols.stop - 1, values_only=True)
            block = [list(r) for r in got]
        finally:
            wb.close()
        block += [[None] * len(cols)] * (len(rows) - len(block))
        return [[_cell_text(v) for v in (row + [None] * len(cols))[: len(cols)]]
                for row in block]
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    name = sheet if sheet in wb.sheet_names else wb.sheet_names[0]
    table = wb.get_sheet_by_name(name).to_python()
    return [[_cell_text(table[r - 1][c - 1]) if r <= len(table) and c <= len(table[r - 1])
             else "" for c in cols] for r in rows]


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.6g}" if abs(value) < 1e6 else f"{value:,.2f}"
    return str(value)


def _cell_excerpt(data: bytes, p: Provenance) -> Excerpt:
    match = CELL.match(p.cell or "")
    if not match:
        return Excerpt(p, reason="no_position")
    s = _settings()
    row, col = int(match["row"]), _column_number(match["col"])
    span_r, span_c = s["cell_rows"], s["cell_cols"]
    rows = range(max(1, row - span_r), row + span_r + 1)
    cols = range(max(1, col - span_c), col + span_c + 1)
    values = _sheet_rows(data, PurePosixPath(p.file).suffix.lower(), match["sheet"], rows, cols)
    table = [[(text, r == row and c == col) for c, text in zip(cols, line, strict=True)]
             for r, line in zip(rows, values, strict=True)]
    return Excerpt(p, rows=table, columns=[_column_letters(c) for c in cols],
                   row_numbers=list(rows))


def excerpt(p: Provenance, sources: SourceFiles) -> Excerpt:
    """The excerpt of one value; a reason instead of a picture when none can be made."""
    data = sources.data(p)
    if data is None:
        return Excerpt(p, reason="no_file")
    suffix = PurePosixPath(p.file).suffix.lower()
    try:
        if p.cell:
            return _cell_excerpt(data, p)
        if not p.bbox:
            return Excerpt(p, reason="no_position")
        if suffix in IMAGE_SUFFIXES:
            return _image_excerpt(data, p)
        return _pdf_excerpt(data, p)
    except Exception:  # noqa: BLE001 - a hostile file gives no picture, never a failed report
        return Excerpt(p, reason="unrenderable")


@lru_cache(maxsize=1)
def _limit() -> int:
    return int(_settings()["per_finding"])


def excerpts_of(evidence: list[Provenance], sources: SourceFiles) -> tuple[list[Excerpt], int]:
    """Excerpts of a finding's values (each place once, up to the report's limit) and how many
    more values it cites (those stand in findings.json and the workpapers)."""
    seen: list[Provenance] = []
    for p in evidence:
        key = (p.file, p.page, p.bbox, p.cell)
        if all((q.file, q.page, q.bbox, q.cell) != key for q in seen):
            seen.append(p)
    shown = seen[: _limit()]
    return [excerpt(p, sources) for p in shown], len(seen) - len(shown)
