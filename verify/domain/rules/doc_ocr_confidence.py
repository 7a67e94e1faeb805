"""Every value read by OCR was read with confidence.

Why: a scanned page is read by OCR, and OCR can take one figure for another; a value read
with a low score must be checked by eye against the original, never used silently
(docs/verification.md, scanned evidence; an extension of docs/domain.md s5's DOC rules).
Fails: a document whose fields (invoice lines, lab results, record values included) carry an
OCR confidence below `ocr_min_confidence`; one finding per document, naming each value with its
page and box. Passes: every value came from a text layer or a spreadsheet, or OCR read it with
at least that confidence.
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
        named = "; ".join(f"{path} '{p.text}' ({fmt(p.confidence, 2)}, p.{p.page})"
                          for path, p in values[:SHOWN])
        more = len(values) - SHOWN
        yield Finding(
            rule=ID, severity=SEVERITY, threshold=f"confidence >= {floor:g}",
            evidence=[p for _, p in values],
            message=message(ID, ctx.lang, documents=file, count=len(values),
                            values=named + (f" (+{more})" if more > 0 else ""),
                            threshold=f"{floor:g}"),
        )
