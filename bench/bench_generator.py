"""Time the evidence generator on a one-month bundle of about 60 documents.

    python bench/bench_generator.py [--jobs N] [--out DIR]

Prints documents per second for a cold run (imports, fonts) and a warm one, per job count.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fixtures.generate.run import facility  # noqa: E402


def one(out: Path, seed: int, jobs: int) -> tuple[int, float]:
    t0 = time.perf_counter()
    truth = facility(out, seed, 0, ["2025-03"], "mixed", 0.0, False,
                     {(0, 0): ["duplicate_invoice", "unit_slip", "unrelated_document"]},
                     profile_overrides={"invoice_count": (13, 14)}, jobs=jobs)[0]
    return len(truth["documents"]), time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", type=int, nargs="*", default=[1, os.cpu_count() or 1])
    ap.add_argument("--out")
    args = ap.parse_args()
    base = Path(args.out or tempfile.mkdtemp(prefix="bench-gen-"))
    for jobs in args.jobs:
        for label, seed in (("cold" if jobs == args.jobs[0] else "warm", 1), ("warm", 2)):
            n, secs = one(base / f"j{jobs}-{seed}", seed, jobs)
            print(f"jobs={jobs} {label}: {n} documents in {secs:.2f} s = {n / secs:.1f} docs/s")


if __name__ == "__main__":
    main()
