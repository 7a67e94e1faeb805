"""One recalculation sheet per stream: inputs with their documents, then live formulas.

The sheet computes each period's verified emissions as verify/domain/calculation.py does (the
equations of report_templates/workpapers.toml) from input cells that name their file, page and
position; beside it stands the figure the report prints and their difference, so a verifier who
changes an input sees the effect and a reviewer sees at once that the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from verify.model.records import Provenance
from verify.model.result import RunResult, StreamResult
from verify.report.formatting import Formatter
from verify.report.workpapers_cells import (
    BOLD,
    cell,
    conventions,
    fit_columns,
    formula,
    header,
    put,
    put_formula,
    sheet_title,
)
from verify.report.workpapers_inputs import (
    ActivityItem,
    FactorInput,
    Recalculation,
    method_factors,
    recalculation,
)

HEADER_ROW = 6  # rows 1-5: title, method and unit, equation, note, blank
TCO2 = 2


@dataclass
class StreamSheet:
    """Where a stream's figures stand, for the Summary's formulas."""

    name: str
    kind: str
    title: str
    periods: dict[str, int] = field(default_factory=dict)  # period -> row of the calc table
    claimed_col: int = 0
    verified_col: int = 0


def stream_name(name: str, t: dict) -> str:
    """A stream in the report's language ("焦炭"); its id where no name is known."""
    return t["wp"]["stream_name"].get(name, name)


def group_streams(result: RunResult) -> dict[str, list[StreamResult]]:
    """Stream results by stream, in first-seen order, periods in order."""
    groups: dict[str, list[StreamResult]] = {}
    for s in result.streams:
        groups.setdefault(s.name, []).append(s)
    return {name: sorted(rows, key=lambda s: s.period or "") for name, rows in groups.items()}


def _where(ws: Worksheet, row: int, column: int, p: Provenance | None, fmt: Formatter) -> None:
    """File, page, box or cell, and SHA-256 of an input, in four cells from `column`."""
    if p is None:
        return
    put(ws, row, column, p.file)
    put(ws, row, column + 1, p.page, 0)
    put(ws, row, column + 2, p.cell or fmt.bbox(p.bbox) or None)
    put(ws, row, column + 3, p.sha256)


def _source_text(f: FactorInput, t: dict) -> str:
    w = t["wp"]
    return {"lab": w["from_lab"], "default": w["from_default"], "claim": w["from_claim"],
            "data": w["from_data"], "unit": w["from_unit"]}[f.source].format(**f.source_args)


def _head(ws: Worksheet, s: StreamResult, method: str, t: dict, equation: str) -> None:
    w = t["wp"]
    kind = t["stream_kind"].get(s.kind, s.kind)
    put(ws, 1, 1, w["title"].format(stream=stream_name(s.name, t), kind=kind))
    ws.cell(row=1, column=1).font = Font(bold=True, size=13)
    put(ws, 2, 1, w["method"])
    put(ws, 2, 2, method)
    put(ws, 2, 4, w["unit"])
    put(ws, 2, 5, s.activity.unit)
    put(ws, 3, 1, equation)
    put(ws, 4, 1, w["inputs_note"])


def _activity_block(ws: Worksheet, start: int, recs: list[Recalculation], t: dict,
                    fmt: Formatter, places: dict) -> tuple[dict[str, str], int]:
    """The documents each period's activity data adds up from; returns, per period, the
    formula of its sum, and the next free row."""
    w = t["wp"]
    put(ws, start, 1, w["activity_block"])
    ws.cell(row=start, column=1).font = BOLD
    header(ws, start + 1, [w["period"], w["item"], w["document"], w["quantity_printed"],
                           w["unit_printed"], w["to_unit"], w["sign"], w["quantity_unit"],
                           w["file"], w["page"], w["position"], w["sha256"]])
    row = start + 2
    sums: dict[str, str] = {}
    for rec in recs:
        first = row
        for item in rec.items:
            _item(ws, row, rec.stream.period or "", item, t, fmt, places)
            row += 1
        sums[rec.stream.period or ""] = (f"=SUM({cell(8, first)}:{cell(8, row - 1)})"
                                         if row - 1 > first else f"={cell(8, first)}")
    return sums, row + 1


def _item(ws: Worksheet, row: int, period: str, item: ActivityItem, t: dict, fmt: Formatter,
          places: dict) -> None:
    put(ws, row, 1, period)
    put(ws, row, 2, t["wp"][item.item])
    put(ws, row, 3, item.document)
    put(ws, row, 4, float(item.quantity), places["activity"], is_input=True)
    put(ws, row, 5, item.unit)
    put(ws, row, 6, float(item.factor), 0, is_input=True)
    put(ws, row, 7, item.sign, 0, is_input=True)
    put_formula(ws, row, 8, formula("activity_item", quantity=cell(4, row), factor=cell(6, row),
                                    sign=cell(7, row)), places["activity"])
    _where(ws, row, 9, item.where, fmt)


def _factor_block(ws: Worksheet, start: int, recs: list[Recalculation], t: dict,
                  fmt: Formatter, places: dict) -> tuple[dict[str, dict[str, str]], int]:
    """Each period's factors with their sources; returns, per period and parameter, the
    reference (a formula for CC derived from a tCO2/TJ factor), and the next free row."""
    w = t["wp"]
    put(ws, start, 1, w["factor_block"])
    ws.cell(row=start, column=1).font = BOLD
    header(ws, start + 1, [w["period"], w["parameter"], w["value"], w["value_unit"],
                           w["source"], w["file"], w["page"], w["position"], w["sha256"]])
    row = start + 2
    refs: dict[str, dict[str, str]] = {}
    for rec in recs:
        period = rec.stream.period or ""
        mine = refs.setdefault(period, {})
        for f in rec.factors:
            put(ws, row, 1, period)
            put(ws, row, 2, w[f.parameter].format(**{k: str(v).upper()
                                                    for k, v in f.label_args.items()}))
            if f.expression:
                put_formula(ws, row, 3, _computed(f, mine), places[f.kind])
            else:
                put(ws, row, 3, float(f.value), places[f.kind], is_input=True)
            put(ws, row, 4, f.unit)
            put(ws, row, 5, _source_text(f, t))
            _where(ws, row, 6, f.where, fmt)
            mine[f.name] = cell(3, row)
            row += 1
        if "ef_tj" in mine:  # the EU form: CC from the tCO2/TJ factor, as a formula
            put(ws, row, 1, period)
            put(ws, row, 2, w["cc"])
            put_formula(ws, row, 3, formula("cc_from_ef_tj", ef_tj=mine["ef_tj"]),
                        places["carbon_content"] + 2)
            put(ws, row, 4, "tC/GJ")
            mine["cc"] = cell(3, row)
            row += 1
    return refs, row + 1


def _computed(f: FactorInput, cells: dict[str, str]) -> str:
    """The formula of a computed factor, its operands the cells of earlier steps."""
    refs = {key: cells[step] for key, step in f.operands.items()}
    if f.terms:
        refs["terms"] = "+".join(f"{cells[a]}*{cells[b]}" for a, b in f.terms)
    return formula(f.expression, **refs, **{k: str(v) for k, v in conventions()["constants"].items()})


def _fuel_table(ws: Worksheet, recs: list[Recalculation], t: dict, places: dict) -> StreamSheet:
    w = t["wp"]
    header(ws, HEADER_ROW, [w["period"], w["ad_claimed"], w["ncv_claimed"], w["cc_claimed"],
                            w["of_claimed"], w["tco2_claimed"], w["tco2_recomputed"],
                            w["ad_verified"], w["ncv_verified"], w["cc_verified"],
                            w["of_verified"], w["tco2_verified"], w["tco2_report"], w["check"],
                            w["difference"], w["basis"]])
    end = HEADER_ROW + len(recs)
    sums, after = _activity_block(ws, end + 2, recs, t, Formatter(t), places)
    refs, _ = _factor_block(ws, after, recs, t, Formatter(t), places)
    sheet = StreamSheet(recs[0].stream.name, "fuel", ws.title, claimed_col=6, verified_col=12)
    for i, rec in enumerate(recs):
        r, s = HEADER_ROW + 1 + i, rec.stream
        period = s.period or ""
        sheet.periods[period] = r
        put(ws, r, 1, period)
        put(ws, r, 2, float(s.activity.claimed or 0.0), places["activity"], is_input=True)
        put(ws, r, 3, float(s.ncv.claimed or 0.0) if s.ncv else 0.0, places["ncv"], is_input=True)
        put(ws, r, 4, float(s.carbon_content.claimed or 0.0) if s.carbon_content else 0.0,
            places["carbon_content"], is_input=True)
        claimed_of = rec.claimed_of if rec.claimed_of is not None else (s.oxidation or 1.0)
        put(ws, r, 5, float(claimed_of), places["general"], is_input=True)
        put(ws, r, 6, float(s.claimed_tco2), TCO2, is_input=True)
        put_formula(ws, r, 7, formula("fuel", ad=cell(2, r), ncv=cell(3, r), cc=cell(4, r),
                                      of=cell(5, r)), TCO2)
        put_formula(ws, r, 8, sums[period], places["activity"])
        mine = refs[period]
        put_formula(ws, r, 9, "=" + mine["ncv"], places["ncv"])
        put_formula(ws, r, 10, "=" + mine["cc"], places["carbon_content"])
        put_formula(ws, r, 11, "=" + mine["of"], places["general"])
        put_formula(ws, r, 12, formula("fuel", ad=cell(8, r), ncv=cell(9, r), cc=cell(10, r),
                                       of=cell(11, r)), TCO2)
        _compare(ws, r, 13, s, 12, 6)
        put(ws, r, 16, s.basis)
    return sheet


def _material_table(ws: Worksheet, recs: list[Recalculation], t: dict, places: dict) -> StreamSheet:
    w = t["wp"]
    header(ws, HEADER_ROW, [w["period"], w["mass_claimed"], w["ef_claimed"], w["tco2_claimed"],
                            w["tco2_recomputed"], w["mass_verified"], w["ef_verified"],
                            w["tco2_verified"], w["tco2_report"], w["check"], w["difference"],
                            w["basis"]])
    end = HEADER_ROW + len(recs)
    sums, after = _activity_block(ws, end + 2, recs, t, Formatter(t), places)
    refs, _ = _factor_block(ws, after, recs, t, Formatter(t), places)
    first = recs[0].stream
    sheet = StreamSheet(first.name, first.kind, ws.title, claimed_col=4, verified_col=8)
    for i, rec in enumerate(recs):
        r, s = HEADER_ROW + 1 + i, rec.stream
        period = s.period or ""
        sheet.periods[period] = r
        put(ws, r, 1, period)
        put(ws, r, 2, float(s.activity.claimed or 0.0), places["activity"], is_input=True)
        put(ws, r, 3, float(s.ef.claimed or 0.0) if s.ef else 0.0, places["factor"],
            is_input=True)
        put(ws, r, 4, float(s.claimed_tco2), TCO2, is_input=True)
        put_formula(ws, r, 5, formula("material", mass=cell(2, r), ef=cell(3, r)), TCO2)
        put_formula(ws, r, 6, sums[period], places["activity"])
        put_formula(ws, r, 7, "=" + refs[period]["ef"], places["factor"])
        put_formula(ws, r, 8, formula("material", mass=cell(6, r), ef=cell(7, r)), TCO2)
        _compare(ws, r, 9, s, 8, 4)
        put(ws, r, 12, s.basis)
    return sheet


def _compare(ws: Worksheet, r: int, column: int, s: StreamResult, verified: int,
             claimed: int) -> None:
    """The report's verified figure, recalculated minus report, claimed minus verified."""
    put(ws, r, column, float(s.verified_tco2), TCO2, is_input=True)
    put_formula(ws, r, column + 1, f"={cell(verified, r)}-{cell(column, r)}", TCO2)
    put_formula(ws, r, column + 2, f"={cell(claimed, r)}-{cell(verified, r)}", TCO2)


def stream_sheets(wb: Workbook, result: RunResult, records: list, t: dict, fmt: Formatter,
                  taken: set[str]) -> list[StreamSheet]:
    """One recalculation sheet per stream, named in the report's language."""
    places = fmt.decimals
    out = []
    eu = any(p == "ef_tj" for _s, p in method_factors(result.method))
    for name, streams in group_streams(result).items():
        recs = [recalculation(s, records, result.method) for s in streams]
        ws = wb.create_sheet(sheet_title(stream_name(name, t), taken))
        first = streams[0]
        if first.kind == "fuel":
            equation = t["wp"]["equation_fuel_eu" if eu else "equation_fuel"]
        else:
            equation = t["wp"]["equation_deduction" if first.kind == "product"
                               else "equation_material"]
        _head(ws, first, result.method, t, equation)
        table = _fuel_table if first.kind == "fuel" else _material_table
        out.append(table(ws, recs, t, places))
        ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=2)
        fit_columns(ws, skip_rows=4)
    return out

