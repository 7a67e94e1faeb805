"""Rule recall and precision per rule, extraction accuracy, total error and opinion agreement,
over generated bundles whose truth is known.

    python bench/score_catalogue.py --facilities 1 --months 3 --defects all --seed 11
    python bench/score_catalogue.py --one-by-one --months 2     # each defect switched on alone
    python bench/score_catalogue.py --annual --defects all       # one 12-month bundle
    python bench/score_catalogue.py --annual --one-by-one --only small_differences,lab_other_month

Generates the bundles, runs the local pipeline on each (no store), scores with fixtures.score.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from fixtures.score import score
from verify.model.result import to_findings_json
from verify.pipeline import RunOptions, run_bundle

DEFECTS = ["duplicate_invoice", "out_of_period_invoice", "invoice_arithmetic", "unit_slip", "ncv_mismatch", "cc_mismatch", "missing_lab", "lab_no_accreditation", "late_lab", "stock_discontinuity", "recompute_error", "tieout_error", "unclaimed_fuel", "trend_break", "intensity_range", "production_mismatch", "corrupt_pdf", "encrypted_pdf", "empty_file", "unrelated_document", "lab_out_of_range", "lab_incomplete", "meter_mismatch", "annual_tieout_error", "stock_balance_error", "small_differences", "missing_production_evidence", "lab_other_month", "duplicate_multiline_invoice", "period_mismatch"]


def generate(out: Path, seed: int, facilities: int, months: int, defects: str, lang: str,
             scanned_share: float = 0.0, annual: bool = False) -> None:
    cmd = [sys.executable, "-m", "fixtures", "generate", str(out), "--seed", str(seed),
           "--facilities", str(facilities), "--months", str(months), "--defects", defects,
           "--lang", lang, "--scanned-share", str(scanned_share)] + (["--annual"] if annual else [])
    subprocess.run(cmd, check=True, capture_output=True)


def run_all(root: Path) -> list[tuple[dict, dict, list]]:
    """(findings.json, truth, records) for every bundle under root."""
    out = []
    for truth_path in sorted(root.rglob("truth.json")):
        truth = json.loads(truth_path.read_text("utf-8"))
        outcome = run_bundle(truth_path.parent / "bundle", RunOptions(store=False, out=None))
        records = {}
        for r in outcome.records:
            records.setdefault(r.source.file, []).append(r.model_dump(mode="json"))
        got = [{"file": f, "records": rs} for f, rs in records.items()]
        out.append((to_findings_json(outcome.result), truth, got))
    return out


def table(results: list[tuple[dict, dict, list]]) -> str:
    """Per rule: expected, found, missed, extra; then totals."""
    expected, hit, extra = Counter(), Counter(), Counter()
    total_err, opinions, right, fields = 0.0, 0, 0, 0
    misses: list[str] = []
    for findings, truth, records in results:
        s = score(findings, truth, records)
        for f in truth["expected"]["findings"]:
            expected[f["rule"]] += 1
        if s.missed or s.extra:
            misses.append(f"  {truth.get('bundle', '?')}: missed {s.missed} extra {s.extra}")
        for key in s.missed:
            hit[key[0]] -= 1
        for key in s.extra:
            extra[key[0]] += 1
        total_err = max(total_err, s.total_error or 0.0)
        opinions += s.opinion_match
        r = sum(a for a, _ in s.fields.values())
        right, fields = right + r, fields + sum(t for _, t in s.fields.values())
    lines = [f"{'rule':<22}{'expected':>9}{'missed':>8}{'extra':>7}{'recall':>8}{'precision':>10}"]
    for rule in sorted(set(expected) | set(extra)):
        found = expected[rule] + hit[rule]
        recall = found / expected[rule] if expected[rule] else 1.0
        precision = found / (found + extra[rule]) if found + extra[rule] else 1.0
        lines.append(f"{rule:<22}{expected[rule]:>9}{-hit[rule]:>8}{extra[rule]:>7}"
                     f"{recall:>8.3f}{precision:>10.3f}")
    lines.append(f"bundles {len(results)}, opinion right {opinions}/{len(results)}, "
                 f"max verified-total error {total_err:.2f} t, "
                 f"fields right {right}/{fields} = {right / max(fields, 1):.4f}")
    lines += misses
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--facilities", type=int, default=1)
    ap.add_argument("--months", type=int, default=2)
    ap.add_argument("--defects", default="all")
    ap.add_argument("--lang", default="mixed")
    ap.add_argument("--one-by-one", action="store_true")
    ap.add_argument("--scanned-share", type=float, default=0.0,
                    help="share of PDFs made image-only scans (read by OCR)")
    ap.add_argument("--annual", action="store_true", help="one 12-month bundle per facility")
    ap.add_argument("--only", default="", help="with --one-by-one: these switches (comma list)")
    args = ap.parse_args()
    started = time.perf_counter()
    names = [n for n in args.only.split(",") if n] or DEFECTS
    with tempfile.TemporaryDirectory() as tmp:
        sets = ([(d, Path(tmp) / d) for d in names] if args.one_by_one
                else [(args.defects, Path(tmp) / "all")])
        results = []
        for i, (defects, out) in enumerate(sets):
            # A switch keeps its seed whether it runs among all or alone (--only reproduces).
            seed = args.seed + (DEFECTS.index(defects) if defects in DEFECTS else i)
            generate(out, seed, args.facilities, args.months, defects, args.lang,
                     args.scanned_share, args.annual)
            results += run_all(out)
    print(table(results))
    print(f"elapsed {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
