"""Coal-laboratory workbooks: sample rows under a proximate-analysis header, a mean row below.

A coal lab keeps its results as a sheet: one row a sample (a shift, an hour, a lot or a day),
columns Mt, Mad, Aad, Vdaf, St,ad, Qgr,ad, Qnet,ar, often a tonnage column, and the plant's mean
row. No carbon column: proximate analysis only. The sheet is one lab report for the period whose
results are the mean recomputed from the samples (tonnage-weighted when the sheet gives
tonnage), so a claim copied from a wrong mean row is judged against the samples (LAB-MATCH); the
mean row itself is checked and a disagreement said in the notes. Without a Qnet,ar column the
NCV comes from Qgr,ad converted with the samples' Had, Mt and Mad (GB/T 213, data/lab_sheet.toml),
and the note says so. Carbon is not measured: the verification falls back to the method's
default with its finding (LAB-COMPLETENESS).
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from extractors.lab import accreditation
from extractors.lab_rows import _UNIT
from extractors.provenance import Origin
from extractors.sheets.grid import Cell, Sheet
from extractors.sheets.header import as_date, find_header, is_total_label, title_period
from extractors.values.numbers import parse_number
from verify.model.records import Basis, LabReport, LabResult, Provenance
from verify.model.vocabulary import normalise_label, stream_for

_SYMBOL = re.compile(r"(Qnet|Qgr|FC|Mt|St|M|A|V|S|H|C)(?:[,.，]?(ar|ad|daf|d))?(?![A-Za-z])")
_BRACKETED = re.compile(r"[(（\[]([^()（）\[\]]+)[)）\]]")
CALORIFIC = ("ncv", "gcv")


@lru_cache(maxsize=1)
def spec() -> dict:
    """data/lab_sheet.toml: symbols, words, key columns, mean words, GB/T 213 coefficients."""
    text = resources.files("extractors").joinpath("data", "lab_sheet.toml").read_text("utf-8")
    return tomllib.loads(text)


@dataclass(frozen=True)
class Column:
    """An analysis column: parameter, basis, unit as printed (or the default), its header."""

    index: int
    parameter: str
    basis: Basis | None
    unit: str | None
    header: str


def column_of(index: int, text: str) -> Column | None:
    """The analysis a header cell names: a GB/T 483 symbol ('Qnet,ar', 'St,ad'), else a word."""
    flat = text.replace("\n", " ").strip()
    if not flat:
        return None
    unit = next((m.group(1) for b in _BRACKETED.findall(flat) if (m := _UNIT.match(b.strip()))), None)
    bare = _BRACKETED.sub(" ", flat)
    for m in _SYMBOL.finditer(bare):
        before = bare[m.start() - 1] if m.start() else " "
        if before.isascii() and before.isalpha():
            continue  # inside an English word
        symbol, suffix = m.group(1), m.group(2)
        if suffix is None and symbol not in ("Mt", "Qnet", "Qgr", "FC", "St") \
                and bare.strip() != symbol:
            continue  # a lone letter only as the whole header
        parameter = spec()["symbols"][symbol]
        if parameter == "moisture_ad" and suffix not in (None, "ad"):
            parameter = "moisture_total"
        basis = Basis(suffix) if suffix else (Basis.AS_RECEIVED if symbol in ("Mt", "Qnet")
                                              else Basis.AIR_DRIED)
        return Column(index, parameter, basis, unit, flat)
    key = normalise_label(bare)
    words = sorted(spec()["words"].items(), key=lambda kv: -len(kv[0]))
    for word, (parameter, basis) in words:
        if normalise_label(word) in key:
            return Column(index, parameter, Basis(basis), unit, flat)
    return None


def columns(texts: list[str]) -> list[Column]:
    """Analysis columns of a header row, the first of each (parameter, basis)."""
    found: dict[tuple, Column] = {}
    for i, t in enumerate(texts):
        col = column_of(i, t) if t else None
        if col is not None:
            found.setdefault((col.parameter, col.basis), col)
    return list(found.values())


def _score(texts: list[str]) -> int:
    cols = columns(texts)
    return len(cols) if any(c.parameter in CALORIFIC for c in cols) else 0


def sample_header(sheet: Sheet) -> int | None:
    """The row of a sample sheet's analysis header, if the sheet is one."""
    return find_header(sheet, _score, spec()["min_columns"])


def _key_columns(texts: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, t in enumerate(texts):
        k = normalise_label(_BRACKETED.sub("", t))
        if not k or column_of(i, t) is not None:
            continue
        for role, words in spec()["keys"].items():
            if role not in found and any(normalise_label(w) == k or
                                         (len(normalise_label(w)) >= 2 and normalise_label(w) in k)
                                         for w in words):
                found[role] = i
                break
    return found


def _is_mean(row: list[Cell]) -> bool:
    words = [normalise_label(w) for w in spec()["mean_words"]]
    return any(isinstance(c.value, str) and any(w in normalise_label(c.text) for w in words)
               for c in row[:4])


def _num(row: list[Cell], i: int) -> float | None:
    if i >= len(row):
        return None
    v = row[i].value
    if isinstance(v, int | float) and not isinstance(v, bool):
        return float(v)
    return parse_number(row[i].text) if isinstance(v, str) else None


@dataclass
class Samples:
    """The sample rows of a sheet: their values by parameter, tonnage, dates and ids."""

    rows: list[list[Cell]] = field(default_factory=list)
    mean: list[Cell] | None = None


def _rows(sheet: Sheet, h: int, cols: list[Column], keys: dict[str, int]) -> Samples:
    out = Samples()
    for row in sheet.rows[h + 1:]:
        if not any(_num(row, c.index) is not None for c in cols):
            continue
        if _is_mean(row):
            out.mean = out.mean or row
        elif not any(is_total_label(c.text) for c in row[:3] if isinstance(c.value, str)):
            out.rows.append(row)
    return out


def _unit(col: Column, values: list[float]) -> str:
    if col.unit:
        return col.unit
    units = spec()["default_units"]
    if col.parameter in CALORIFIC:
        big = values and max(values) >= units["calorific_split"]
        return units["calorific_large"] if big else units["calorific_small"]
    return units["analysis"]


def _mj_per_kg(value: float, unit: str) -> float | None:
    u = unit.replace(" ", "").lower()
    factor = {"mj/kg": 1.0, "j/g": 0.001, "kj/kg": 0.001, "kcal/kg": 0.0041868, "cal/g": 0.0041868,
              "gj/t": 1.0}.get(u)
    return None if factor is None else value * factor


def _mean(values: list[float], weights: list[float] | None) -> float:
    if weights:
        return sum(v * w for v, w in zip(values, weights, strict=True)) / sum(weights)
    return sum(values) / len(values)


def _disagrees(printed: float, text: str, mean: float, tolerance_pct: float) -> bool:
    """Whether a printed mean is not the recomputed one: further apart than the tolerance and
    than half a unit of the printed mean's last digit (1.2 stands for 1.15 to 1.25)."""
    decimals = len(text.split(".", 1)[1]) if "." in text else 0
    allowed = max(abs(mean) * tolerance_pct / 100, 0.5 * 10 ** -decimals)
    return abs(printed - mean) > allowed + 1e-9


def _net_from_gross(row: list[Cell], by: dict[tuple, Column]) -> float | None:
    """A sample's Qnet,ar (MJ/kg) from its Qgr,ad, Had, Mt and Mad by GB/T 213."""
    need = [by.get(k) for k in (("gcv", Basis.AIR_DRIED), ("hydrogen", Basis.AIR_DRIED),
                                ("moisture_total", Basis.AS_RECEIVED),
                                ("moisture_ad", Basis.AIR_DRIED))]
    if any(c is None for c in need):
        return None
    values = [_num(row, c.index) for c in need]
    if any(v is None for v in values):
        return None
    qgr, had, mt, mad = values
    gross = _mj_per_kg(qgr, _unit(need[0], [qgr]))
    if gross is None or mad >= 100:
        return None
    k = spec()["gb_t_213"]
    net = (gross * 1000 - k["hydrogen_j_per_g"] * had) * (100 - mt) / (100 - mad) \
        - k["moisture_j_per_g"] * mt
    return net / 1000


def _stream(sheet: Sheet, h: int) -> tuple[str | None, Cell | None]:
    for row in sheet.rows[:h]:
        for cell in row:
            if isinstance(cell.value, str) and (s := stream_for(cell.text, ("fuel",))):
                return s, cell
    s = stream_for(sheet.name, ("fuel",))
    return s, None


def read_sheet(sheet: Sheet, origin: Origin, notes: list[str]) -> LabReport | None:
    """The sheet's lab report: the recomputed means of its samples, or None if it is none."""
    h = sample_header(sheet)
    if h is None:
        return None
    texts = [c.text for c in sheet.rows[h]]
    cols, keys = columns(texts), _key_columns(texts)
    samples = _rows(sheet, h, cols, keys)
    where = f"{sheet.name}"
    if not samples.rows:
        notes.append(f"{where}: analysis header in row {h + 1} ("
                     + " / ".join(c.header for c in cols) + "), but no sample row below it")
        return None
    ton = keys.get("tonnage")
    weights = [_num(r, ton) for r in samples.rows] if ton is not None else None
    if weights is not None and not all(w is not None and w > 0 for w in weights):
        notes.append(f"{where}: tonnage not printed on every sample row; the mean is unweighted")
        weights = None
    how = (f"mean of {len(samples.rows)} samples, weighted by tonnage "
           f"({texts[ton] or 'tonnage'})" if weights else f"mean of {len(samples.rows)} samples")
    results = []
    by = {(c.parameter, c.basis): c for c in cols}
    tolerance = spec()["mean_tolerance_pct"]
    for col in cols:
        given = [(r, v, w) for r, w in zip(samples.rows, weights or [None] * len(samples.rows),
                                           strict=True) if (v := _num(r, col.index)) is not None]
        if not given:
            continue
        values = [v for _r, v, _w in given]
        unit = _unit(col, values)
        mean = round(_mean(values, [w for _r, _v, w in given] if weights else None), 4)
        span = f"{given[0][0][col.index].ref}:{given[-1][0][col.index].ref}"
        source = origin.at_cell(sheet.name, span, f"{how}: {mean:g}")
        printed = _num(samples.mean, col.index) if samples.mean else None
        if printed is not None and _disagrees(printed, samples.mean[col.index].text, mean,
                                              tolerance):
            ref = samples.mean[col.index].ref
            notes.append(f"{where}!{ref}: the sheet's mean {col.header} {printed:g} is not the "
                         f"{how} ({mean:g}); the recomputed mean is used")
        results.append(LabResult(source=source, sources={"value": source},
                                 parameter=col.parameter, value=mean, unit=unit, basis=col.basis))
    if not any(r.parameter == "ncv" for r in results):
        nets = [(r, n, w) for r, w in zip(samples.rows, weights or [None] * len(samples.rows),
                                          strict=True) if (n := _net_from_gross(r, by)) is not None]
        if nets:
            mean = round(_mean([n for _r, n, _w in nets],
                               [w for _r, _n, w in nets] if weights else None), 4)
            gcv = by[("gcv", Basis.AIR_DRIED)]
            span = f"{nets[0][0][gcv.index].ref}:{nets[-1][0][gcv.index].ref}"
            text = f"Qnet,ar from Qgr,ad, Had, Mt, Mad by {spec()['gb_t_213']['source']}; {how}"
            source = origin.at_cell(sheet.name, span, text)
            results.append(LabResult(source=source, sources={"value": source}, parameter="ncv",
                                     value=mean, unit="MJ/kg", basis=Basis.AS_RECEIVED,
                                     method="GB/T 213-2008"))
            notes.append(f"{where}: no Qnet,ar column; NCV {mean:g} MJ/kg converted from "
                         f"Qgr,ad with the samples' Had, Mt and Mad (GB/T 213-2008)")
        else:
            notes.append(f"{where}: no Qnet,ar column, and no Qgr,ad with Had, Mt and Mad to "
                         "convert: no NCV")
    if not any(r.parameter == "carbon" for r in results):
        notes.append(f"{where}: proximate analysis only (no carbon column): carbon content is "
                     "the method's default")
    return _report(sheet, h, origin, samples, keys, results, notes)


def _report(sheet: Sheet, h: int, origin: Origin, samples: Samples, keys: dict[str, int],
            results: list[LabResult], notes: list[str]) -> LabReport:
    stream, stream_cell = _stream(sheet, h)
    if stream is None:
        notes.append(f"{sheet.name}: no fuel named above the header or in the sheet name")
    dates = [d for r in samples.rows if keys.get("date") is not None and keys["date"] < len(r)
             and (d := as_date(r[keys["date"]])) is not None]
    period = title_period(sheet, h - 1) if h > 0 else None
    sampling = max(dates) if dates else _period_end(period[0]) if period else None
    top = " ".join(c.text for row in sheet.rows[:h] + sheet.rows[-5:] for c in row)
    sources: dict[str, Provenance] = {}
    if stream_cell is not None:
        sources["stream"] = origin.at_cell(sheet.name, stream_cell.ref, stream_cell.text)
    title = next((c for row in sheet.rows[:h] for c in row if isinstance(c.value, str)), None)
    return LabReport(source=origin.at_cell(sheet.name, sheet.rows[h][0].ref, title.text if title else ""),
                     sources=sources, report_no=f"{sheet.name} {sampling or ''}".strip(),
                     accreditation=accreditation(top), stream=stream,
                     sample_description=stream_cell.text if stream_cell is not None else None,
                     sample_id=f"{len(samples.rows)} samples", sampling_date=sampling,
                     results=results)


def _period_end(period: str) -> dt.date:
    y, m = int(period[:4]), int(period[5:7])
    nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def parse(sheets: list[Sheet], origin: Origin) -> tuple[list[LabReport], list[str]]:
    """One lab report per sample sheet."""
    notes: list[str] = []
    reports = [r for s in sheets if (r := read_sheet(s, origin, notes)) is not None]
    if not reports:
        notes.append("no sheet with sample rows under an analysis header")
    return reports, notes
