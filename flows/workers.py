"""A fixed set of warm extraction processes, shared by every extraction task of this process.

The Prefect engine maps extraction over documents through its task runner; each task hands its
file to one of `workers` processes, so no more files are read at once than the worker count,
and a process is started once and reused (not one per document). A file that runs over its
time limit or kills its process is unreadable with that reason; only that process is replaced.

The processes die with the process that started them (Linux PR_SET_PDEATHSIG), so a kill -9 of
a flow run leaves none behind. They are started from one long-lived thread, since the signal
follows the thread that started a process, and task-runner threads end with their flow run.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import multiprocessing as mp
import os
import queue
import signal
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
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

PR_SET_PDEATHSIG = 1


def _init_worker(workers: int, memory_mb: int) -> None:
    """In each worker: die with the parent; share the cores for OCR; bound its memory as the
    local engine's workers are (RLIMIT_AS), so a decompression bomb stops its own worker."""
    import resource

    with contextlib.suppress(OSError, AttributeError):  # not Linux: shutdown still applies
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() == 1:  # the parent died before the signal was armed
        os._exit(1)
    os.environ.setdefault("CARBON_VERIFY_OCR_THREADS",
                          str(max(1, (os.cpu_count() or 1) // max(1, workers))))
    if memory_mb > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 1024 * 1024,) * 2)


class _Starter:
    """One thread that lives as long as the process and starts every worker process."""

    def __init__(self) -> None:
        self._jobs: queue.Queue = queue.Queue()
        threading.Thread(target=self._loop, name="carbon-verify-worker-starter",
                         daemon=True).start()

    def _loop(self) -> None:
        while True:
            fn, done = self._jobs.get()
            try:
                done.set_result(fn())
            except BaseException as exc:  # handed back to the caller
                done.set_exception(exc)

    def call(self, fn):
        done: Future = Future()
        self._jobs.put((fn, done))
        return done.result()


_starter: _Starter | None = None
_lock = threading.Lock()
_slots: dict[int, WorkerSlots] = {}


def _start_process(workers: int) -> ProcessPoolExecutor:
    global _starter
    with _lock:
        if _starter is None:
            _starter = _Starter()

    def start() -> tuple[ProcessPoolExecutor, Future]:
        pool = ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("spawn"),
                                   initializer=_init_worker,
                                   initargs=(workers, memory_limit_mb()))
        return pool, pool.submit(os.getpid)  # the process starts now, from this thread

    pool, ready = _starter.call(start)
    ready.result()  # its imports are awaited here, so processes asked for at once start at once
    return pool


def _kill(pool: ProcessPoolExecutor) -> None:
    for proc in list(getattr(pool, "_processes", {}).values()):
        proc.kill()
    pool.shutdown(wait=False, cancel_futures=True)


class WorkerSlots:
    """`n` single-process pools; a task takes one, reads a file in it, gives it back."""

    def __init__(self, n: int) -> None:
        self.n = max(1, n)
        self._free: queue.Queue[ProcessPoolExecutor | None] = queue.Queue()
        for _ in range(self.n):
            self._free.put(None)  # started on first use
        self._all: set[ProcessPoolExecutor] = set()

    def _fresh(self) -> ProcessPoolExecutor:
        pool = _start_process(self.n)
        self._all.add(pool)
        return pool

    def _replace(self, pool: ProcessPoolExecutor) -> ProcessPoolExecutor:
        _kill(pool)
        self._all.discard(pool)
        return self._fresh()

    def extract(self, path: Path, document: Document, timeout_s: float,
                templates: tuple[Path, ...] = (), caps: Caps | None = None) -> Extraction:
        pool = self._free.get()
        try:
            if pool is None:
                pool = self._fresh()
            pool, extraction = self._read(pool, Path(path), document, timeout_s, templates, caps)
            return extraction
        except BrokenProcessPool:  # a fresh process died as it started: the slot stays
            pool = None  # (started again by the next file), this file is not read
            return worker_crashed(document, caps)
        finally:
            self._free.put(pool)

    def _read(self, pool, path, document, timeout_s, templates, caps=None):
        limit = time_limit(timeout_s, document.size)
        for attempt in (1, 2):  # a crash is tried once more in a fresh process
            try:
                future = pool.submit(read_capped, path, document, templates, caps)
            except BrokenProcessPool:
                pool = self._replace(pool)
                future = pool.submit(read_capped, path, document, templates, caps)
            try:
                return pool, future.result(timeout=limit)
            except FutureTimeout:
                return self._replace(pool), unreadable(
                    document, reason_text(Reason.TIMED_OUT, f"after {limit:g} s"))
            except BrokenProcessPool:
                pool = self._replace(pool)
                if attempt == 2:
                    return pool, worker_crashed(document, caps)
            except MemoryError:  # raised in the worker: its limit, as the local engine says
                return pool, out_of_memory(document, caps)
            except Exception as exc:  # raised in the worker, e.g. a result not picklable
                return pool, unreadable(document,
                                        f"could not be read: {type(exc).__name__}: {exc}")
        raise AssertionError("unreachable")

    def close(self) -> None:
        for pool in list(self._all):
            _kill(pool)
        self._all.clear()


def slots_for(workers: int) -> WorkerSlots:
    """The process's worker slots for this worker count (made once, then reused)."""
    with _lock:
        if workers not in _slots:
            _slots[workers] = WorkerSlots(workers)
        return _slots[workers]


@atexit.register
def close_workers() -> None:
    """Stop every reading process now (a one-run process, such as the CLI, need not wait for
    them to wind down at exit). Slots asked for afterwards start fresh processes."""
    with _lock:
        closing = list(_slots.values())
        _slots.clear()
    for slots in closing:
        slots.close()
