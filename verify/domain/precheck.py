"""The plant's pre-check: the verifier's findings and the monitoring plan's gaps as a fix list.

The same engine that writes the verifier's report speaks to the plant here: each finding becomes
one item in the plant's terms (what is wrong, where to look, what to do: verify/data/
precheck.toml), and each month is checked against the monitoring plan of bundle.toml (every
stream, every document kind a month needs, the sampling frequency: verify/data/
monitoring_plan.toml). Most costly first: by the tCO2 an item moves, then what it blocks.
Pure: no I/O beyond the shipped data files.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from verify.domain.config import StreamPlan
from verify.model.periods import month_bounds, month_of, months_of
from verify.model.precheck import Blocks, FixItem, Precheck
from verify.model.records import (
    Document,
    DocumentStatus,
    Finding,
    FuelInvoice,
    LabReport,
    MeterRecord,
    ProductionRecord,
    Provenance,
    Severity,
    StockRecord,
)
from verify.model.result import RunResult
from verify.model.vocabulary import streams

SCOPE_RULES = ("DOC-UNREADABLE",)  # a file not read limits the scope (materiality.py)
# Findings that already say a plan gap of their stream and month: one problem, one item.
COVERS = {"lab_report": ("LAB-MISSING", "LAB-TIMING"),
          "activity": ("EVIDENCE-MISSING", "STREAM-COMPLETENESS")}
BLOCK_RANK = {Blocks.SCOPE: 0, Blocks.MISSTATEMENT: 1, Blocks.NONE: 2}


def _load(name: str) -> dict:
    return tomllib.loads(resources.files("verify").joinpath("data", name).read_text("utf-8"))


@lru_cache(maxsize=1)
def wording() -> dict:
    """precheck.toml: kinds, remedies per rule, in every language."""
    return _load("precheck.toml")


@lru_cache(maxsize=1)
def plan_expectations() -> dict:
    """monitoring_plan.toml: what a month's bundle holds for its monitoring plan."""
    return _load("monitoring_plan.toml")


def _say(table: Mapping[str, str], lang: str) -> str:
    return table.get(lang, table["en"])


def stream_name(stream: str | None, lang: str) -> str:
    """A stream as the plant calls it: its first label in the language (`coke`, `焦炭`)."""
    if not stream:
        return ""
    known = streams().get(stream)
    if known is None:
        return stream
    chinese = [lbl for lbl in known.labels if not lbl.isascii()]
    return chinese[0] if lang == "zh" and chinese else known.labels[0]


def number(value: float | None) -> str:
    """A figure as the plant wrote or read it: thousands separated, no trailing zeros."""
    if value is None:
        return "-"
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return text or "0"


def place(p: Provenance) -> str:
    """Where a value stands, for the plant to look: "file p.2" or "file Sheet!B7"."""
    return p.file + (f" p.{p.page}" if p.page else "") + (f" {p.cell}" if p.cell else "")


def places(evidence: Iterable[Provenance]) -> list[str]:
    return list(dict.fromkeys(place(p) for p in evidence))


def _short(where: list[str], most: int = 3) -> str:
    """The first places of an item for its remedy (all of them stand in `where`)."""
    return ", ".join(where[:most]) + (" …" if len(where) > most else "") if where else "-"


# --- the monitoring plan ---------------------------------------------------------------------


@dataclass(frozen=True)
class PlanGap:
    """One thing the month's bundle lacks against its monitoring plan."""

    rule: str  # PLAN-ABSENT | PLAN-STREAM | PLAN-DOCUMENT | PLAN-SAMPLING
    period: str | None = None
    stream: str | None = None
    values: dict[str, object] = field(default_factory=dict)  # document, required, found, ...
    where: tuple[str, ...] = ()


def _activity_kinds(records: list, stream: str, month: str) -> set[str]:
    """The document kinds whose records show the stream in use in the month."""
    kinds: set[str] = set()
    first, last = month_bounds(month)
    for r in records:
        if isinstance(r, FuelInvoice) and (r.date is None or first <= r.date <= last) and any(
                line.stream == stream for line in r.lines):
            kinds.add("fuel_invoice")
        elif isinstance(r, MeterRecord | StockRecord) and r.stream == stream and r.period == month:
            kinds.add("meter_record" if isinstance(r, MeterRecord) else "stock_record")
        elif isinstance(r, ProductionRecord) and r.product == stream and r.period == month:
            kinds.add("production_record")
    return kinds


def _samples(records: list, stream: str, month: str) -> list[LabReport]:
    """The stream's lab reports sampled in the month, one per sampling date."""
    by_day: dict[dt.date, LabReport] = {}
    for r in records:
        if (isinstance(r, LabReport) and r.stream == stream and r.sampling_date is not None
                and month_of(r.sampling_date) == month):
            by_day.setdefault(r.sampling_date, r)
    return list(by_day.values())


def _stream_gaps(sid: str, plan: StreamPlan, records: list, month: str) -> list[PlanGap]:
    spec = plan_expectations()
    kind = streams()[sid].kind if sid in streams() else "fuel"
    gaps = []
    wanted = spec["activity_documents"].get(kind, [])
    if wanted and not _activity_kinds(records, sid, month) & set(wanted):
        document = "activity" if len(wanted) > 1 else wanted[0]
        gaps.append(PlanGap("PLAN-STREAM", month, sid, {"document": document, "need": "activity"}))
    if plan.measured and kind == "fuel":
        found = _samples(records, sid, month)
        required = spec["samples_per_month"].get(plan.sampling or "monthly")
        if not found:
            gaps.append(PlanGap("PLAN-STREAM", month, sid,
                                {"document": "lab_report", "need": "lab_report"}))
        elif required is not None and len(found) < required:
            gaps.append(PlanGap("PLAN-SAMPLING", month, sid,
                                {"frequency": plan.sampling or "monthly", "required": required,
                                 "found": len(found)},
                                tuple(places(r.source for r in found))))
    return gaps


def plan_gaps(plan: Mapping[str, StreamPlan], period: str, records: list,
              documents: list[Document]) -> list[PlanGap]:
    """Each month of the period against the monitoring plan: every stream with the documents of
    its activity and, measured, its lab reports as often as the plan samples; every month with
    its stock ledger and production record. No plan: that is the one gap."""
    spec = plan_expectations()
    read = {d.kind.value for d in documents if d.status == DocumentStatus.PARSED}
    months = months_of(period)
    gaps = [PlanGap("PLAN-ABSENT")] if not plan else []
    for kind in spec["bundle_documents"]:
        if kind not in read:
            gaps += [PlanGap("PLAN-DOCUMENT", month, None, {"document": kind}) for month in months]
    for month in months:
        for sid, stream_plan in plan.items():
            gaps += _stream_gaps(sid, stream_plan, records, month)
    return gaps


def deadline(period: str) -> dt.date | None:
    """The month's filing deadline (month end + the plan's days); None for a range."""
    if ".." in period:
        return None
    days = plan_expectations()["deadline_days_after_month_end"]
    return month_bounds(period)[1] + dt.timedelta(days=days)


# --- fix items ---------------------------------------------------------------------------------


def blocks(f: Finding) -> Blocks:
    """What a finding would do to the opinion: a scope limitation, a misstatement, or neither."""
    if f.scope_limitation or f.rule in SCOPE_RULES:
        return Blocks.SCOPE
    return Blocks.MISSTATEMENT if f.severity == Severity.MISSTATEMENT else Blocks.NONE


def _entry(rule: str) -> dict:
    return wording()["rules"].get(rule, wording()["default"])


def _remedy(rule: str, lang: str, **values: object) -> str:
    return _say(_entry(rule), lang).format(**values)


def _covered(gap: PlanGap, findings: list[Finding]) -> bool:
    need = str(gap.values.get("need", ""))
    return any(f.rule in COVERS.get(need, ()) and f.stream == gap.stream
               and (f.period or gap.period) == gap.period for f in findings)


def _finding_item(i: int, f: Finding, result: RunResult, lang: str) -> FixItem:
    where = places(f.evidence)
    period = f.period or result.period
    todo = _remedy(f.rule, lang, stream=stream_name(f.stream, lang) or "-", period=period,
                   files=_short(where), claimed=number(f.claimed),
                   evidenced=number(f.evidenced), impact=number(f.impact_tco2))
    return FixItem(no=0, kind=_entry(f.rule)["kind"], rule=f.rule, blocks=blocks(f),
                   impact_tco2=f.impact_tco2, stream=f.stream, period=period, what=f.message,
                   todo=todo, where=where, finding_id=result.finding_id(i))


def _gap_item(gap: PlanGap, lang: str) -> FixItem:
    spec = plan_expectations()
    values = dict(gap.values)
    if "document" in values:
        values["document"] = _say(spec["document"][str(values["document"])], lang)
    if "frequency" in values:
        frequency = spec["frequency"].get(str(values["frequency"]))
        values["frequency"] = _say(frequency, lang) if frequency else values["frequency"]
    values |= {"stream": stream_name(gap.stream, lang), "period": gap.period or ""}
    return FixItem(no=0, kind=_entry(gap.rule)["kind"], rule=gap.rule, blocks=Blocks.NONE,
                   stream=gap.stream, period=gap.period,
                   what=_say(spec["what"][gap.rule], lang).format(**values),
                   todo=_remedy(gap.rule, lang, **values), where=list(gap.where))


def _material_item(result: RunResult, lang: str) -> FixItem:
    m = result.materiality
    return FixItem(no=0, kind=_entry("MATERIALITY")["kind"], rule="MATERIALITY",
                   blocks=Blocks.MISSTATEMENT, impact_tco2=m.misstatement_tco2,
                   period=result.period, what=result.opinion_reason,
                   todo=_remedy("MATERIALITY", lang, impact=number(m.misstatement_tco2)))


def _cost(item: FixItem) -> tuple:
    """Most costly first: the tCO2 it moves, then what it blocks."""
    return (-abs(item.impact_tco2 or 0.0), BLOCK_RANK[item.blocks])


def fix_items(result: RunResult, gaps: list[PlanGap], lang: str = "en") -> list[FixItem]:
    """Every finding and every plan gap no finding already says, as numbered fix items, most
    costly first; the material misstatement they add up to, if any, last."""
    items = [_finding_item(i, f, result, lang) for i, f in enumerate(result.findings)]
    items += [_gap_item(g, lang) for g in gaps if not _covered(g, result.findings)]
    items.sort(key=_cost)  # stable: equal costs keep the catalogue's order
    if result.materiality.material:
        items.append(_material_item(result, lang))
    return [item.model_copy(update={"no": n}) for n, item in enumerate(items, start=1)]


def precheck(result: RunResult, plan: Mapping[str, StreamPlan], records: list,
             lang: str = "en") -> Precheck:
    """The bundle's pre-check: its fix list against the findings and the monitoring plan."""
    gaps = plan_gaps(plan, result.period, records, result.documents)
    due = deadline(result.period)
    m = result.materiality
    return Precheck(facility_id=result.facility.id, facility_name=result.facility.name,
                    period=result.period, lang=lang, deadline=due.isoformat() if due else None,
                    opinion=result.opinion.value, misstatement_tco2=m.misstatement_tco2,
                    misstatement_pct=m.misstatement_pct, threshold_pct=m.threshold_pct,
                    items=fix_items(result, gaps, lang))

