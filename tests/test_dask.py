"""Scale-out: a bundle read on a Dask LocalCluster (prefect-dask's DaskTaskRunner) reaches the
same findings as the local engine, a hostile file included: on the cluster's workers a file
that kills its reading process is unreadable with the local engine's reason, the rest is read."""

import shutil

import pytest
from test_worker_memory import deflate_bomb_pdf

from extractors.worker import MEMORY_ENV
from fixtures import sample_bundle
from verify.model.result import to_findings_json
from verify.pipeline import RunOptions, run_bundle

pytestmark = pytest.mark.prefect


def _comparable(result) -> dict:
    doc = to_findings_json(result)
    doc["documents"] = sorted(doc["documents"], key=lambda d: d["file"])
    return doc


def test_bundle_on_a_dask_local_cluster_equals_the_local_engine(prefect_harness, tmp_path,
                                                                 monkeypatch):
    pytest.importorskip("prefect_dask")
    from flows.verify_bundle import run_with_prefect

    monkeypatch.setenv(MEMORY_ENV, "1024")  # the bomb inflates to 1.5 GB: its reader dies
    bundle = tmp_path / "bundle"
    shutil.copytree(sample_bundle(), bundle)
    deflate_bomb_pdf(bundle / "bomb.pdf", inflated_mb=1536)
    options = RunOptions(store=False, workers=2)
    local = run_bundle(bundle, options)
    # refresh: every document is read on the cluster's worker processes, not from the cache
    on_dask = run_with_prefect(bundle, options, refresh=True, dask="local")
    assert _comparable(on_dask.result) == _comparable(local.result)
    [bomb] = [d for d in on_dask.result.documents if d.file == "bomb.pdf"]
    assert bomb.status.value == "unreadable"
    assert bomb.error.startswith(("worker crashed", "memory limit reached")), bomb.error
    assert any(f.rule == "DOC-UNREADABLE" and any(p.file == "bomb.pdf" for p in f.evidence)
               for f in on_dask.result.findings)
    read = [d for d in on_dask.result.documents if d.status.value == "parsed"]
    assert len(read) >= len(on_dask.result.documents) - 2  # the rest is read and verified
    assert on_dask.result.verified_total_tco2 > 0


def test_a_file_read_in_a_child_of_its_own_keeps_the_limits(tmp_path):
    """A daemonic Dask worker (a cluster started elsewhere) reads each file in a child process:
    the same reader, and a file over its time limit is unreadable with the local engine's
    reason (the child is killed)."""
    from extract_docs import en_invoice, render

    from extractors.read import document_for
    from flows.isolated import read_in_child

    quick = render(en_invoice(), tmp_path / "quick.pdf")
    assert read_in_child(quick, document_for(quick), 120).records[0].number == "INV-2025-00042"
    late = read_in_child(quick, document_for(quick), 0.001)
    assert late.document.status.value == "unreadable"
    assert late.document.error == "timed out: after 0.001 s"
