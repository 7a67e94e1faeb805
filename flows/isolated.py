"""One file read in a child process of its own, for a process that may not use
multiprocessing (a daemonic Dask worker): the same time limit, memory cap and reader as the
local engine's workers (`extractors.worker.read_capped`, `time_limit`, `memory_limit_mb`).

The child is `python -m flows.isolated`: the job comes on stdin and the extraction goes back
on stdout, both pickled. A child over its time limit is killed and the file is unreadable
(timed out); a child that dies is unreadable (crashed), with the reason; the run goes on.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import pickle
import signal
import subprocess
import sys
from pathlib import Path

from extractors.caps import Caps
from extractors.extraction import Extraction, unreadable
from extractors.worker import (
    memory_limit_mb,
    out_of_memory,
    read_capped,
    time_limit,
    worker_crashed,
)
from verify.model.errors import Reason, reason_text
from verify.model.records import Document

ROOT = Path(__file__).parents[1]
PR_SET_PDEATHSIG = 1


def read_in_child(path: Path, document: Document, timeout_s: float,
                  templates: tuple[Path, ...] = (), caps: Caps | None = None) -> Extraction:
    limit = time_limit(timeout_s, document.size)
    job = pickle.dumps((Path(path), document, tuple(templates), caps, memory_limit_mb(caps)))
    env = {**os.environ,
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    try:
        proc = subprocess.run([sys.executable, "-m", "flows.isolated"], input=job,
                              capture_output=True, timeout=limit, env=env)
    except subprocess.TimeoutExpired:
        return unreadable(document, reason_text(Reason.TIMED_OUT, f"after {limit:g} s"))
    if proc.returncode != 0 or not proc.stdout:  # killed, or a reader library broke
        return worker_crashed(document, caps)
    try:
        return pickle.loads(proc.stdout)
    except Exception as exc:  # a torn answer: the file is unreadable, the run goes on
        return unreadable(document, f"could not be read: {type(exc).__name__}: {exc}")


def _child() -> None:
    """Die with the parent, cap the memory, read the file, answer."""
    import resource

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    path, document, templates, caps, memory_mb = pickle.loads(sys.stdin.buffer.read())
    answer, sys.stdout = sys.stdout.buffer, sys.stderr  # a reader's print cannot tear the answer
    if memory_mb > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 1024 * 1024,) * 2)
    try:
        extraction = read_capped(path, document, templates, caps)
    except MemoryError:
        extraction = out_of_memory(document, caps)
    answer.write(pickle.dumps(extraction))
    answer.flush()


if __name__ == "__main__":
    _child()
