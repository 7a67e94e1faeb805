"""Every value read by OCR was read with confidence.

Why: a scanned page is read by OCR, and OCR can take one figure for another; a value read
with a low score must be checked by eye against the original, never used silently
(docs/verification.md, scanned evidence; an extension of docs/domain.md s5's DOC rules).
Fails: a document whose fields (invoice lines, lab results, record values included) carry an
OCR confidence below `ocr_min_confidence`, naming each value with its page and box. A doubt on a
value that moves an emission (a quantity, a unit, a lab result, a stock or production figure, a
date or invoice number that places or de-duplicates it) is a non-conformity, one per document;
a doubt on a field that moves none (tax rate, amount, description, names) is the tool's note
about the evidence, not the plant's fault: an observation, kept apart (one per document).
Passes: every value came from a text layer or a spreadsheet, or OCR read it with at least that
confidence.
"""

from __future__ import annotations

from collections.abc import Iterator

from verify.domain.rules.base import RuleContext, fmt, message
from verify.model.records import Finding, Provenance, Severity, Sourced

ID = "DOC-OCR-CONFIDENCE"
NAME = "values read by ocr with confidence"
SEVERITY = Severity.NON_CONFORMITY
PARAMETERS: tuple[str, ...] = ("ocr_min_confidence",)
SHOWN = 6  # values named in a message; the evidence lists them all
# Field names whose value enters a verified figure, or decides which month or invoice it counts
# in; a low OCR score on one of these is a non-conformity. Any other field is an observation.
EMISSION_FIELDS = frozenset({
    "number", "code", "date", "quantity", "unit", "stream", "value", "basis", "parameter",
    "sampling_date", "report_date", "accreditation", "opening", "received", "consumed",
    "closing", "outbound", "period", "product", "total"})


def moves_emissions(path: str) -> bool:
    """Whether a field path ("lines[0].quantity") names a value that moves an emission."""
    return path.rsplit(".", 1)[-1] in EMISSION_FIELDS


def sourced_values(record: Sourced, prefix: str = "") -> Iterator[tuple[str, Provenance]]:
    """(field path, provenance) of every field of a record and of its lines or results."""
    for name, prov in record.sources.items():
        yield prefix + name, prov
    for list_name in ("lines", "results"):
        for i, item in enumerate(getattr(record, list_name, None) or []):
            yield from sourced_values(item, f"{prefix}{list_name}[{i}].")


def check(ctx: RuleContext) -> Iterator[Finding]:
    floor = ctx.thresholds.ocr_min_confidence
    ev = ctx.evidence
    low: dict[str, list[tuple[str, Provenance]]] = {}
    for record in [*ev.invoices, *ev.labs, *ev.production, *ev.stock, *ev.meters]:
        for path, prov in sourced_values(record):
            if prov.ocr and prov.confidence is not None and prov.confidence < floor:
                low.setdefault(prov.file, []).append((path, prov))
    for file, values in low.items():
        relevant = [v for v in values if moves_emissions(v[0])]
        notes = [v for v in values if not moves_emissions(v[0])]
        for group, severity, key in ((relevant, SEVERITY, ID),
                                     (notes, Severity.OBSERVATION, f"{ID}-NOTE")):
            if group:
                yield _finding(ctx, file, group, severity, key, floor)


def _finding(ctx: RuleContext, file: str, values: list[tuple[str, Provenance]],
             severity: Severity, key: str, floor: float) -> Finding:
    named = "; ".join(f"{path} '{p.text}' ({fmt(p.confidence, 2)}, p.{p.page})"
                      for path, p in values[:SHOWN])
    more = len(values) - SHOWN
    return Finding(
        rule=ID, severity=severity, threshold=f"confidence >= {floor:g}",
        evidence=[p for _, p in values],
        message=message(key, ctx.lang, documents=file, count=len(values),
                        values=named + (f" (+{more})" if more > 0 else ""),
                        threshold=f"{floor:g}"),
    )
