"""Reading a bundle's documents in the Prefect engine: kept extractions first, the rest in
batches mapped over the flow's task runner.

A task per batch of files, not per file: every task run costs its state changes on the API and
its engine's bookkeeping, paid once per file before. There are `BATCHES_PER_WORKER` batches
per worker, of near-equal bytes (largest file first, each to the lightest batch), so a worker
that finishes early takes the next batch.

Kept extractions are the local engine's (`extractors.cache.ExtractionCache`: file SHA-256 +
reader digest + templates digest + caps, never the path). The flow's own process looks them up
before any task starts and keeps each successful read when its batch is done, so a batch
carries only the files still to read and nothing is persisted by Prefect. A time-out, crash or
limit is reported in the run and never kept: the next run reads the file again.
"""

from __future__ import annotations

import multiprocessing as mp
from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE

from extractors.cache import ExtractionCache
from extractors.caps import Caps
from extractors.extraction import Extraction
from verify.model.records import Document

Item = tuple[Path, Document]

BATCHES_PER_WORKER = 4


def plan_batches(items: list[Item], batches: int) -> list[list[int]]:
    """Indices of `items` in at most `batches` groups of near-equal bytes, each in input order
    (largest file first, each to the group with the fewest bytes so far)."""
    n = max(1, min(batches, len(items)))
    groups: list[list[int]] = [[] for _ in range(n)]
    load = [0] * n
    for i in sorted(range(len(items)), key=lambda i: -items[i][1].size):
        k = min(range(n), key=lambda k: (load[k], k))
        groups[k].append(i)
        load[k] += max(1, items[i][1].size)
    return [sorted(g) for g in groups if g]


def read_one(path: Path, document: Document, timeout_s: float, workers: int,
             templates: tuple[Path, ...], caps: Caps | None) -> Extraction:
    """One file under its time limit, in a process that may die without taking the run along:
    one of this process's warm workers, or on a Dask worker (which may not start processes of
    its own) a child started for the file."""
    if mp.current_process().daemon:
        from flows.isolated import read_in_child

        return read_in_child(Path(path), document, timeout_s, templates, caps)
    from flows.workers import slots_for

    return slots_for(workers).extract(Path(path), document, timeout_s, templates, caps)


@task(cache_policy=NO_CACHE, persist_result=False, retries=0, task_run_name="read {label}")
def read_batch(label: str, items: list[Item], timeout_s: float, workers: int,
               templates: tuple[Path, ...], caps: Caps | None = None) -> list[Extraction]:
    """Read a batch of files one after another; a file that cannot be read is unreadable with
    the reason, and the batch goes on."""
    return [read_one(path, doc, timeout_s, workers, templates, caps) for path, doc in items]


class Kept:
    """The run's kept extractions: looked up before reading, written after (None: no reuse)."""

    def __init__(self, cache: ExtractionCache | None, refresh: bool) -> None:
        self.cache, self.refresh = cache, refresh

    def lookup(self, items: list[Item]) -> dict[int, Extraction]:
        if self.cache is None or self.refresh:
            return {}
        found = {i: self.cache.get(doc) for i, (_, doc) in enumerate(items)}
        return {i: e for i, e in found.items() if e is not None}

    def keep(self, extractions: list[Extraction]) -> None:
        if self.cache is not None:
            for extraction in extractions:
                self.cache.put(extraction)
