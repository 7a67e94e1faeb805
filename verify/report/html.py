"""The verification report as HTML, from the Jinja2 templates in report_templates/.

Autoescape is on: facility names, messages and evidence text come from documents the plant
supplied and are shown as text, never as markup. The stylesheet is inlined so report.html
stands alone; fonts are resolved against the templates directory when the PDF is made.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from verify.model.records import Severity
from verify.model.result import RunResult
from verify.report.evidence import evidence_tables
from verify.report.formatting import Formatter
from verify.report.settings import layout, strings, templates_dir

TEMPLATE = "report.html"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The Jinja2 environment over report_templates/ (autoescaping .html)."""
    return Environment(
        loader=FileSystemLoader(templates_dir()),
        autoescape=select_autoescape(["html"], default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _css_string(text: str) -> str:
    """A CSS string literal of trusted UI text (quotes, backslashes and '<' escaped)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return f'"{escaped}"'


def page_footer_css(pattern: str) -> Markup:
    """The CSS `content` value of "Page {page} of {pages}" in the report's language."""
    parts: list[str] = []
    rest = pattern
    while rest:
        head, sep, rest = rest.partition("{")
        if head:
            parts.append(_css_string(head))
        if not sep:
            break
        name, _, rest = rest.partition("}")
        parts.append(f"counter({name})")
    return Markup(" ".join(parts))


def _stream_labels(result: RunResult) -> dict[str, str]:
    return {s.name: s.label for s in result.streams if s.label and s.label != s.name}


def context(result: RunResult, records: Iterable[object], lang: str) -> dict:
    """Everything the templates read, computed once."""
    t = strings(lang)
    counts = Counter(f.severity.value for f in result.findings)
    return {
        "r": result,
        "t": t,
        "lang": lang,
        "fmt": Formatter(t),
        "sections": layout()["sections"],
        "doc_no": {d.file: n for n, d in enumerate(result.documents, start=1)},
        "stream_labels": _stream_labels(result),
        "findings": [(result.finding_id(i), f) for i, f in enumerate(result.findings)],
        "severity_counts": [(s.value, counts.get(s.value, 0)) for s in Severity],
        "tables": evidence_tables(records),
        "footer_content": page_footer_css(t["page_footer"]),
        "css": Markup((templates_dir() / "report.css").read_text("utf-8")),
    }


def render_html(result: RunResult, records: Iterable[object] = (), lang: str = "en") -> str:
    """The full report as one HTML document (stylesheet inlined)."""
    return environment().get_template(TEMPLATE).render(context(result, records, lang))
