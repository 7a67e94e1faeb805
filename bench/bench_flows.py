"""Orchestration figures (issue 15), each against a baseline measured in the same run.

    PREFECT_API_URL=http://127.0.0.1:4200/api python bench/bench_flows.py sample [--repeat 3]
                                                          [--bundle BUNDLE]
    PREFECT_API_URL=... python bench/bench_flows.py inbox INBOX      # <facility>/<YYYY-MM>/
    PREFECT_API_URL=... python bench/bench_flows.py dask INBOX

sample: `run` with --engine local, then --engine prefect (on the shipped sample, or --bundle),
alternating, `--repeat N` times
(default 3; the median is stated): each first on an empty extraction cache of its own (cold),
then again with what it kept (warm), into a fresh output folder and database each time.
inbox: `reconcile` twice in a row on a fresh outbox and database; the second against the first.
dask: `reconcile --refresh` with the process runner, then with --dask local, fresh outboxes.
Each is a separate `carbon-verify` process, as a user would run it; wall time with start-up.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).parents[1]


def cli(*args: str, env: dict | None = None) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "verify.cli", *args], cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return elapsed


def sample(tmp: Path, repeat: int, bundle: str | None = None) -> None:
    """The Prefect engine against the local engine on the sample (or a bundle), cold and warm."""
    from fixtures import sample_bundle

    bundle = bundle or str(sample_bundle())
    times: dict[str, list[float]] = {}
    for n in range(repeat):
        for engine in ("local", "prefect"):
            env = {"CARBON_VERIFY_CACHE": str(tmp / f"cache-{engine}-{n}")}
            for state in ("cold", "warm"):
                run = tmp / f"{engine}-{state}-{n}"
                times.setdefault(f"{engine} {state}", []).append(
                    cli("run", bundle, "--engine", engine, "--out", str(run / "out"),
                        "--db", f"sqlite:///{run}.db", env=env))
    median = {k: statistics.median(v) for k, v in times.items()}
    for state in ("cold", "warm"):
        local, prefect = median[f"local {state}"], median[f"prefect {state}"]
        print(f"sample {state}: local {local:.1f} s, prefect {prefect:.1f} s, ratio "
              f"{prefect / local:.2f}x (median of {repeat}; "
              f"local {[round(t, 1) for t in times[f'local {state}']]}, "
              f"prefect {[round(t, 1) for t in times[f'prefect {state}']]})")


def main() -> None:
    if "PREFECT_API_URL" not in os.environ:
        sys.exit("set PREFECT_API_URL to a running server (prefect server start)")
    what = sys.argv[1]
    tmp = Path(tempfile.mkdtemp(prefix="bench-flows-"))
    if what == "sample":
        sample(tmp, int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv
               else 3, sys.argv[sys.argv.index("--bundle") + 1] if "--bundle" in sys.argv else None)
    elif what == "inbox":
        inbox, db = sys.argv[2], f"sqlite:///{tmp}/r.db"
        env = {"CARBON_VERIFY_CACHE": str(tmp / "cache")}
        first = cli("reconcile", inbox, str(tmp / "out"), "--db", db, env=env)
        second = cli("reconcile", inbox, str(tmp / "out"), "--db", db, env=env)
        print(f"inbox: first {first:.1f} s, unchanged re-run {second:.1f} s "
              f"({100 * second / first:.1f} % of the first)")
    elif what == "dask":
        inbox = sys.argv[2]
        env = {"CARBON_VERIFY_CACHE": str(tmp / "cache")}
        procs = cli("reconcile", inbox, str(tmp / "p"), "--db", f"sqlite:///{tmp}/p.db",
                    "--refresh", env=env)
        dask = cli("reconcile", inbox, str(tmp / "d"), "--db", f"sqlite:///{tmp}/d.db",
                   "--refresh", "--dask", "local", env=env)
        print(f"dask: process runner {procs:.1f} s, dask local {dask:.1f} s, "
              f"ratio {dask / procs:.2f}x")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
