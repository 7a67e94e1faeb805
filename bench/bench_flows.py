"""Orchestration figures (issue 15), each against a baseline measured in the same run.

    PREFECT_API_URL=http://127.0.0.1:4200/api python bench/bench_flows.py sample
    PREFECT_API_URL=... python bench/bench_flows.py inbox INBOX      # <facility>/<YYYY-MM>/
    PREFECT_API_URL=... python bench/bench_flows.py dask INBOX

sample: `run` with --engine local, then --engine prefect on an empty extraction cache (a fresh
PREFECT_LOCAL_STORAGE_PATH), the sample bundle, the same database kind.
inbox: `reconcile` twice in a row on a fresh outbox and database; the second against the first.
dask: `reconcile --refresh` with the process runner, then with --dask local, fresh outboxes.
Each is a separate `carbon-verify` process, as a user would run it; wall time with start-up.
"""

from __future__ import annotations

import os
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


def main() -> None:
    if "PREFECT_API_URL" not in os.environ:
        sys.exit("set PREFECT_API_URL to a running server (prefect server start)")
    what = sys.argv[1]
    tmp = Path(tempfile.mkdtemp(prefix="bench-flows-"))
    if what == "sample":
        from fixtures import sample_bundle

        bundle = str(sample_bundle())
        local = cli("run", bundle, "--out", str(tmp / "local"), "--db", f"sqlite:///{tmp}/l.db")
        prefect = cli("run", bundle, "--engine", "prefect", "--out", str(tmp / "prefect"),
                      "--db", f"sqlite:///{tmp}/p.db",
                      env={"PREFECT_LOCAL_STORAGE_PATH": str(tmp / "cache")})
        print(f"sample: local {local:.1f} s, prefect (empty cache) {prefect:.1f} s, "
              f"ratio {prefect / local:.2f}x")
    elif what == "inbox":
        inbox, db = sys.argv[2], f"sqlite:///{tmp}/r.db"
        env = {"PREFECT_LOCAL_STORAGE_PATH": str(tmp / "cache")}
        first = cli("reconcile", inbox, str(tmp / "out"), "--db", db, env=env)
        second = cli("reconcile", inbox, str(tmp / "out"), "--db", db, env=env)
        print(f"inbox: first {first:.1f} s, unchanged re-run {second:.1f} s "
              f"({100 * second / first:.1f} % of the first)")
    elif what == "dask":
        inbox = sys.argv[2]
        env = {"PREFECT_LOCAL_STORAGE_PATH": str(tmp / "cache")}
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
