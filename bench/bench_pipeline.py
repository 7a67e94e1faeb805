"""Issue 17's figures, all in one run on files generated in that run (`make bench`).

    python bench/bench_pipeline.py            # the issue's sizes (long: hours on 2 loaded cores)
    python bench/bench_pipeline.py --quick    # small sets, to iterate
    python bench/bench_pipeline.py --sets month --repeat 3 --work /tmp/bench

Sets: `month` (one facility, one month, ~60 documents), `year` (facilities x 12 months of
text-layer bundles; --facilities, --months), `scans` (one month, --scanned-share of the PDFs
image-only). On each set's files: B0 and B1 (bench/baselines.py), then the pipeline as a new
process per measurement, as a user runs it: cold (empty cache, database and output), warm
(nothing changed), one changed file (bytes appended to one PDF), with 1 and 2 workers; the
Prefect engine too when PREFECT_API_URL names a running server. Each figure is the median of
--repeat runs; peak RSS is the largest sum over the process and its workers. Writes
bench/RESULTS.md (--results) with the machine, versions, figures and the targets' ratios.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from baselines import b0, b1, evidence_files  # noqa: E402

CHILD = ROOT / "bench" / "pipeline_child.py"
VERSIONS = ("pdfplumber", "pypdfium2", "openpyxl", "weasyprint", "fonttools", "pydyf", "prefect",
            "pydantic", "sqlmodel")


# --- the sets ---------------------------------------------------------------------------


@dataclass
class Set:
    name: str
    bundles: list[Path]
    generated_s: float
    files: list[Path] = field(default_factory=list)


def bundles_under(root: Path) -> list[Path]:
    """The generator writes <facility>/<period>/bundle/ with truth.json beside it."""
    return sorted(p.parent / "bundle" for p in root.rglob("truth.json"))


def make_set(name: str, work: Path, args) -> Set:
    """Generate one set with the truth-known generator; its wall time is a figure too."""
    from fixtures.generate.run import facility, generate

    out = work / name
    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    if name == "month":
        facility(out, args.seed, 0, ["2025-03"], "mixed", 0.0, False, {},
                 profile_overrides={"invoice_count": (13, 14)}, jobs=args.jobs)
    elif name == "year":
        generate(out, args.seed, args.facilities, args.months, [], jobs=args.jobs)
    elif name == "scans":
        generate(out, args.seed + 1, 1, 1, [], scanned_share=args.scanned_share, jobs=args.jobs)
    else:
        raise SystemExit(f"unknown set {name!r}")
    found = Set(name, bundles_under(out), time.perf_counter() - t0)
    found.files = evidence_files(found.bundles)
    return found


# --- one measured process -----------------------------------------------------------------


def tree_rss(proc) -> int:
    """Resident bytes of a process and all its descendants now."""
    import psutil

    total = 0
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    for p in procs:
        with contextlib.suppress(psutil.Error):  # a worker that ended meanwhile
            total += p.memory_info().rss
    return total


def child(bundles: list[Path], workers: int, state: Path, engine: str = "local",
          refresh: bool = False, env: dict | None = None) -> dict:
    """Run the pipeline in a new process over `bundles`, keeping cache, database and outputs in
    `state`; wall seconds, peak RSS of the process tree and what the child reported."""
    import psutil

    state.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, str(CHILD), "--workers", str(workers), "--cache", str(state / "cache"),
           "--db", f"sqlite:///{state}/runs.db", "--out", str(state / "out"),
           "--engine", engine, *(["--refresh"] if refresh else []), *map(str, bundles)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})
    watched, peak = psutil.Process(proc.pid), 0
    while proc.poll() is None:
        peak = max(peak, tree_rss(watched))
        time.sleep(0.1)
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"pipeline failed ({proc.returncode}):\n{err[-3000:]}")
    report = json.loads(out.strip().splitlines()[-1])
    return {**report, "wall": wall, "peak_rss": peak}


def median_of(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def change_one_file(s: Set, n: int) -> Path:
    """Append bytes after %%EOF of the set's first PDF: same pages, a new SHA-256."""
    pdf = next(p for p in s.files if p.suffix.lower() == ".pdf")
    with pdf.open("ab") as fh:
        fh.write(f"\n% changed {n}\n".encode())
    return pdf


def measure_set(s: Set, args, work: Path) -> dict:
    """Every figure of one set."""
    fig: dict = {"set": s.name, "bundles": len(s.bundles), "generated_s": s.generated_s}
    floors0 = [b0(s.files) for _ in range(args.repeat)]
    floors1 = [b1(s.files) for _ in range(args.repeat)]
    fig["B0"] = statistics.median(f.seconds for f in floors0)
    fig["B1"] = statistics.median(f.seconds for f in floors1)
    fig["pdf_pages"], fig["pdfs"], fig["workbooks"] = (floors0[0].pages, floors0[0].pdfs,
                                                        floors0[0].workbooks)
    for workers in args.workers:
        colds = []
        for r in range(args.repeat):
            state = work / "state" / f"{s.name}-w{workers}-{r}"
            shutil.rmtree(state, ignore_errors=True)
            colds.append(child(s.bundles, workers, state))
        fig[f"cold_w{workers}"] = colds
        if workers != args.workers[-1] and s.name != "month":
            continue
        warm = [child(s.bundles, workers, state) for _ in range(args.repeat)]
        changed = []
        for r in range(args.repeat):
            change_one_file(s, r)
            changed.append(child(s.bundles, workers, state))
        fig[f"warm_w{workers}"], fig[f"changed_w{workers}"] = warm, changed
    if os.environ.get("PREFECT_API_URL") and s.name in args.prefect_sets:
        w = args.workers[-1]
        prefect = []
        for r in range(args.repeat):
            state = work / "state" / f"{s.name}-prefect-{r}"
            shutil.rmtree(state, ignore_errors=True)
            prefect.append(child(s.bundles, w, state, engine="prefect",
                                 env={"PREFECT_LOCAL_STORAGE_PATH": str(state / "prefect")}))
        fig["prefect"] = prefect
    return fig


# --- the write-up -------------------------------------------------------------------------


def machine() -> list[str]:
    import importlib.metadata as md

    versions = []
    for name in VERSIONS:
        try:
            versions.append(f"{name} {md.version(name)}")
        except md.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    subset = any(Path(d, "libharfbuzz-subset.so.0").exists()
                 for d in ("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/usr/lib"))
    load = os.getloadavg()
    return [f"- {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
            f"- load average at the end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} "
            "(the machine is shared: compare ratios, not absolute times)",
            f"- libharfbuzz-subset: {'present' if subset else 'absent'}",
            "- " + ", ".join(versions)]


def _stage_shares(runs: list[dict]) -> str:
    wall = median_of(runs, "wall")
    stages: dict[str, float] = {"start-up": statistics.median(r["import"] for r in runs)}
    for name in runs[0]["stages"]:
        stages[name] = statistics.median(r["stages"].get(name, 0.0) for r in runs)
    stages["other"] = max(0.0, wall - sum(stages.values()))
    return ", ".join(f"{k} {100 * v / wall:.0f} %" for k, v in stages.items())


def _row(label: str, runs: list[dict], floor: float) -> str:
    wall = median_of(runs, "wall")
    rss = max(r["peak_rss"] for r in runs) / 2**20
    docs, pages = runs[0]["docs"], runs[0]["pages"]
    return (f"| {label} | {wall:.2f} | {wall / floor:.2f} | {docs / wall:.1f} | "
            f"{pages / wall:.1f} | {rss:.0f} | {runs[0]['reused']} | {runs[0]['rendered']} | "
            f"{len(runs)} |")


def write_results(figs: list[dict], path: Path, args, started: float) -> str:
    lines = ["# Pipeline speed (issue 17)", "",
             f"Written by `python bench/bench_pipeline.py {' '.join(args.argv)}` in "
             f"{(time.time() - started) / 60:.0f} min. Every pipeline figure is a new process "
             "(start-up included) over every bundle of the set, one `run` per bundle; "
             f"medians of {args.repeat}.", "", "## Machine", "", *machine(), ""]
    for fig in figs:
        lines += [f"## Set `{fig['set']}`: {fig['bundles']} bundles, {fig['pdfs']} PDFs "
                  f"({fig['pdf_pages']} pages), {fig['workbooks']} workbooks", "",
                  f"- generated in {fig['generated_s']:.1f} s (jobs={args.jobs})",
                  f"- B0 (pdfplumber text + openpyxl load): {fig['B0']:.2f} s; "
                  f"B1 (pypdfium2 text + openpyxl load): {fig['B1']:.2f} s", "",
                  "| run | wall s | / B0 | docs/s | pages/s | peak RSS MiB | reused | "
                  "reports written | runs |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        keys = [k for k in fig if k.split("_")[0] in ("cold", "warm", "changed")] + \
               (["prefect"] if "prefect" in fig else [])
        for key in keys:
            lines.append(_row(key.replace("_w", ", workers "), fig[key], fig["B0"]))
        lines += ["", "Stage shares:", ""]
        for key in keys:
            lines.append(f"- {key}: {_stage_shares(fig[key])}")
        lines += ["", *targets(fig), ""]
    text = "\n".join(lines) + "\n"
    path.write_text(text, "utf-8")
    return text


def targets(fig: dict) -> list[str]:
    """The issue's targets for this set, measured here."""
    out = ["Targets:", ""]
    w = max(int(k.split("_w")[1]) for k in fig if k.startswith("cold_w"))
    cold = median_of(fig[f"cold_w{w}"], "wall")
    out.append(f"- P1 cold / B0 = {cold / fig['B0']:.2f} (target <= 1.0)")
    if f"warm_w{w}" in fig:
        warm = median_of(fig[f"warm_w{w}"], "wall")
        changed = median_of(fig[f"changed_w{w}"], "wall")
        out.append(f"- P3 warm / cold = {100 * warm / cold:.1f} % (target <= 5 %); one changed "
                   f"file {changed:.2f} s (target <= 3 s)")
    if "cold_w1" in fig and w > 1:
        one = median_of(fig["cold_w1"], "wall")
        out.append(f"- P4 {w} workers speed-up = {one / cold:.2f}x (target >= 1.8x)")
    rss = max(r["peak_rss"] for k in fig if k.startswith("cold_w") for r in fig[k]) / 2**30
    out.append(f"- P5 peak RSS = {rss:.2f} GiB (target <= 1 GiB)")
    if fig["set"] == "year":
        out.append(f"- P2 cold = {cold:.1f} s (target <= 60 s for 3 facilities x 12 months)")
    if "prefect" in fig:
        out.append(f"- P6 Prefect / local = {median_of(fig['prefect'], 'wall') / cold:.2f} "
                   "(target <= 1.15)")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sets: 1 facility x 2 months")
    ap.add_argument("--sets", nargs="*", default=["month", "year", "scans"])
    ap.add_argument("--facilities", type=int, default=3)
    ap.add_argument("--months", type=int, default=12)
    ap.add_argument("--scanned-share", type=float, default=0.2)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workers", type=int, nargs="*", default=[1, 2])
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="generator processes")
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--prefect-sets", nargs="*", default=["month"])
    ap.add_argument("--work", type=Path, help="where sets and state go (default: a temp folder)")
    ap.add_argument("--results", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = ap.parse_args()
    args.argv = sys.argv[1:]
    if args.quick:
        args.facilities, args.months = 1, 2
    started = time.time()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-pipeline-"))
    figs = []
    for name in args.sets:
        s = make_set(name, work, args)
        print(f"{name}: {len(s.bundles)} bundles, {len(s.files)} files, generated in "
              f"{s.generated_s:.1f} s", flush=True)
        figs.append(measure_set(s, args, work))
        print(write_results(figs, args.results, args, started), flush=True)


if __name__ == "__main__":
    main()
