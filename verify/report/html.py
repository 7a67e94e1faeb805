"""The verification report as HTML, from the Jinja2 templates in report_templates/.

Autoescape is on: facility names, messages and evidence text come from documents the plant
supplied and are shown as text, never as markup. The stylesheet is inlined so report.html
stands alone; fonts are resolved against the templates directory when the PDF is made.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from verify.model.records import Severity
from verify.model.result import RunResult
from verify.report import recalc
from verify.report.evidence import evidence_tables
from verify.report.excerpts import SourceFiles
from verify.report.findings import factors_used, finding_groups, finding_text
from verify.report.formatting import Formatter
from verify.report.settings import layout, rule_names, stream_names, strings, templates_dir
from verify.report.statement import (
    Engagement,
    assurance_level,
    criteria,
    opinion_sentence,
    report_id,
    threshold_words,
)
from verify.report.summary import month_totals, stream_groups
from verify.report.workpapers import sheet_name

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


WRAP = "\u200b"  # a zero-width space: a line may break here; not drawn, not in the PDF's text


def breakable(text: object) -> Markup:
    """A file name or code that may wrap after "-", "_", "/" and "." (not inside a word or a
    number): the text escaped, with a zero-width space at those places (WeasyPrint honours it
    where it passes over <wbr> in a narrow cell)."""
    escaped = str(Markup.escape(text))
    return Markup(re.sub(r"([-_/.])(?=[^\s])", rf"\1{WRAP}", escaped))


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


def _display_name(result: RunResult, lang: str):
    """A stream id as the report's language names it (a stream the names file does not know
    keeps the label its documents used)."""
    names = stream_names(lang)
    labels = {s.name: s.label for s in result.streams if s.label}

    def name(stream: str | None) -> str:
        if not stream:
            return ""
        return names.get(stream) or labels.get(stream) or stream.replace("_", " ")

    return name


def _rule_name(lang: str):
    names = rule_names(lang)
    return lambda rule: names.get(rule, rule)


def _charts(result: RunResult, t: dict) -> dict[str, str]:
    """The year's charts (none for a month)."""
    from verify.report.charts import emissions_chart, intensity_chart

    totals = month_totals(result)
    if len(totals) < 2:
        return {}
    months = [m.period for m in totals]
    charts = {"emissions": emissions_chart(
        months, [m.claimed for m in totals], [m.verified for m in totals],
        {"claimed": t["chart"]["claimed"], "verified": t["chart"]["verified"], "unit": "tCO2"})}
    if any(m.intensity is not None for m in totals):
        charts["intensity"] = intensity_chart(months, [m.intensity for m in totals],
                                              {"unit": t["chart"]["intensity_unit"]})
    return charts


def _support_words(t: dict):
    """What a stream's verified figures stand on, in a line: "Activity data: evidenced; NCV:
    default (2 of 12 months)"."""
    def words(group) -> str:
        parts = []
        for key, label in (("activity", "activity"), ("ncv", "ncv"), ("carbon_content", "cc"),
                           ("ef", "ef")):
            seen = Counter(c.support for s in group.rows
                           if (c := getattr(s, key)) is not None and c.support)
            if not seen:
                continue
            kinds = [t["support"][k] + (t["of_months"].format(n=n, total=len(group.rows))
                                        if len(seen) > 1 else "")
                     for k, n in seen.most_common()]
            parts.append(f"{t['quantity'][label]}: {', '.join(kinds)}")
        return t["list_sep"].join(parts)

    return words


def context(result: RunResult, records: Iterable[object], lang: str,
            engagement: Engagement | None = None, sources: SourceFiles | None = None) -> dict:
    """Everything the templates read, computed once."""
    t = strings(lang)
    fmt = Formatter(t)
    engagement = engagement or Engagement()
    sources = sources or SourceFiles(result.bundle or None)
    name = _display_name(result, lang)
    counts = Counter(f.severity.value for f in result.findings)
    facility = result.facility.name or result.facility.id
    return {
        "r": result,
        "t": t,
        "lang": lang,
        "fmt": fmt,
        "eng": engagement,
        "sections": layout()["sections"],
        "doc_no": {d.file: n for n, d in enumerate(result.documents, start=1)},
        "name": name,
        "rule_name": _rule_name(lang),
        "message": lambda f: finding_text(f.message, result, lang, name),
        "report_id": report_id(result, engagement),
        "criteria": criteria(result, lang),
        "assurance": assurance_level(engagement, t),
        "statement": opinion_sentence(result, engagement, t, fmt, facility),
        "threshold_words": threshold_words(result, t, fmt),
        "groups": stream_groups(result),
        "support_words": _support_words(t),
        "recalc": recalc,
        "stream_ids": {s.name for s in result.streams},
        "months": month_totals(result),
        "charts": _charts(result, t),
        "finding_groups": finding_groups(result, sources),
        "factors": factors_used(result),
        "severity_counts": [(s.value, counts.get(s.value, 0)) for s in Severity],
        "tables": evidence_tables(records),
        "max_rows": layout()["body"]["max_evidence_rows"],
        "sheet_name": sheet_name,
        "footer_content": page_footer_css(t["page_footer"]),
        "breakable": breakable,
        "css": Markup((templates_dir() / "report.css").read_text("utf-8")),
    }


def render_html(result: RunResult, records: Iterable[object] = (), lang: str = "en",
                engagement: Engagement | None = None, sources: SourceFiles | None = None) -> str:
    """The full report as one HTML document (stylesheet inlined, excerpts and charts inline)."""
    return environment().get_template(TEMPLATE).render(
        context(result, records, lang, engagement, sources))
