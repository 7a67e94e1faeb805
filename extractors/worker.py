"""Run extraction in worker processes, so one hostile file cannot hang or kill the run.

A pool is reused across documents; a document that times out or kills its worker becomes an
unreadable Document with the reason, and the pool is rebuilt for the rest. Each worker runs
under an address-space limit (RLIMIT_AS), so a file that inflates to gigabytes (a deflated
content stream, a sheet XML, a huge image) stops its own worker instead of the machine.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import resource
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from extractors import caps as caps_
from extractors.extraction import Extraction, unreadable
from extractors.read import extract_file
from verify.model.errors import Reason, reason_text
from verify.model.records import Document

Item = tuple[Path, Document]

SECONDS_PER_MB = 20.0  # a scan is OCR'd at 2-4 s a page, and a scanned page is 0.2-0.5 MB
MAX_SECONDS = 900.0  # no file holds a worker longer than this, however large
# Address space per worker (data/caps.toml worker_memory_mb). OCR of a scanned page peaks near
# 1.8 GB of address space (0.8 GB resident), so 2.5 GB leaves room for it and still stops a
# decompression bomb early.
MEMORY_ENV = caps_.MEMORY_ENV


def memory_limit_mb(caps: caps_.Caps | None = None) -> int:
    """The per-worker limit (0: no limit): the run's caps, else $CARBON_VERIFY_WORKER_MEMORY_MB,
    else data/caps.toml."""
    return (caps or caps_.active()).worker_memory_mb


def read_capped(path: Path, document: Document, templates: tuple[Path, ...] = (),
                caps: caps_.Caps | None = None) -> Extraction:
    """`extract_file` under the run's caps (a worker reads one file at a time)."""
    caps_.use(caps)
    try:
        return extract_file(path, document, templates)
    finally:
        caps_.use(None)


def time_limit(base_s: float, size_bytes: int) -> float:
    """A file's time limit: the base for any file up to 1 MB, more for a larger one (a long scan
    needs time to be read by OCR), never more than MAX_SECONDS."""
    if base_s >= MAX_SECONDS:  # asked for more than the cap: the caller knows best
        return base_s
    return min(MAX_SECONDS, base_s + max(0.0, size_bytes / 1e6 - 1.0) * SECONDS_PER_MB)


def _prepare_worker(workers: int, memory_mb: int) -> None:
    """Give each worker its share of the cores for OCR, so parallel scans do not oversubscribe,
    and its memory limit."""
    os.environ.setdefault("CARBON_VERIFY_OCR_THREADS", str(max(1, (os.cpu_count() or 1) // workers)))
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _pool(workers: int, caps: caps_.Caps | None = None) -> ProcessPoolExecutor:
    """A fresh pool of spawned workers (no inherited state, no forked locks)."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn"),
                               initializer=_prepare_worker,
                               initargs=(workers, memory_limit_mb(caps)))


def worker_crashed(document: Document, caps: caps_.Caps | None = None) -> Extraction:
    """A file whose worker died under it, alone as well as in the pool (any engine's)."""
    limit = memory_limit_mb(caps)
    detail = (f"the worker stopped while reading this file (its memory limit is {limit} MB, "
              f"--threshold worker_memory_mb=N raises it; or the file broke a reader library)"
              ) if limit else ""
    return unreadable(document, reason_text(Reason.CRASHED, detail))


def out_of_memory(document: Document, caps: caps_.Caps | None = None) -> Extraction:
    """A file that needed more than its worker's memory limit (any engine's)."""
    return unreadable(document, reason_text(
        Reason.MEMORY, f"more than the worker's {memory_limit_mb(caps)} MB "
        f"({caps_.how_to_raise('worker_memory_mb')})"))


def _kill(pool: ProcessPoolExecutor) -> None:
    """Stop a pool at once, killing workers still busy on a file."""
    for proc in list(getattr(pool, "_processes", {}).values()):
        proc.kill()
    pool.shutdown(wait=False, cancel_futures=True)


def _run_alone(item: Item, timeout_s: float, templates: tuple[Path, ...] = (),
               caps: caps_.Caps | None = None) -> Extraction:
    """Retry one document in its own worker, to tell which file broke a shared pool."""
    return extract_many([item], timeout_s, workers=1, retry_crashed=False,
                        templates=templates, caps=caps)[0]


def extract_many(items: list[Item], timeout_s: float = 60, workers: int = 2,
                 retry_crashed: bool = True,
                 templates: tuple[Path, ...] = (),
                 caps: caps_.Caps | None = None) -> list[Extraction]:
    """Extract every (path, document) in worker processes, results in input order; `templates`
    are the user's supplier-template folders, `caps` the run's (None: the shipped ones)."""
    results: dict[int, Extraction] = {}
    queue = list(range(len(items)))
    pool = _pool(workers, caps)
    running: dict[Future, tuple[int, float]] = {}
    try:
        while queue or running:
            while queue and len(running) < workers:
                i = queue.pop(0)
                running[pool.submit(read_capped, *items[i], templates, caps)] = (i, time.monotonic())
            done, _ = wait(running, timeout=0.05, return_when=FIRST_COMPLETED)
            crashed = _collect(done, running, items, results, caps)
            late = [f for f, (i, t0) in running.items()
                    if time.monotonic() - t0 > time_limit(timeout_s, items[i][1].size)]
            if not crashed and not late:
                continue
            for f in late:
                i, _ = running.pop(f)
                limit = time_limit(timeout_s, items[i][1].size)
                results[i] = unreadable(items[i][1], reason_text(Reason.TIMED_OUT, f"after {limit:g} s"))
            _kill(pool)
            pool = _pool(workers, caps)
            for i in crashed:
                results[i] = (_run_alone(items[i], timeout_s, templates, caps) if retry_crashed
                              else worker_crashed(items[i][1], caps))
            queue = [i for _, (i, _) in running.items()] + queue
            running.clear()
    finally:
        _kill(pool)
    return [results[i] for i in range(len(items))]


def _collect(done: set[Future], running: dict[Future, tuple[int, float]], items: list[Item],
             results: dict[int, Extraction], caps: caps_.Caps | None = None) -> list[int]:
    """Store finished results; return the indices whose worker died under them."""
    crashed = []
    for f in done:
        i, _ = running.pop(f)
        try:
            results[i] = f.result()
        except BrokenProcessPool:
            crashed.append(i)
        except MemoryError:
            results[i] = out_of_memory(items[i][1], caps)
        except Exception as exc:  # an error raised in the worker, e.g. a result not picklable
            results[i] = unreadable(items[i][1], f"could not be read: {type(exc).__name__}: {exc}")
    if crashed:
        for f in list(running):
            if f.done() and isinstance(f.exception(), BrokenProcessPool):
                crashed.append(running.pop(f)[0])
    return crashed


def extract_isolated(path: Path, document: Document, timeout_s: float = 60,
                     templates: tuple[Path, ...] = ()) -> Extraction:
    """Extract one document in a worker process with a time limit."""
    return extract_many([(Path(path), document)], timeout_s, workers=1, templates=templates)[0]
