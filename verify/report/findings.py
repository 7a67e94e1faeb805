"""Findings as a verifier files them (uncorrected misstatements, non-conformities,
recommendations), each with excerpts of its evidence; and the default factors the run used,
with their sources.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from verify.model.records import Finding, Severity
from verify.model.result import RunResult
from verify.report.excerpts import Excerpt, SourceFiles, excerpts_of
from verify.report.formatting import Formatter
from verify.report.summary import stream_groups

GROUPS = [
    (Severity.MISSTATEMENT, "misstatements"),
    (Severity.NON_CONFORMITY, "non_conformities"),
    (Severity.OBSERVATION, "recommendations"),
]
UNREADABLE = "DOC-UNREADABLE"
PAGE_REF = re.compile(r"\bp\.\s?(\d+)\b")


@dataclass(frozen=True)
class FindingView:
    fid: str
    finding: Finding
    excerpts: list[Excerpt]
    more: int  # values cited beyond the excerpts shown


def finding_groups(result: RunResult, sources: SourceFiles) -> list[tuple[str, list[FindingView]]]:
    """(group key, findings) in the statement's order; empty groups are kept (the report says
    "none")."""
    views: dict[Severity, list[FindingView]] = {sev: [] for sev, _ in GROUPS}
    for i, f in enumerate(result.findings):
        shown, more = excerpts_of(f.evidence, sources)
        views[f.severity].append(FindingView(result.finding_id(i), f, shown, more))
    return [(key, views[sev]) for sev, key in GROUPS]


def finding_text(message: str, result: RunResult, lang: str,
                 name: Callable[[str | None], str]) -> str:
    """A finding's message with stream ids as names and page references in the report's words."""
    from verify.report.settings import strings

    ids = {s.name for s in result.streams} | {f.stream for f in result.findings if f.stream}
    for stream in sorted(ids, key=len, reverse=True):
        message = re.sub(rf"(?<![\w/.-]){re.escape(stream)}(?![\w/.-])", name(stream), message)
    t = strings(lang)
    reasons = {p.text for f in result.findings if f.rule == UNREADABLE for p in f.evidence
               if p.text}
    for reason in sorted(reasons, key=len, reverse=True):  # a reader's reason, in the report's words
        message = message.replace(reason, Formatter(t).reason(reason))
    message = _without_document_list(message, t["message_documents"])
    message = _units(message, t.get("units", {}))
    for route, words in t["threshold_names"]["route"].items():  # "bf-bof" -> the route's name
        message = re.sub(rf"(?<![\w-]){re.escape(route)}(?![\w-])", words, message)
    return PAGE_REF.sub(lambda m: t["page_ref"].format(page=m[1]), message)


def _without_document_list(message: str, lead: str) -> str:
    """The message without its closing list of documents and positions ("Documents: a.pdf p. 1,
    b.xml /EInvoice/..."): the report shows each as an excerpt with its file and page."""
    head, sep, _ = message.rpartition(lead)
    if not sep or not head.strip():
        return message
    return head.rstrip()


def _units(message: str, units: dict[str, str]) -> str:
    """Units as the report's language writes them ("10^4 Nm3" -> "万Nm³"; a Chinese unit word
    quoted from a document -> "m³" in English). ASCII units match as whole words only."""
    keys = sorted((k for k, v in units.items() if v), key=len, reverse=True)
    if not keys:
        return message
    pattern = "|".join(rf"(?<![\w^/]){re.escape(k)}(?![\w^])" if k.isascii() else re.escape(k)
                       for k in keys)
    return re.sub(pattern, lambda m: units[m[0]], message)


# --- factors ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FactorUsed:
    stream: str
    parameter: str  # ncv | carbon_content | oxidation | ef | ef_tj
    value: float
    unit: str
    source: str
    status: str  # reg | 3p | est | "" : the source's own tag (docs/domain.md)


    @property
    def document(self) -> str:
        """The guideline and annex the value is from ("MEE 2025, ..., annex of default values")."""
        return self.source.partition(": ")[0] if ": " in self.source else self.source

    @property
    def item(self) -> str:
        """The table entry within it ("焦炭 低位发热量"), without the status tag."""
        entry = self.source.partition(": ")[2]
        return re.sub(r"\s*\[[^\]]*\]\s*$", "", entry)


TAGS = {"[reg": "reg", "[3p": "3p", "[est": "est"}


def _status(source: str) -> str:
    low = source.lower()
    return next((tag for mark, tag in TAGS.items() if mark in low), "")


@lru_cache(maxsize=4)
def factor_rows(method: str) -> dict[tuple[str, str], FactorUsed]:
    """The method's factor file (verify/data/factors), read as data."""
    path = resources.files("verify").joinpath("data", "factors", f"{method}.csv")
    if not path.is_file():
        return {}
    rows = csv.DictReader(io.StringIO(path.read_text("utf-8")))
    return {(r["stream"], r["parameter"]): FactorUsed(r["stream"], r["parameter"],
                                                      float(r["value"]), r["unit"], r["source"],
                                                      _status(r["source"])) for r in rows}


def factors_used(result: RunResult) -> list[FactorUsed]:
    """The defaults the verified figures stand on: a fuel's NCV and CC where a month used the
    method's default, its oxidation factor, and a material's or product's emission factor."""
    table = factor_rows(result.method)
    used: list[FactorUsed] = []
    for g in stream_groups(result):
        wanted: list[str] = []
        if g.kind == "fuel":
            if any(s.ncv and s.ncv.support == "defaulted" for s in g.rows):
                wanted.append("ncv")
            if any(s.carbon_content and s.carbon_content.support == "defaulted" for s in g.rows):
                wanted += ["carbon_content", "ef_tj"]
            wanted.append("oxidation")
        else:
            wanted.append("ef")
        used += [table[(g.name, p)] for p in wanted if (g.name, p) in table]
    return used
