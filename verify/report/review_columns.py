"""The verifier's review columns of workpapers.xlsx, and the decisions read back from them.

The Findings sheet gains, at its right end, Finding id (when the sheet has none), Decision (a
list: accept / reject / adjust), Adjusted impact (tCO2), Comment and Reviewer. The verifier
fills them and gives the workbook to `carbon-verify review`; columns are found by their header,
never by letter, so a sheet with columns moved or added still reads. decisions.yml says the
same as a list of {finding id, decision, adjusted_impact_tco2, comment, reviewer}.
"""

from __future__ import annotations

import math
from pathlib import Path

from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from verify.model.result import RunResult
from verify.model.review import Decision, FindingDecision, ReviewError

FINDING_ID, DECISION, ADJUSTED, COMMENT, REVIEWER = (
    "Finding id", "Decision", "Adjusted impact (tCO2)", "Comment", "Reviewer")
REVIEW_HEADERS = (DECISION, ADJUSTED, COMMENT, REVIEWER)
WIDTHS = {FINDING_ID: 11, DECISION: 11, ADJUSTED: 14, COMMENT: 40, REVIEWER: 16}


def _finding_ids(ws: Worksheet, result: RunResult, id_header: str) -> list[str | None]:
    """The finding id of each data row: the sheet's own id column, else one row per evidence
    reference of each finding in order (a finding without evidence: one row)."""
    header = [c.value for c in ws[1]]
    if id_header in header:
        col = header.index(id_header) + 1
        return [ws.cell(row, col).value for row in range(2, ws.max_row + 1)]
    ids: list[str | None] = []
    for i, f in enumerate(result.findings):
        ids += [result.finding_id(i)] * max(1, len(f.evidence))
    return ids


def add_review_columns(ws: Worksheet, result: RunResult, t: dict) -> None:
    """Finding id (if missing), Decision, Adjusted impact, Comment and Reviewer at the right."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    header = [c.value for c in ws[1]]
    headers = list(REVIEW_HEADERS) if FINDING_ID in header else [FINDING_ID, *REVIEW_HEADERS]
    own_id = t.get("wp", {}).get("finding_id", t["col"]["id"])  # the sheet's id column, in its language
    ids = _finding_ids(ws, result, own_id) if FINDING_ID not in header else []
    first = ws.max_column + 1
    for offset, name in enumerate(headers):
        cell = ws.cell(1, first + offset, name)
        cell.font = Font(bold=True)
        ws.column_dimensions[get_column_letter(first + offset)].width = WIDTHS[name]
    if headers[0] == FINDING_ID:
        for row, fid in enumerate(ids, start=2):
            ws.cell(row, first, fid)
    last = max(ws.max_row, 2)
    decision = get_column_letter(first + headers.index(DECISION))
    choice = DataValidation(type="list", allow_blank=True,
                            formula1='"' + ",".join(d.value for d in Decision) + '"')
    ws.add_data_validation(choice)
    choice.add(f"{decision}2:{decision}{last}")
    adjusted = get_column_letter(first + headers.index(ADJUSTED))
    for row in range(2, last + 1):
        ws[f"{adjusted}{row}"].number_format = "#,##0.00"


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _impact(value: object, where: str) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(str(value).replace(",", "")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        raise ReviewError(f"{where}: the adjusted impact {value!r} is not a number") from None
    if not math.isfinite(number):
        raise ReviewError(f"{where}: the adjusted impact {value!r} is not a finite number")
    return number


def _decision(word: object, where: str) -> Decision:
    try:
        return Decision(_text(word).lower())
    except ValueError:
        raise ReviewError(f"{where}: decision {word!r} is not one of accept, reject, adjust"
                          ) from None


def _made(finding_id: str, decision: object, impact: object, comment: object, reviewer: object,
          where: str, decided_at: object = None) -> FindingDecision:
    if not finding_id:
        raise ReviewError(f"{where}: a decision names no finding id")
    if not _text(reviewer):
        raise ReviewError(f"{where}: {finding_id} has no reviewer (who decided)")
    return FindingDecision(finding_id=finding_id, decision=_decision(decision, where),
                           adjusted_impact_tco2=_impact(impact, where), comment=_text(comment),
                           reviewer=_text(reviewer), decided_at=_text(decided_at),
                           source=where)


def _review_sheet(wb) -> Worksheet:
    for ws in wb.worksheets:
        header = [_text(c.value) for c in ws[1]]
        if FINDING_ID in header and DECISION in header:
            return ws
    raise ReviewError(f"no sheet of the workbook has the columns {FINDING_ID!r} and "
                      f"{DECISION!r}: give the workpapers.xlsx of the run, with decisions filled")


def decisions_from_workbook(path: Path) -> list[FindingDecision]:
    """One decision per finding from the Findings sheet (the rows of one finding that carry a
    decision must agree; rows without a decision are not decided)."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # not a workbook, damaged: said with the reason
        raise ReviewError(f"{path.name} cannot be read as a workbook: {exc}") from exc
    try:
        ws = _review_sheet(wb)
        rows = ws.iter_rows(values_only=True)
        header = [_text(v) for v in next(rows)]
        col = {name: header.index(name) for name in (FINDING_ID, *REVIEW_HEADERS)
               if name in header}
        out: dict[str, FindingDecision] = {}
        for n, values in enumerate(rows, start=2):
            def cell(name: str, values=values):
                i = col.get(name)
                return values[i] if i is not None and i < len(values) else None

            if not _text(cell(DECISION)):
                continue
            where = f"{path.name} {ws.title} row {n}"
            d = _made(_text(cell(FINDING_ID)), cell(DECISION), cell(ADJUSTED), cell(COMMENT),
                      cell(REVIEWER), where)
            earlier = out.get(d.finding_id)
            if earlier is not None and earlier.model_dump(exclude={"source"}) != d.model_dump(
                    exclude={"source"}):
                raise ReviewError(f"{where}: {d.finding_id} is decided differently in "
                                  f"{earlier.source}")
            out.setdefault(d.finding_id, d)
        return list(out.values())
    finally:
        wb.close()


def decisions_from_yaml(path: Path) -> list[FindingDecision]:
    """decisions.yml: a list of {finding id, decision, adjusted_impact_tco2, comment, reviewer,
    decided_at (optional)}."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ReviewError(f"{path.name} cannot be read as YAML: {exc}") from exc
    if not isinstance(data, list):
        raise ReviewError(f"{path.name}: give a list of decisions, one per finding")
    out = []
    for n, entry in enumerate(data, start=1):
        where = f"{path.name} #{n}"
        if not isinstance(entry, dict):
            raise ReviewError(f"{where}: a decision is a mapping (finding id, decision, ...)")
        keys = {str(k).strip().lower().replace(" ", "_"): v for k, v in entry.items()}
        out.append(_made(_text(keys.get("finding_id")), keys.get("decision"),
                         keys.get("adjusted_impact_tco2"), keys.get("comment"),
                         keys.get("reviewer"), where, keys.get("decided_at")))
    return out


def read_decisions(path: Path) -> list[FindingDecision]:
    """The verifier's decisions from workpapers.xlsx or decisions.yml."""
    path = Path(path)
    if not path.is_file():
        raise ReviewError(f"{path} is not a file")
    if path.suffix.lower() in (".yml", ".yaml"):
        return decisions_from_yaml(path)
    return decisions_from_workbook(path)
