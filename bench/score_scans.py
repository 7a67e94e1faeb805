"""How well scanned (image-only) pages are read: fields exact against the generator's truth.

    python bench/score_scans.py --months 2 --seed 5          # every PDF of the bundles scanned
    python bench/score_scans.py --bundles DIR                 # bundles generated before, e.g.
                                                              # photographed (fixtures photos)

Generates bundles with `--scanned-share 1`, reads every scanned document through the extractors
(OCR included, in the worker pool), and reports per kind the numeric fields exact (the issue's
target is 97 %) and all fields exact; each numeric field not exact is listed as not found, read
wrong but below the DOC-OCR-CONFIDENCE floor (flagged), or read wrong silently.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from extractors.discover import discover
from extractors.worker import extract_many
from fixtures.score import (
    RECORD_KEYS,
    _align,
    _is_number,
    _same,
    _sorted_lists,
    field_accuracy,
)
from verify.domain.thresholds import load_thresholds


def _diff(truth: object, got: object, where: str, out: list[tuple[str, object, object]]) -> None:
    """Leaf paths where the run's value differs from the truth."""
    if isinstance(truth, dict):
        for k, v in truth.items():
            _diff(v, got.get(k) if isinstance(got, dict) else None, f"{where}.{k}", out)
    elif isinstance(truth, list):
        for i, v in enumerate(truth):
            _diff(v, got[i] if isinstance(got, list) and i < len(got) else None, f"{where}[{i}]",
                  out)
    elif truth != got and not (isinstance(truth, float) and isinstance(got, float)
                               and abs(truth - got) < 1e-6):
        out.append((where, truth, got))


def numeric_misses(truth: dict, got: dict | None) -> list[tuple[str, object, object, float | None]]:
    """(field, truth, read, OCR confidence of what was read) for each numeric field not exact;
    lines by position, lab results by parameter and basis."""
    out = []

    def walk(t: dict, g: dict | None, where: str) -> None:
        for k, v in t.items():
            if _is_number(v):
                read = g.get(k) if g else None
                if not _same(v, read):
                    src = (g or {}).get("sources", {}).get(k) or {}
                    out.append((where + k, v, read, src.get("confidence")))
    walk(truth, got, "")
    for i, line in enumerate(truth.get("lines", [])):
        lines = (got or {}).get("lines", [])
        walk(line, lines[i] if i < len(lines) else None, f"lines[{i}].")
    for res in truth.get("results", []):
        match = next((r for r in (got or {}).get("results", [])
                      if (r["parameter"], r.get("basis")) == (res["parameter"], res.get("basis"))),
                     None)
        walk(res, match, f"results[{res['parameter']}].")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--facilities", type=int, default=1)
    ap.add_argument("--months", type=int, default=2)
    ap.add_argument("--lang", default="mixed")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--show", type=int, default=40, help="how many wrong values to list")
    ap.add_argument("--bundles", type=Path, help="score bundles generated before (any scan share)")
    args = ap.parse_args()
    floor = load_thresholds().ocr_min_confidence
    with tempfile.TemporaryDirectory() as tmp:
        if args.bundles:
            tmp = str(args.bundles)
        else:
            subprocess.run([sys.executable, "-m", "fixtures", "generate", tmp, "--seed",
                            str(args.seed),
                            "--facilities", str(args.facilities), "--months", str(args.months),
                            "--defects", "none", "--lang", args.lang, "--scanned-share", "1"],
                           check=True, capture_output=True)
        truth_docs, got_docs, wrong, misses, pages, seconds = [], [], [], [], 0, 0.0
        for truth_path in sorted(Path(tmp).rglob("truth.json")):
            truth = json.loads(truth_path.read_text("utf-8"))
            scans = {d["file"]: d for d in truth["documents"]
                     if d.get("scanned") or d.get("photo")}  # photo: `fixtures photos`
            found = discover(truth_path.parent / "bundle")
            items = [(p, d) for d, p in found.entries if d.file in scans]
            started = time.perf_counter()
            results = extract_many(items, timeout_s=300, workers=args.workers)
            seconds += time.perf_counter() - started
            for (_, _doc), res in zip(items, results, strict=True):
                t = scans[res.document.file]
                pages += t.get("pages") or 0
                recs = [r.model_dump(mode="json") for r in res.records]
                truth_docs.append(t)
                got_docs.append({"file": t["file"], "records": recs})
                aligned = _align(t["records"], recs, RECORD_KEYS.get(t["kind"], ()))
                for rec, other in zip(t["records"], aligned, strict=True):
                    diffs: list = []
                    _diff(_sorted_lists(rec), _sorted_lists(other) if other else None, "", diffs)
                    wrong += [(t["file"], t["kind"], *d) for d in diffs]
                    misses += [(t["file"], *m) for m in numeric_misses(rec, other)]
    numeric = field_accuracy(truth_docs, got_docs, numbers_only=True)
    every = field_accuracy(truth_docs, got_docs)
    print(f"{'kind':<20}{'numeric exact':>18}{'all fields exact':>20}")
    for kind in sorted(every):
        (nr, nt), (ar, at) = numeric.get(kind, (0, 0)), every[kind]
        print(f"{kind:<20}{f'{nr}/{nt} = {nr / max(nt, 1):.4f}':>18}"
              f"{f'{ar}/{at} = {ar / max(at, 1):.4f}':>20}")
    nr, nt = (sum(v[i] for v in numeric.values()) for i in (0, 1))
    ar, at = (sum(v[i] for v in every.values()) for i in (0, 1))
    print(f"{'all':<20}{f'{nr}/{nt} = {nr / max(nt, 1):.4f}':>18}"
          f"{f'{ar}/{at} = {ar / max(at, 1):.4f}':>20}")
    missing = [m for m in misses if m[3] is None]
    flagged = [m for m in misses if m[3] is not None and m[4] is not None and m[4] < floor]
    silent = [m for m in misses if m[3] is not None and m not in flagged]
    print(f"scanned documents {len(truth_docs)}, pages {pages}, read in {seconds:.1f} s "
          f"({pages / max(seconds, 1e-9):.2f} pages/s, {args.workers} workers)")
    print(f"numeric fields not exact {len(misses)}: not found {len(missing)} (the reader notes "
          f"them), read wrong and flagged (confidence < {floor}) {len(flagged)}, "
          f"read wrong silently {len(silent)}")
    for m in misses:
        print("   numeric", *m)
    per_doc = field_accuracy(truth_docs, got_docs, numbers_only=True,
                             group=lambda d: f"{d['file']} ({d['layout']})")
    for name, (r, t) in sorted(per_doc.items(), key=lambda kv: kv[1][0] / max(kv[1][1], 1)):
        if r < t:
            print(f"  numeric {r}/{t}  {name}")
    for w in wrong[: args.show]:
        print("  ", *w)


if __name__ == "__main__":
    main()
