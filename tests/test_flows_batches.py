"""The Prefect engine's batches: every file once, at most the batches asked for, bytes shared
out so no batch waits on far more than the others."""

from pathlib import Path

from verify.model.records import Document, DocumentKind


def _items(sizes: list[int]) -> list:
    return [(Path(f"f{i}.pdf"), Document(file=f"f{i}.pdf", sha256=f"{i:064x}", size=size,
                                         kind=DocumentKind.UNKNOWN))
            for i, size in enumerate(sizes)]


def test_batches_hold_every_file_once_with_near_equal_bytes():
    from flows.reading import plan_batches

    sizes = [900_000, 40_000, 38_000, 700_000, 50_000, 45_000, 300_000, 20_000, 60_000]
    batches = plan_batches(_items(sizes), 4)
    assert len(batches) == 4
    assert sorted(i for b in batches for i in b) == list(range(len(sizes)))
    assert all(b == sorted(b) for b in batches)  # each in the bundle's order
    load = [sum(sizes[i] for i in b) for b in batches]
    assert max(load) == max(sizes)  # the largest file alone sets the longest batch


def test_fewer_files_than_batches_and_none():
    from flows.reading import plan_batches

    assert plan_batches(_items([10, 20]), 8) == [[1], [0]]
    assert plan_batches([], 4) == []
