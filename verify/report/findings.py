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
from verify.report.summary import stream_groups

GROUPS = [
    (Severity.MISSTATEMENT, "misstatements"),
    (Severity.NON_CONFORMITY, "non_conformities"),
    (Severity.OBSERVATION, "recommendations"),
]
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
    page = strings(lang)["page_ref"]
    return PAGE_REF.sub(lambda m: page.format(page=m[1]), message)


# --- factors ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FactorUsed:
    stream: str
    parameter: str  # ncv | carbon_content | oxidation | ef | ef_tj
    value: float
    unit: str
    source: str
    status: str  # reg | 3p | est | "" : the source's own tag (docs/domain.md)


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
