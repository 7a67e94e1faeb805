"""The Prefect engine's reading processes: as many as the worker count, reused, and gone with
the process that started them when it is killed with kill -9."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).parents[1]

CHILD = textwrap.dedent('''
    import sys, threading
    sys.path.insert(0, {root!r})
    from flows.workers import slots_for

    slots = slots_for(2)
    pools = []
    def take():
        pool = slots._fresh()
        pools.append(pool)
    threads = [threading.Thread(target=take) for _ in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]  # the threads that asked for them have ended
    pids = [p for pool in pools for p in pool._processes]
    print(" ".join(map(str, pids)), flush=True)
    threading.Event().wait(60)
''')


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead too
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def test_worker_processes_die_with_a_killed_parent():
    proc = subprocess.Popen([sys.executable, "-c", CHILD.format(root=str(ROOT))],
                            stdout=subprocess.PIPE, text=True)
    try:
        pids = [int(p) for p in proc.stdout.readline().split()]
        assert len(pids) == 2 and all(_alive(p) for p in pids)
        time.sleep(0.5)
        assert all(_alive(p) for p in pids)  # outlive the threads that started them
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        deadline = time.monotonic() + 10
        while any(_alive(p) for p in pids) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(p) for p in pids)
    finally:
        proc.kill()
