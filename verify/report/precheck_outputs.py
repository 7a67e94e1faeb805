"""The plant's pre-check written out: a terminal list (Rich), precheck.xlsx and precheck.json.

precheck.xlsx has one row per fix item and a Status column the plant fills (a list to choose
from); every text that came from a document goes through `inert()`, as in the workpapers.
"""

from __future__ import annotations

import json
import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path

from verify.model.precheck import PRECHECK_SCHEMA, Blocks, FixItem, Precheck
from verify.report.settings import strings

XLSX, JSON = "precheck.xlsx", "precheck.json"
WIDTHS = {"what": 70, "todo": 70, "where": 40}


@lru_cache(maxsize=1)
def _wording() -> dict:
    return tomllib.loads(resources.files("verify").joinpath("data", "precheck.toml")
                         .read_text("utf-8"))


def headings(lang: str) -> dict[str, str]:
    table = _wording()["columns"]
    return {**table["en"], **table.get(lang, {})}


def _label(section: str, key: str, lang: str) -> str:
    table = _wording()[section][key]
    return table.get(lang, table["en"])


def statuses(lang: str) -> list[str]:
    table = _wording()["status"]
    return list(table.get(lang, table["en"]))


def _impact(item: FixItem) -> str:
    return "" if item.impact_tco2 is None else f"{item.impact_tco2:,.2f}"


def summary_line(p: Precheck) -> str:
    h = headings(p.lang)
    if not p.items:
        return h["nothing"]
    if p.blocking:
        return h["blocking"].format(count=len(p.blocking))
    return h["clear"].format(count=len(p.items))


def print_precheck(p: Precheck, console=None) -> None:
    """The fix list on the terminal, most costly first: one block per item (a heading line,
    then what, what to do and where), so it stays readable in an 80-column terminal."""
    from rich.console import Console
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    console = console or Console()
    h = headings(p.lang)
    title = f"{h['title']} · {p.facility_id} {p.facility_name} · {p.period}"
    if p.deadline:
        title += f" · {h['deadline']} {p.deadline}"
    console.print(Text(title, style="bold"))
    for item in p.items:
        heading = Text(f"{item.no:>3}  ")
        heading.append(_label("kinds", item.kind, p.lang), style="bold")
        heading.append(" · ")
        heading.append(_label("blocks", item.blocks.value, p.lang),
                       style="bold red" if item.blocks != Blocks.NONE else "")
        if item.impact_tco2 is not None:
            heading.append(f" · {_impact(item)} tCO2")
        body = Table.grid(padding=(0, 2))
        body.add_column(no_wrap=True, style="dim")
        body.add_column(overflow="fold")
        body.add_row(h["what"], Text(item.what))
        body.add_row(h["todo"], Text(item.todo))
        if item.where:
            body.add_row(h["where"], Text("\n".join(item.where)))
        console.print()
        console.print(heading)
        console.print(Padding(body, (0, 0, 0, 5)))
    console.print()
    opinion = strings(p.lang)["opinion"].get(p.opinion, p.opinion)
    console.print(f"{h['opinion']}: {opinion} ({p.misstatement_tco2:,.2f} tCO2, "
                  f"{p.misstatement_pct:.2f}% / {p.threshold_pct:g}%)")
    console.print(Text(summary_line(p), style="bold red" if p.blocking else "bold green"))


def precheck_json(p: Precheck) -> dict:
    """precheck.json: the pre-check whole, with whether anything blocks."""
    return {"schema": PRECHECK_SCHEMA, **p.model_dump(mode="json"),
            "blocking": len(p.blocking)}


def write_precheck_json(p: Precheck, out: Path) -> Path:
    out.write_text(json.dumps(precheck_json(p), ensure_ascii=False, indent=2) + "\n", "utf-8")
    return out


COLUMNS = ("no", "kind", "blocks", "impact", "stream", "period", "what", "todo", "where",
           "rule", "finding", "status")


def _row(item: FixItem, lang: str) -> list:
    return [item.no, _label("kinds", item.kind, lang), _label("blocks", item.blocks.value, lang),
            item.impact_tco2, item.stream, item.period, item.what, item.todo,
            "\n".join(item.where), item.rule, item.finding_id, statuses(lang)[0]]


def write_precheck_xlsx(p: Precheck, out: Path) -> Path:
    """precheck.xlsx: one row per item, a Status column for the plant (chosen from a list)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from verify.report.workpapers import inert

    h = headings(p.lang)
    wb = Workbook()
    ws = wb.active
    ws.title = h["title"][:31]
    ws.append([h[key] for key in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    for item in p.items:
        ws.append([inert(v) for v in _row(item, p.lang)])
    impact = COLUMNS.index("impact") + 1
    for (cell,) in ws.iter_rows(min_row=2, min_col=impact, max_col=impact):
        cell.number_format = "#,##0.00"
    for idx, key in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(idx)].width = WIDTHS.get(key, 14)
        if key in WIDTHS:
            for (cell,) in ws.iter_rows(min_row=2, min_col=idx, max_col=idx):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    status = get_column_letter(COLUMNS.index("status") + 1)
    choice = DataValidation(type="list", formula1='"' + ",".join(statuses(p.lang)) + '"',
                            allow_blank=True)
    ws.add_data_validation(choice)
    if p.items:
        choice.add(f"{status}2:{status}{len(p.items) + 1}")
    wb.save(out)
    return out


def write_precheck(p: Precheck, folder: Path) -> dict[str, Path]:
    """precheck.xlsx and precheck.json into `folder`."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return {"xlsx": write_precheck_xlsx(p, folder / XLSX),
            "json": write_precheck_json(p, folder / JSON)}
