"""One measured process: verify each bundle given, as `carbon-verify run` would, and print what
the runs did as one JSON line (stage seconds summed over the bundles, documents, pages, files
reused, reports written). Started by bench_pipeline.py, so its wall time includes start-up.

    python bench/pipeline_child.py --workers 2 --cache DIR --db URL --out DIR BUNDLE...
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

T0 = time.perf_counter()
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("bundles", nargs="+", type=Path)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--cache", type=Path, required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--engine", choices=("local", "prefect"), default="local")
    ap.add_argument("--refresh", action="store_true")
    args = ap.parse_args()

    from verify.pipeline import RunOptions, run_bundle

    imported = time.perf_counter() - T0
    stages: dict[str, float] = {}
    docs = pages = reused = rendered = 0
    for i, bundle in enumerate(args.bundles):
        options = RunOptions(out=args.out / f"{i:03d}", db=args.db, workers=args.workers,
                             cache=args.cache, refresh=args.refresh)
        if args.engine == "prefect":
            from flows.verify_bundle import run_with_prefect

            t = time.perf_counter()
            outcome = run_with_prefect(bundle, options, refresh=args.refresh)
            stages["flow"] = stages.get("flow", 0.0) + time.perf_counter() - t
        else:
            outcome = run_bundle(bundle, options)
        for name, secs in outcome.seconds.items():
            stages[name] = stages.get(name, 0.0) + secs
        docs += len(outcome.result.documents)
        pages += sum(d.pages or 0 for d in outcome.result.documents)
        reused += len(outcome.reused)
        rendered += outcome.rendered
    if args.engine == "prefect":
        from flows.workers import close_workers

        close_workers()
    print(json.dumps({"import": imported, "stages": stages, "docs": docs, "pages": pages,
                      "reused": reused, "rendered": rendered, "bundles": len(args.bundles)}))


if __name__ == "__main__":
    main()
