"""Compare extracted records with a generated bundle's truth.json, field by field."""

from __future__ import annotations

import json
from pathlib import Path

from extractors.discover import discover
from extractors.read import extract_file

DROP = {"source", "sources"}


def _clean(value):
    """A record as JSON without provenance, for comparison with the truth."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if k not in DROP}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and abs(float(a) - float(b)) <= 1e-6 * max(1, abs(b))
    return a == b


def diff(got, want, path: str = "") -> list[str]:
    """Every field where `got` differs from `want`, as 'path: got != want'."""
    if isinstance(want, dict) and isinstance(got, dict):
        return [d for k in want for d in diff(got.get(k), want[k], f"{path}.{k}")]
    if isinstance(want, list) and isinstance(got, list):
        if len(got) != len(want):
            return [f"{path}: {len(got)} items != {len(want)}"]
        return [d for i, (g, w) in enumerate(zip(got, want, strict=True))
                for d in diff(g, w, f"{path}[{i}]")]
    return [] if _same(got, want) else [f"{path}: {got!r} != {want!r}"]


def count_fields(want) -> int:
    if isinstance(want, dict):
        return sum(count_fields(v) for v in want.values())
    if isinstance(want, list):
        return sum(count_fields(v) for v in want) or 1
    return 1


def compare_bundle(truth_path: Path) -> dict:
    """Per document: kind match and field differences; totals of fields compared and wrong."""
    truth = json.loads(truth_path.read_text("utf-8"))
    bundle = discover(truth_path.parent / "bundle")
    by_file = {doc.file: (doc, path) for doc, path in bundle.entries}
    report = {"documents": [], "fields": 0, "wrong": 0, "kinds_wrong": 0}
    for want in truth["documents"]:
        doc, path = by_file[want["file"]]
        got = extract_file(path, doc)
        entry = {"file": want["file"], "kind": got.document.kind.value, "want_kind": want["kind"],
                 "status": got.document.status.value, "error": got.document.error, "diffs": []}
        if want["kind"] != "claim" and want.get("readable", True):
            records = [_clean(r.model_dump(mode="json")) for r in got.records]
            entry["diffs"] = diff(records, want["records"], "records")
            report["fields"] += count_fields(want["records"])
            report["wrong"] += len(entry["diffs"])
        report["kinds_wrong"] += got.document.kind.value != want["kind"]
        report["documents"].append(entry)
    return report
