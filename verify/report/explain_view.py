"""`carbon-verify extract --explain` on a terminal: one table of found values per record, then
the expected values not found and why, the supplier templates tried, and the reader's notes."""

from __future__ import annotations

import sys

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

WIDE = 160  # columns when the output is a file or a pipe (no terminal to measure)


def _where(p) -> str:
    if p.cell:
        return p.cell
    box = "[" + ", ".join(f"{v:.1f}" for v in p.bbox) + "]" if p.bbox else ""
    return f"p{p.page} {box}".strip() if p.page else box


def _ocr(p) -> str:
    if not p.ocr:
        return ""
    return f"OCR {p.confidence:.2f}" if p.confidence is not None else "OCR"


def found_table(view) -> Table:
    """Field, value, page and box (or sheet!cell), printed text, OCR confidence."""
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for name in ("field", "value", "where", "printed text", "ocr"):
        table.add_column(name, overflow="fold")
    for f in view.found:
        table.add_row(f.field, f.value, _where(f.where), f.where.text, _ocr(f.where))
    return table


def _header(explanation) -> Text:
    doc = explanation.extraction.document
    pages = f", {doc.pages} page(s)" if doc.pages else ""
    line = Text(f"{doc.file}", style="bold")
    line.append(f"  {doc.kind.value}, {doc.status.value}{pages}, sha256 {doc.sha256[:12]}")
    if doc.error:
        line.append(f"\n  {doc.error}", style="red")
    return line


def _templates(explanation) -> list[str]:
    doc = explanation.extraction.document
    if doc.status.value == "unreadable":
        return []
    if not explanation.templates_consulted:
        if doc.kind.value not in ("fuel_invoice", "lab_report"):
            return [f"templates: none read a {doc.kind.value}"]
        return ["templates: not needed (the reader found every required field)"]
    lines = ["templates:"]
    for t in explanation.templates:
        state = "applied" if t.applied else "not applied: keywords not printed " + \
            ", ".join(repr(k) for k in t.missing_keywords)
        lines.append(f"  {t.file} ({t.issuer}): {state}")
    if explanation.unmatched_templates:
        lines.append(f"  {explanation.unmatched_templates} other template(s): none of their "
                     "keywords printed")
    return lines if len(lines) > 1 else ["templates: none of a fitting kind"]


def print_explanation(explanation, console: Console | None = None) -> None:
    """The explanation as readable text."""
    console = console or Console(width=None if sys.stdout.isatty() else WIDE, highlight=False,
                                 markup=False)
    console.print(_header(explanation))
    for view in explanation.records:
        title = view.title + (f"  (template {view.template})" if view.template else "")
        console.print(Text(f"\n{title}", style="bold"))
        if view.found:
            console.print(found_table(view))
        if getattr(view, "tags", None):
            console.print("OFD:\n" + "\n".join(f"  {t}" for t in view.tags), soft_wrap=True)
        if view.missing:
            console.print("missing:")
            for m in view.missing:
                console.print(f"  {m.field}: {m.reason}", soft_wrap=True)
    if templates := _templates(explanation):
        console.print("\n" + "\n".join(templates), soft_wrap=True)
    notes = explanation.extraction.notes
    if notes:
        console.print("notes:\n" + "\n".join(f"  {n}" for n in notes), soft_wrap=True)
