"""Scale-out: a bundle read on a Dask LocalCluster (prefect-dask's DaskTaskRunner) reaches the
same findings as the local engine."""

import pytest

from fixtures import sample_bundle
from verify.model.result import to_findings_json
from verify.pipeline import RunOptions, run_bundle

pytestmark = pytest.mark.prefect


def _comparable(result) -> dict:
    doc = to_findings_json(result)
    doc["documents"] = sorted(doc["documents"], key=lambda d: d["file"])
    return doc


def test_bundle_on_a_dask_local_cluster_equals_the_local_engine(prefect_harness):
    pytest.importorskip("prefect_dask")
    from flows.verify_bundle import run_with_prefect

    options = RunOptions(store=False, workers=2)
    local = run_bundle(sample_bundle(), options)
    # refresh: every document is read on the cluster's worker processes, not from the cache
    on_dask = run_with_prefect(sample_bundle(), options, refresh=True, dask="local")
    assert _comparable(on_dask.result) == _comparable(local.result)
