"""The Summary sheet: totals and materiality as formulas over the stream sheets.

Claimed and verified emissions per stream (and per month for a multi-month run) are sums of the
recalculation sheets' cells; the verified total, the aggregate misstatement, its share of the
claimed total and the materiality decision are formulas beside the figures the report prints.
The misstatement's reported and within-tolerance lines stay inputs: they come from the split of
each difference into its causes (docs/verification.md), which the findings sheet lists.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from verify.model.result import RunResult
from verify.report.formatting import Formatter
from verify.report.settings import stream_names
from verify.report.threshold_names import threshold_label, threshold_value
from verify.report.workpapers_cells import (
    BOLD,
    cell,
    fit_columns,
    formula,
    header,
    put,
    put_formula,
    ref,
)
from verify.report.workpapers_streams import StreamSheet, stream_name

SIGN = {"fuel": 1, "process": 1, "product": -1}  # products are deducted from the total
TCO2 = 2


def _facts(ws: Worksheet, r: RunResult, t: dict) -> int:
    w = t["wp"]
    put(ws, 1, 1, t["summary"])
    ws.cell(row=1, column=1).font = Font(bold=True, size=13)
    rows = [(w["facility_id"], r.facility.id), (w["facility"], r.facility.name),
            (w["period"], r.period), (w["method"], r.method),
            (w["opinion"], t["opinion"][r.opinion.value]), (w["reason"], r.opinion_reason)]
    for i, (label, value) in enumerate(rows, start=2):
        put(ws, i, 1, label)
        ws.cell(row=i, column=1).font = BOLD
        put(ws, i, 2, value)
    return len(rows) + 3


def _streams(ws: Worksheet, start: int, sheets: list[StreamSheet], t: dict) -> tuple[int, int, int]:
    """Per stream: claimed and verified tCO2 as sums of its sheet; returns the table's first and
    last row and the next free row."""
    w = t["wp"]
    put(ws, start, 1, w["summary_streams"])
    ws.cell(row=start, column=1).font = BOLD
    header(ws, start + 1, [w["stream"], w["kind"], w["sign"], w["claimed"], w["verified"],
                           w["difference"]])
    first = row = start + 2
    for sh in sheets:
        lo, hi = min(sh.periods.values()), max(sh.periods.values())
        put(ws, row, 1, stream_name(sh.name, t))
        put(ws, row, 2, t["stream_kind"].get(sh.kind, sh.kind))
        put(ws, row, 3, SIGN[sh.kind], 0)
        for column, source in ((4, sh.claimed_col), (5, sh.verified_col)):
            span = f"{ref(sh.title, source, lo)}:{cell(source, hi)}"
            put_formula(ws, row, column, f"=SUM({span})", TCO2)
        put_formula(ws, row, 6, f"={cell(4, row)}-{cell(5, row)}", TCO2)
        row += 1
    return first, row - 1, row + 1


def _months(ws: Worksheet, start: int, sheets: list[StreamSheet], t: dict) -> int:
    """Per month: fuels + process - products of that month, claimed and verified."""
    periods = sorted({p for sh in sheets for p in sh.periods})
    if len(periods) < 2:
        return start
    w = t["wp"]
    put(ws, start, 1, w["summary_months"])
    ws.cell(row=start, column=1).font = BOLD
    header(ws, start + 1, [w["period"], w["claimed"], w["verified"], w["difference"]])
    row = start + 2
    for period in periods:
        put(ws, row, 1, period)
        for column, attr in ((2, "claimed_col"), (3, "verified_col")):
            terms = "".join(("+" if SIGN[sh.kind] > 0 else "-")
                            + ref(sh.title, getattr(sh, attr), sh.periods[period])
                            for sh in sheets if period in sh.periods)
            put_formula(ws, row, column, formula("total", rows=terms.lstrip("+") or "0"), TCO2)
        put_formula(ws, row, 4, f"={cell(2, row)}-{cell(3, row)}", TCO2)
        row += 1
    return row + 1


def _totals(ws: Worksheet, start: int, r: RunResult, t: dict, span: tuple[int, int]) -> int:
    """Totals and materiality: recalculated (formulas), as the report prints them, and the
    difference of the two."""
    w, m = t["wp"], r.materiality
    put(ws, start, 1, w["summary_totals"])
    ws.cell(row=start, column=1).font = BOLD
    header(ws, start + 1, ["", w["value"], w["report"], w["check"]])
    lo, hi = span
    signs, claimed, verified = (f"{cell(c, lo)}:{cell(c, hi)}" for c in (3, 4, 5))
    row = start + 2
    at: dict[str, str] = {}

    def line(key: str, label: str, value: object, places: int | None = None,
             report: float | None = None, is_input: bool = False) -> None:
        nonlocal row
        put(ws, row, 1, label)
        if isinstance(value, str) and value.startswith("="):
            put_formula(ws, row, 2, value, places or 0)
        else:
            put(ws, row, 2, value, places, is_input=is_input)
        if report is not None:
            put(ws, row, 3, float(report), places, is_input=True)
            put_formula(ws, row, 4, f"={cell(2, row)}-{cell(3, row)}", places or 0)
        at[key] = cell(2, row)
        row += 1

    line("rows", w["claimed_rows"], formula("total", rows=f"SUMPRODUCT({signs},{claimed})"), TCO2)
    line("stated", w["claimed_total"], float(r.claimed_total_tco2), TCO2, is_input=True)
    line("tieout", w["tieout"], f"=ROUND(ABS({at['stated']}-{at['rows']}),2)", TCO2,
         m.tieout_tco2)
    omitted = [(i, f) for i, f in enumerate(r.findings) if f.rule == "STREAM-COMPLETENESS"
               and f.severity.value == "misstatement" and f.impact_tco2]
    first_omitted = row
    for i, f in omitted:
        line(f"omit{i}", w["omitted_stream"].format(stream=stream_name(f.stream or "", t),
                                                   finding=r.finding_id(i)),
             float(-f.impact_tco2), TCO2, is_input=True)
    span_omitted = f"{cell(2, first_omitted)}:{cell(2, row - 1)}" if omitted else None
    line("omitted", w["omitted"],
         f"=ROUND(SUMPRODUCT(ABS({span_omitted})),2)" if span_omitted else "=0", TCO2,
         m.omitted_tco2)
    added = f"SUM({span_omitted})" if span_omitted else "0"
    line("verified", w["verified_total"],
         formula("total", rows=f"ROUND(SUMPRODUCT({signs},{verified}),2)+{added}"), TCO2,
         r.verified_total_tco2)
    line("difference", w["total_difference"], f"={at['stated']}-{at['verified']}", TCO2,
         round(r.claimed_total_tco2 - r.verified_total_tco2, 2))
    line("reported", w["reported"], float(m.reported_tco2), TCO2, is_input=True)
    line("within", w["within_tolerance"], float(m.within_tolerance_tco2), TCO2, is_input=True)
    line("misstatement", w["misstatement"],
         formula("total", rows=f"{at['reported']}+{at['within']}+{at['tieout']}+{at['omitted']}"),
         TCO2, m.misstatement_tco2)
    share = formula("pct", part=at["misstatement"], whole=at["stated"]).lstrip("=")
    share = f"IF({at['stated']}=0,IF({at['misstatement']}=0,0,100),{share})"
    line("pct", w["misstatement_pct"], f"=ROUND({share},2)", 2, round(m.misstatement_pct, 2))
    line("threshold", w["threshold_pct"], float(m.threshold_pct), 2, is_input=True)
    line("material", w["material"],  # on the share itself, not on its printed rounding
         f'=IF({share}>={at["threshold"]},"{t["yes"]}","{t["no"]}")')
    put(ws, row - 1, 3, t["yes"] if m.material else t["no"])
    if r.crude_steel_t:
        line("crude", w["crude_steel"], float(r.crude_steel_t), 3, is_input=True)
        report_intensity = round(r.verified_total_tco2 / r.crude_steel_t, 4)
        line("intensity", w["intensity"],
             formula("intensity", total=at["verified"], crude_steel=at["crude"]), 4,
             report_intensity)
    return row + 1


def _thresholds(ws: Worksheet, start: int, r: RunResult, t: dict) -> None:
    if not r.thresholds:
        return
    put(ws, start, 1, t["thresholds_used"])
    ws.cell(row=start, column=1).font = BOLD
    names = stream_names(t["lang"])
    for i, (key, value) in enumerate(r.thresholds.items(), start=start + 1):
        put(ws, i, 1, threshold_label(key, t, lambda s: names.get(s, s)))
        shown = threshold_value(key, value, t)
        put(ws, i, 2, float(shown) if isinstance(shown, int | float) else shown,
            4 if isinstance(shown, int | float) else None)


def summary_sheet(wb: Workbook, r: RunResult, t: dict, fmt: Formatter, title: str,
                  sheets: list[StreamSheet]) -> Worksheet:
    """The Summary sheet, first in the workbook."""
    ws = wb.create_sheet(title, 0)
    row = _facts(ws, r, t)
    if sheets:
        lo, hi, row = _streams(ws, row, sheets, t)
    else:
        lo = hi = row  # an empty range: totals of nothing
    row = _months(ws, row, sheets, t)
    row = _totals(ws, row, r, t, (lo, hi))
    _thresholds(ws, row, r, t)
    ws.freeze_panes = "A2"
    fit_columns(ws, skip_rows=1)
    ws.column_dimensions["A"].width = 48
    return ws
