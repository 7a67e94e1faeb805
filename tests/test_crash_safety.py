"""kill -9 at several points of storing and publishing a run, then a re-run: no run is ever
visible as complete without its report files, and an output folder is always one run's whole
set of files (never half-written)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

TESTS = Path(__file__).parent
ROOT = TESTS.parent

CHILD = textwrap.dedent('''
    import os, signal, sys
    from pathlib import Path
    sys.path[:0] = [{root!r}, {tests!r}]
    import verify.report.outputs as outputs
    import verify.pipeline as pipeline
    import verify.store as store
    import verify.store.runs as runs
    from test_report import march_records, march_run

    def die(*_a, **_k):
        os.kill(os.getpid(), signal.SIGKILL)

    def quick_pdf(html, path, **_k):  # rendering is not under test here, publishing is
        Path(path).write_bytes(b"%PDF-1.4 stub")

    outputs.render_pdf = quick_pdf
    point = sys.argv[1]
    if point == "storing":  # inside the transaction that stores the results
        runs._child_rows = die
    elif point == "rendering":  # some files written to the hidden folder
        outputs.write_workpapers = die
    elif point == "swapping":  # earlier runs retired, the new files half moved in
        real, moved = os.replace, []
        def replace_then_die(src, dst):
            real(src, dst)
            moved.append(dst)
            if len(moved) == 2:
                die()
        pipeline.os.replace = replace_then_die
    elif point == "completing":  # new files in place, status not yet complete
        store.mark_complete = die
    result = march_run(findings=int(sys.argv[2]))
    options = pipeline.RunOptions(db=sys.argv[3], out=Path(sys.argv[4]))
    pipeline.finish(result, march_records(), options)
''')

FILES = {"report.html", "report.pdf", "findings.json", "workpapers.xlsx", "records.json",
         "run.json"}


def _run(point: str, findings: int, db: str, out: Path) -> int:
    script = CHILD.format(root=str(ROOT), tests=str(TESTS))
    return subprocess.run([sys.executable, "-c", script, point, str(findings), db, str(out)],
                          capture_output=True, timeout=300).returncode


def _check(db: str, out: Path) -> set[str]:
    """The invariant; returns the statuses seen."""
    from verify.pipeline import outputs_of
    from verify.store import engine_for, list_runs

    engine = engine_for(db)
    runs = list_runs(engine)
    engine.dispose()
    complete = [r for r in runs if r.status == "complete"]
    assert len(complete) <= 1
    for run in complete:
        assert outputs_of(run.out_dir) == run.run_id, f"{run.run_id} complete without its files"
    marker = outputs_of(out)
    if marker is not None:  # a folder that names its run holds that run's whole set of files
        assert {p.name for p in out.iterdir() if not p.name.startswith(".")} >= FILES
        findings = json.loads((out / "findings.json").read_text())
        [owner] = [r for r in runs if r.run_id == marker]
        assert len(findings["findings"]) == len(owner.result_json["findings"])
    return {r.status for r in runs}


def test_kill_9_at_each_point_then_a_rerun(tmp_path):
    from verify.pipeline import outputs_of

    db, out = f"sqlite:///{tmp_path / 'runs.db'}", tmp_path / "out" / "CN-HB-0001" / "2025-03"
    assert _run("rendering", 1, db, out) == -signal.SIGKILL  # a first run: no folder at all
    assert outputs_of(out) is None and _check(db, out) == {"running"}
    (out / "keep.txt").write_text("mine")
    assert _run("none", 2, db, out) == 0
    assert _check(db, out) == {"running", "complete"}
    seen = set()
    for n, point in enumerate(["storing", "rendering", "swapping", "completing"], start=3):
        assert _run(point, n, db, out) == -signal.SIGKILL, point
        seen |= _check(db, out)
    assert {"running", "superseded"} <= seen
    assert _run("none", 5, db, out) == 0
    _check(db, out)
    from verify.store import engine_for, latest_run

    engine = engine_for(db)
    last = latest_run(engine, "CN-HB-0001", "2025-03")
    assert last.status == "complete" and outputs_of(out) == last.run_id
    assert len(json.loads((out / "findings.json").read_text())["findings"]) == 5
    assert (out / "keep.txt").read_text() == "mine"  # other files in the folder are left alone
    engine.dispose()
