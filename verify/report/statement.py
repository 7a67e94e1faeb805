"""The verification statement's parties, date, criteria and opinion, in the report's words.

A verifier signs a statement that names who it is for, by whom, against which criteria, at which
level of assurance and on which date (EU AVR Art. 27, ISO 14064-3). What the bundle or the
command line does not state is printed as "not stated", never guessed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

from verify.model.result import RunResult
from verify.report.formatting import Formatter
from verify.report.settings import layout, methods


@dataclass(frozen=True)
class Engagement:
    """Who the statement is for and by whom (bundle.toml, then the command line)."""

    installation_id: str | None = None
    client: str | None = None
    verifier: str | None = None
    lead_verifier: str | None = None
    statement_date: dt.date | None = None
    report_id: str | None = None
    assurance: str | None = None  # reasonable | limited

    @classmethod
    def of(cls, given: dict[str, str]) -> Engagement:
        """From text values (a date as YYYY-MM-DD); unknown keys are ignored."""
        known = {f.name for f in fields(cls)}
        values: dict[str, object] = {k: v for k, v in given.items() if k in known and v}
        if isinstance(values.get("statement_date"), str):
            values["statement_date"] = dt.date.fromisoformat(str(values["statement_date"]))
        return cls(**values)  # type: ignore[arg-type]


def report_id(result: RunResult, engagement: Engagement) -> str:
    """The report's reference: the stated one, else facility, period and the run's first digits."""
    if engagement.report_id:
        return engagement.report_id
    return f"{result.facility.id}-{result.period}-{result.run_id[:8]}".upper()


def months_of(result: RunResult) -> list[str]:
    """The months the run verified, in order (one for a month's claim, twelve for a year's)."""
    found = sorted({s.period for s in result.streams if s.period})
    return found or [result.period]


def criteria(result: RunResult, lang: str) -> dict[str, str]:
    """The method's name and legal source in the report's language (methods.toml)."""
    entry = methods().get(result.method, {})
    text = entry.get(lang) or entry.get("en") or {}
    return {"name": text.get("name", result.method), "source": text.get("source", ""),
            "factor_source": text.get("factors", "")}


def assurance_level(engagement: Engagement, t: dict) -> str:
    level = engagement.assurance or layout()["statement"]["assurance"]
    return t["assurance"][level]


def threshold_words(result: RunResult, t: dict, fmt: Formatter) -> str:
    """How the materiality threshold was set, in a sentence."""
    m = result.materiality
    th = result.thresholds
    if th.get("materiality_override_pct") not in (None, ""):
        return t["threshold_set"]["override"].format(pct=fmt.pct(m.threshold_pct))
    months = len(months_of(result))
    annual = result.claimed_total_tco2 * 12 / max(months, 1)
    boundary = th.get("large_installation_t")
    if not isinstance(boundary, float | int):  # the run did not record the size boundary
        return t["threshold_set"]["plain"].format(pct=fmt.pct(m.threshold_pct),
                                                  annual=fmt.tco2(annual))
    key = "large" if annual > boundary else "small"
    return t["threshold_set"][key].format(
        pct=fmt.pct(m.threshold_pct), annual=fmt.tco2(annual),
        boundary=fmt.num(boundary / 1000, "general"))


def opinion_sentence(result: RunResult, engagement: Engagement, t: dict, fmt: Formatter,
                     facility: str) -> str:
    """The opinion as the statement's full sentence, with the figures it rests on."""
    m = result.materiality
    return t["statement"][result.opinion.value].format(
        facility=facility, period=result.period, verified=fmt.tco2(result.verified_total_tco2),
        claimed=fmt.tco2(result.claimed_total_tco2), misstatement=fmt.tco2(m.misstatement_tco2),
        pct=fmt.pct(m.misstatement_pct), threshold=fmt.pct(m.threshold_pct),
        criteria=criteria(result, "en" if t["lang"] == "en" else t["lang"])["name"],
        assurance=assurance_level(engagement, t))
