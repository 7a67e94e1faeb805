"""The verification report and its companions (PDF, workpapers, JSON): an edge beside the domain.

Reads `verify.model.result.RunResult` and the records; nothing in the domain imports this package.
WeasyPrint and openpyxl are imported here only, so `carbon-verify --help` stays quick as long as
callers import this package where they use it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__all__ = ["render_html", "render_pdf", "write_workpapers", "write_outputs", "ReportFetcher"]

if TYPE_CHECKING:
    from verify.report.html import render_html
    from verify.report.outputs import write_outputs
    from verify.report.pdf import ReportFetcher, render_pdf
    from verify.report.workpapers import write_workpapers

_HOMES = {
    "render_html": "verify.report.html",
    "render_pdf": "verify.report.pdf",
    "ReportFetcher": "verify.report.pdf",
    "write_workpapers": "verify.report.workpapers",
    "write_outputs": "verify.report.outputs",
}


def __getattr__(name: str):
    """Import the heavy renderers (WeasyPrint, openpyxl) on first use."""
    if name not in _HOMES:
        raise AttributeError(name)
    from importlib import import_module

    return getattr(import_module(_HOMES[name]), name)
