"""Time workpapers.xlsx: writing it, and LibreOffice recalculating it, for a verified bundle.

Run: python bench/bench_workpapers.py [BUNDLE] [--repeat 3]
BUNDLE defaults to the shipped sample (one month); a year is made with
`python -m fixtures generate --annual --seed 7 DIR` (bundle in DIR/<facility>/2025/bundle).
The bundle is read and concluded once, untimed; then the workbook is written `--repeat` times
per language (median seconds), and LibreOffice headless opens and recalculates one copy (one
start; seconds include it). Prints sheets, formulas, cells, size and the times.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from openpyxl import load_workbook

from fixtures import sample_bundle
from verify.pipeline import RunOptions, run_bundle
from verify.report.workpapers import write_workpapers


def _recalculate(path: Path, out: Path) -> float:
    soffice = shutil.which("soffice")
    if soffice is None:
        return float("nan")
    start = time.perf_counter()
    subprocess.run([soffice, f"-env:UserInstallation=file://{out / 'profile'}", "--headless",
                    "--norestore", "--convert-to", "xlsx", "--outdir", str(out), str(path)],
                   check=True, capture_output=True, timeout=600)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", nargs="?", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    bundle = args.bundle or sample_bundle()
    outcome = run_bundle(bundle, RunOptions(store=False, workers=1))
    result, records = outcome.result, outcome.records
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for lang in ("en", "zh"):
            times = []
            for n in range(args.repeat):
                start = time.perf_counter()
                path = write_workpapers(result, records, folder / f"w-{lang}-{n}.xlsx", lang)
                times.append(time.perf_counter() - start)
            print(f"write {lang}: {statistics.median(times):.2f} s (median of {args.repeat})")
        wb = load_workbook(path)
        cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row
                 if c.value is not None]
        formulas = sum(c.data_type == "f" for c in cells)
        print(f"{result.period}: {len({s.name for s in result.streams})} streams, "
              f"{len(result.streams)} stream-months, {len(wb.sheetnames)} sheets, "
              f"{len(cells)} cells, {formulas} formulas, {path.stat().st_size / 1024:.0f} KiB")
        print(f"LibreOffice open + recalculate + save: {_recalculate(path, folder / 'lo'):.1f} s")


if __name__ == "__main__":
    main()
