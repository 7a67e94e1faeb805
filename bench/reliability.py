"""Read every kind of broken or hostile file of tests/hostile_corpus.py, each in a fresh process
under the worker's memory limit, and write the table of docs/reliability.md: kind, outcome,
reason, peak resident memory, and the counts (kinds, crashes, records lost, injections).

    python bench/reliability.py [--update docs/reliability.md]

With --update the table between the `<!-- corpus table -->` markers of that file is replaced.

A crash is a process that died or a reader that raised instead of returning a Document.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ONE = r"""
import json, resource, sys
from pathlib import Path
from extractors.worker import memory_limit_mb
limit = memory_limit_mb() * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from extractors.read import document_for, extract_file
path = Path(sys.argv[1])
got = extract_file(path, document_for(path))
rss = max(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
print(json.dumps({"status": got.document.status.value, "error": got.document.error,
                  "records": len(got.records), "rss_kb": rss,
                  "leak": "root:x:0:0" in got.model_dump_json()}))
"""


def measure(path: Path) -> dict:
    """One file read in its own process: outcome and peak resident memory."""
    done = subprocess.run([sys.executable, "-c", ONE, str(path)], capture_output=True, text=True,
                          timeout=300, cwd=ROOT)
    if done.returncode != 0:
        return {"status": "CRASH", "error": " ".join(done.stderr.strip().splitlines()[-1:]),
                "records": 0,
                "rss_kb": 0, "leak": False}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", type=Path, default=None,
                        help="a markdown file whose corpus table is replaced")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "tests"))
    from hostile_corpus import KINDS, build_all

    rows, crashes, peak = [], 0, 0
    with tempfile.TemporaryDirectory() as tmp:
        files = build_all(Path(tmp))
        for kind in KINDS:
            got = measure(files[kind.name])
            crashes += got["status"] == "CRASH" or got["leak"]
            peak = max(peak, got["rss_kb"])
            reason = (got["error"] or "").replace("|", "/")[:90]
            rows.append(f"| {kind.name} | {kind.what} | {got['status']} | {reason} | "
                        f"{got['records']} | {got['rss_kb'] / 1024:.0f} |")
    lines = ["| kind | what | outcome | reason | records | peak RSS (MB) |",
             "|---|---|---|---|---|---|", *rows, "",
             f"kinds {len(KINDS)}, crashes {crashes}, peak resident memory of one reader "
             f"{peak / 1024:.0f} MB"]
    text = "\n".join(lines) + "\n"
    if args.update:
        marker = "<!-- corpus table -->"
        before, _, rest = args.update.read_text("utf-8").partition(marker)
        _, _, after = rest.partition(marker)
        args.update.write_text(f"{before}{marker}\n{text}{marker}{after}", "utf-8")
    print(text)
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
