"""Score the whole pipeline on the invoice layouts plants send: generated bundles whose invoices
are re-printed (`python -m fixtures layouts`) as German, French, Dutch and Polish fuel invoices
and as 数电 invoices the national platform prints, run end to end, fields compared with truth.

    python bench/score_layouts.py [--seeds 7 8] [--share 1.0] [--out DIR]

Per layout: fields right / fields in truth; the last line `layouts: R of T fields = P %` counts
the re-printed layouts only (eu_*, cn_shudian).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from fixtures.generate.relayout import relayout
from fixtures.score import field_accuracy

ROOT = Path(__file__).resolve().parents[1]
NEW = ("eu_", "cn_shudian")


def _run(*args: str) -> None:
    subprocess.run([sys.executable, *args], check=True, capture_output=True, cwd=ROOT)


def score_seed(seed: int, share: float, out: Path) -> dict[str, tuple[int, int]]:
    """Generate, re-print, run, score: per layout (right, total)."""
    gen = out / f"seed{seed}"
    _run("-m", "fixtures", "generate", "--seed", str(seed), "--lang", "mixed", str(gen))
    truth_path = next(gen.rglob("truth.json"))
    relayout(truth_path.parent / "bundle", share, seed)
    run = out / f"run{seed}"
    _run("-m", "verify.cli", "run", str(truth_path.parent / "bundle"), "--out", str(run))
    truth = json.loads(truth_path.read_text("utf-8"))
    records = json.loads((run / "records.json").read_text("utf-8"))
    return field_accuracy(truth["documents"], records, group=lambda d: d["layout"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[7, 8])
    ap.add_argument("--share", type=float, default=1.0)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="score-layouts-"))
    totals: dict[str, tuple[int, int]] = {}
    for seed in args.seeds:
        for layout, (r, t) in score_seed(seed, args.share, out).items():
            r0, t0 = totals.get(layout, (0, 0))
            totals[layout] = (r0 + r, t0 + t)
    for layout, (r, t) in sorted(totals.items()):
        print(f"{layout:<20} {r}/{t} = {r / t:.4f}")
    new = [v for k, v in totals.items() if k.startswith(NEW)]
    right, total = sum(r for r, _ in new), sum(t for _, t in new)
    old = [v for k, v in totals.items() if not k.startswith(NEW)]
    print(f"earlier layouts: {sum(r for r, _ in old)} of {sum(t for _, t in old)} fields")
    print(f"layouts: {right} of {total} fields = {100 * right / max(total, 1):.2f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main())
