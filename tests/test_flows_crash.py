"""A Prefect run killed with kill -9 while writing its report does not stay running: the next
run marks it crashed in the store and in Prefect, and no run is complete without its files."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.prefect

TESTS = Path(__file__).parent
ROOT = TESTS.parent

CHILD = textwrap.dedent('''
    import os, signal, sys
    from pathlib import Path
    sys.path[:0] = [{root!r}, {tests!r}]
    import verify.report.outputs as outputs

    def die(*_a, **_k):
        os.kill(os.getpid(), signal.SIGKILL)

    def quick_pdf(html, path, **_k):  # rendering is not under test here, what a kill leaves is
        Path(path).write_bytes(b"%PDF-1.4 stub")

    outputs.render_pdf = quick_pdf
    if sys.argv[1] == "rendering":  # stored running, some report files written aside
        outputs.write_workpapers = die
    from fixtures import sample_bundle
    from flows.verify_bundle import run_with_prefect
    from verify.pipeline import RunOptions

    run_with_prefect(sample_bundle(), RunOptions(db=sys.argv[2], out=Path(sys.argv[3])))
''')


def _run(point: str, db: str, out: Path) -> subprocess.CompletedProcess:
    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT), tests=str(TESTS)),
                           point, db, str(out)], capture_output=True, text=True, env=env,
                          timeout=600)


def test_a_killed_flow_run_is_marked_crashed_by_the_next_run(prefect_harness, tmp_path):
    from prefect import get_client

    from verify.pipeline import outputs_of
    from verify.store import engine_for, list_runs

    db, out = f"sqlite:///{tmp_path / 'runs.db'}", tmp_path / "out"
    started = dt.datetime.now(dt.UTC)
    killed = _run("rendering", db, out)
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    engine = engine_for(db)
    [left] = list_runs(engine)
    assert left.status == "running" and outputs_of(out) is None  # what kill -9 leaves

    again = _run("none", db, out)
    assert again.returncode in (0, 1), again.stderr[-2000:]  # 1: the sample is not verified
    assert "Traceback" not in again.stderr, again.stderr[-2000:]
    runs = {r.run_id: r for r in list_runs(engine)}
    engine.dispose()
    crashed = runs.pop(left.run_id)
    assert crashed.status == "crashed" and f"pid {left.pid}" in crashed.error
    [done] = runs.values()
    assert done.status == "complete" and outputs_of(out) == done.run_id
    assert not any(r.status == "complete" and outputs_of(r.out_dir) != r.run_id
                   for r in [crashed, done])

    with get_client(sync_client=True) as client:
        mine = {r.infrastructure_pid: r for r in client.read_flow_runs()
                if r.name == "CN-HB-0001 2025-03" and r.created >= started}
    host = socket.gethostname()
    assert mine[f"{host}:{left.pid}"].state.type.value == "CRASHED"
    assert mine[f"{host}:{done.pid}"].state.type.value == "COMPLETED"
