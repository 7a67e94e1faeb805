"""The enterprise's claim, read from the claim template (XLSX, or the same tables as CSV).

Sheets and columns are found by their labels (English or Chinese, `verify/data/claim_template.toml`),
never by position, and every value keeps its cell. A malformed claim raises `ClaimError` naming
the sheet, row and column, so the plant knows what to fix.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from extractors.sheets_io import Grid, read_grids
from extractors.values.numbers import parse_number as printed_number
from verify.model import units
from verify.model.errors import ClaimError
from verify.model.records import (
    Claim,
    ClaimFuelRow,
    ClaimProcessRow,
    ClaimProductRow,
    DataSource,
    Provenance,
)
from verify.model.vocabulary import normalise_label, stream_for, streams


@lru_cache(maxsize=1)
def template() -> dict:
    """The claim template's sheets, columns and labels."""
    text = resources.files("verify").joinpath("data", "claim_template.toml").read_text("utf-8")
    return tomllib.loads(text)


def _matches(label: object, candidates: list[str]) -> bool:
    key = normalise_label(str(label or ""))
    return bool(key) and key in {normalise_label(c) for c in candidates}


def parse_number(value: object) -> float | None:
    """A cell as a number: numeric cells pass, text is read as printed ("66,522.44"); blank is
    None."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None if value is None else printed_number(str(value))


@dataclass(frozen=True)
class Cell:
    value: object
    ref: str


def _prov(doc: tuple[str, str], cell: Cell) -> Provenance:
    return Provenance(file=doc[0], sha256=doc[1], cell=cell.ref, text=str(cell.value))


def _find_grid(grids: list[Grid], names: list[str], columns: list[dict]) -> Grid | None:
    """A sheet by name; failing that, the sheet whose header row holds the required labels."""
    for g in grids:
        if _matches(g.name, names):
            return g
    required = [c for c in columns if c.get("required")]
    for g in grids:
        if _header_row(g, required) is not None:
            return g
    return None


def _header_row(grid: Grid, required: list[dict]) -> int | None:
    for r, row in enumerate(grid.rows[:15]):
        if all(any(_matches(v, c["labels"]) for v in row) for c in required):
            return r
    return None


def _column_map(grid: Grid, columns: list[dict]) -> tuple[int, dict[str, int]]:
    required = [c for c in columns if c.get("required")]
    header = _header_row(grid, required)
    if header is None:
        names = ", ".join(c["labels"][0] for c in required)
        raise ClaimError(f"sheet {grid.name!r}: no header row with the columns {names}")
    found = {}
    for c in columns:
        for idx, v in enumerate(grid.rows[header]):
            if _matches(v, c["labels"]):
                found[c["field"]] = idx
                break
    return header, found


def _value(grid: Grid, r: int, idx: int, column: dict, doc) -> tuple[object, Provenance]:
    raw = grid.rows[r][idx] if idx < len(grid.rows[r]) else None
    cell = Cell(raw, grid.ref(r, idx))
    kind = column["kind"]
    if kind == "number":
        value = parse_number(raw)
        if value is None and raw not in (None, ""):
            raise ClaimError(f"{cell.ref} (column {column['labels'][0]!r}): {raw!r} is not a number")
    elif kind == "source":
        value = _data_source(raw, cell, column)
    else:
        value = None if raw is None else str(raw).strip()
    return value, _prov(doc, cell)


def _data_source(raw: object, cell: Cell, column: dict) -> DataSource | None:
    if raw in (None, ""):
        return None
    for source, labels in template()["data_source"].items():
        if _matches(raw, labels):
            return DataSource(source)
    raise ClaimError(f"{cell.ref} (column {column['labels'][0]!r}): {raw!r} is neither measured "
                     f"nor default (实测 / 缺省)")


def _rows(grid: Grid, columns: list[dict], doc) -> list[tuple[dict, dict]]:
    """(values, provenances) for each non-empty data row under the header."""
    header, cols = _column_map(grid, columns)
    by_field = {c["field"]: c for c in columns}
    out = []
    for r in range(header + 1, len(grid.rows)):
        if all(v in (None, "") for v in grid.rows[r]):
            continue
        values, provs = {}, {}
        for field, idx in cols.items():
            values[field], provs[field] = _value(grid, r, idx, by_field[field], doc)
        if all(values.get(c["field"]) in (None, "") for c in columns if c.get("required")):
            continue  # a blank template row or a note
        if _is_total_row(values):
            continue
        _require(values, columns, grid, r, cols)
        out.append((values, provs))
    return out


def _is_total_row(values: dict) -> bool:
    first = next((v for v in values.values() if isinstance(v, str) and v), "")
    return normalise_label(first) in {normalise_label(t) for t in ("total", "合计", "小计", "sum")}


def _require(values: dict, columns: list[dict], grid: Grid, r: int, cols: dict) -> None:
    for c in columns:
        if c.get("required") and values.get(c["field"]) in (None, ""):
            ref = grid.ref(r, cols[c["field"]]) if c["field"] in cols else f"{grid.name}!row {r + 1}"
            raise ClaimError(f"{ref} (column {c['labels'][0]!r}): a value is required")


def _stream(label: str, kinds: tuple[str, ...], prov: Provenance) -> str:
    sid = label if label in streams() else stream_for(label, kinds)
    if sid is None:
        raise ClaimError(f"{prov.cell}: {label!r} is not a known {'/'.join(kinds)} "
                         f"(see verify/data/streams.toml)")
    return sid


def _period(value: object, prov: Provenance) -> str | None:
    if value in (None, ""):
        return None
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m")
    text = str(value).strip()
    if ".." in text:
        return text
    text = text[:7].replace("/", "-").replace(".", "-")
    if not re.match(r"^\d{4}-\d{2}$", text):
        raise ClaimError(f"{prov.cell}: period {value!r} is not written YYYY-MM")
    return text


def _fuel(values: dict, provs: dict, source: Provenance) -> ClaimFuelRow:
    stream = _stream(values["stream"], ("fuel",), provs["stream"])
    unit = values.get("unit") or streams()[stream].unit
    unit = "10^4 Nm3" if streams()[stream].unit == "10^4 Nm3" else "t"
    ncv_unit = _ncv_unit(values.get("ncv_unit"), unit, provs.get("ncv_unit"))
    fields = {k: v for k, v in values.items() if v is not None and k not in ("stream", "unit", "ncv_unit")}
    fields["period"] = _period(values.get("period"), provs.get("period", source))
    return ClaimFuelRow(source=provs["stream"], sources=provs, stream=stream, label=values["stream"],
                        unit=unit, ncv_unit=ncv_unit,
                        **{k: v for k, v in fields.items() if v is not None})


def _ncv_unit(printed: str | None, activity_unit: str, prov: Provenance | None) -> str:
    """The claim's NCV unit, written the standard way when it is the standard unit (GJ/万Nm3)."""
    standard = units.NCV_UNITS[activity_unit]
    if not printed:
        return standard
    try:
        same = abs(units.convert(1.0, printed, standard) - 1.0) < 1e-9
    except (ValueError, TypeError) as exc:
        where = prov.cell if prov else "NCV unit"
        raise ClaimError(f"{where}: {printed!r} is not a calorific-value unit for {activity_unit}") from exc
    return standard if same else printed


def _process(values: dict, provs: dict, source: Provenance) -> ClaimProcessRow:
    material = _stream(values["material"], ("process",), provs["material"])
    return ClaimProcessRow(source=provs["material"], sources=provs, material=material,
                           label=values["material"], period=_period(values.get("period"), source),
                           consumed=values["consumed"], ef=values["ef"], emissions=values["emissions"])


def _product(values: dict, provs: dict, source: Provenance) -> ClaimProductRow:
    product = _stream(values["product"], ("product",), provs["product"])
    return ClaimProductRow(source=provs["product"], sources=provs, product=product,
                           label=values["product"], period=_period(values.get("period"), source),
                           output=values["output"], ef=values["ef"], deduction=values["deduction"])


def _summary(grid: Grid, doc) -> tuple[dict, dict]:
    """Label | value rows of the Summary sheet."""
    labels = template()["summary"]["rows"]
    values, provs = {}, {}
    for r, row in enumerate(grid.rows):
        for c, cell in enumerate(row[:-1]):
            field = next((f for f, lbls in labels.items() if _matches(cell, lbls)), None)
            if field and field not in values:
                values[field] = row[c + 1]
                provs[field] = _prov(doc, Cell(row[c + 1], grid.ref(r, c + 1)))
    for field in ("facility_id", "total_tco2"):
        if values.get(field) in (None, ""):
            raise ClaimError(f"sheet {grid.name!r}: the row {labels[field][0]!r} / "
                             f"{labels[field][1]!r} is missing or empty")
    return values, provs


def _summary_fields(values: dict, provs: dict) -> dict:
    out = {"facility_id": str(values["facility_id"]).strip(),
           "facility_name": str(values.get("facility_name") or "").strip()}
    for field in ("total_tco2", "crude_steel_t"):
        if values.get(field) not in (None, ""):
            number = parse_number(values[field])
            if number is None:
                raise ClaimError(f"{provs[field].cell}: {values[field]!r} is not a number")
            out[field] = number
    if values.get("method"):
        out["method"] = str(values["method"]).strip()
    if values.get("period"):
        out["period"] = _period(values["period"], provs["period"])
    return out


def read_claim(paths: list[Path], files: list[tuple[str, str]]) -> Claim:
    """The claim from one workbook, or from CSV tables (one per file), with cell provenance.

    `files` gives (relative path, sha256) for each path, for provenance.
    """
    grids: list[Grid] = []
    for path, doc in zip(paths, files, strict=True):
        grids += [g.with_doc(doc) for g in read_grids(path)]
    t = template()
    summary = _find_grid(grids, t["summary"]["sheet"], [])
    if summary is None or not any(_matches(v, t["summary"]["rows"]["facility_id"])
                                  for row in summary.rows for v in row):
        summary = next((g for g in grids if any(_matches(v, t["summary"]["rows"]["facility_id"])
                                                for row in g.rows[:20] for v in row)), None)
    if summary is None:
        raise ClaimError("no Summary / 汇总 sheet with a 'Facility ID' / '排放单位编号' row")
    values, provs = _summary(summary, summary.doc)
    source = Provenance(file=summary.doc[0], sha256=summary.doc[1], cell=f"{summary.name}!A1")
    parts = {}
    for key, build in (("fuels", _fuel), ("process", _process), ("products", _product)):
        grid = _find_grid([g for g in grids if g is not summary], t["sheets"][key], t[key])
        rows = _rows(grid, t[key], grid.doc) if grid is not None else []
        parts[key] = [build(v, p, source) for v, p in rows]
    fields = _summary_fields(values, provs)
    if "period" not in fields:
        fields["period"] = _claim_period(parts)
    return Claim(source=source, sources=provs, **fields, **parts)


def _claim_period(parts: dict) -> str:
    months = sorted({r.period for rows in parts.values() for r in rows if r.period})
    if not months:
        raise ClaimError("the claim states no period: fill 'Period' / '核算月份' in the Summary sheet")
    return months[0] if len(months) == 1 else f"{months[0]}..{months[-1]}"


def parse(path: Path, origin) -> tuple[list[Claim], list[str]]:
    """The registry's reader: a claim workbook on its own. A claim split over CSV tables is read
    whole by the pipeline (`read_claim` over all its files), so one part alone is only noted."""
    try:
        return [read_claim([path], [(origin.file, origin.sha256)])], []
    except ClaimError as exc:
        return [], [f"claim: {exc}"]


def looks_like_claim(path: Path) -> bool:
    """Whether a spreadsheet is (part of) a claim: a summary or a claim table by its labels."""
    try:
        grids = read_grids(path, max_rows=30)
    except Exception:
        return False
    t = template()
    for g in grids:
        if any(_matches(v, t["summary"]["rows"]["facility_id"]) for row in g.rows for v in row):
            return True
        for key in ("fuels", "process", "products"):
            if _header_row(g, [c for c in t[key] if c.get("required")]) is not None:
                return True
    return False
