"""The Prefect flow runs the same steps as the CLI's local engine and reaches the same result."""

import datetime as dt

import pytest

from fixtures import sample_bundle
from verify.model.result import to_findings_json
from verify.pipeline import RunOptions, run_bundle

pytestmark = pytest.mark.prefect


def _comparable(result) -> dict:
    doc = to_findings_json(result)
    doc["documents"] = sorted(doc["documents"], key=lambda d: d["file"])
    return doc


def test_flow_result_equals_local_run(prefect_harness, tmp_path):
    from prefect import get_client

    from flows.verify_bundle import run_with_prefect
    from verify.store import engine_for, list_runs

    options = RunOptions(db=f"sqlite:///{tmp_path / 'runs.db'}", out=tmp_path / "out")
    local = run_bundle(sample_bundle(), options)
    started = dt.datetime.now(dt.UTC)
    flowed = run_with_prefect(sample_bundle(), RunOptions(db=options.db, out=tmp_path / "flow"))
    assert _comparable(flowed.result) == _comparable(local.result)
    assert (tmp_path / "out" / "findings.json").exists()
    assert (tmp_path / "flow" / "report.pdf").exists()
    engine = engine_for(options.db)
    assert sorted((r.run_no, r.status) for r in list_runs(engine)) == [(1, "complete"),
                                                                       (2, "complete")]
    engine.dispose()

    # Named and tagged by facility and period, with a summary, findings, link and progress.
    with get_client(sync_client=True) as client:
        [run] = [r for r in client.read_flow_runs() if r.name == "CN-HB-0001 2025-03"
                 and r.created >= started]  # other tests of the session run the sample too
        assert {"facility:CN-HB-0001", "period:2025-03"} <= set(run.tags)
        artifacts = {(a.key or "").rsplit("-", 1)[-1] + ":" + a.type: a
                     for a in client.read_artifacts() if a.flow_run_id == run.id}
    # a link artifact is stored as markdown ([report.pdf](file://...)) by Prefect 3
    assert set(artifacts) == {"summary:markdown", "findings:table", "report:markdown",
                              "03:progress"}
    assert "**Opinion:** not_verified" in artifacts["summary:markdown"].data
    assert "report.pdf](file://" in artifacts["report:markdown"].data
    assert artifacts["03:progress"].data == 100.0
    assert "INV-DUPLICATE" in str(artifacts["findings:table"].data)


def test_flow_rerun_reads_from_the_extraction_cache(prefect_harness, tmp_path):
    from flows.verify_bundle import outcome_of, verify_bundle

    options = RunOptions(store=False)
    first = outcome_of(verify_bundle(sample_bundle(), options))
    second = outcome_of(verify_bundle(sample_bundle(), options))
    assert _comparable(first.result) == _comparable(second.result)


def test_flow_reads_with_the_user_templates(prefect_harness, tmp_path):
    import shutil
    from pathlib import Path

    from extract_docs import coal_assay_sheet, render

    from flows.verify_bundle import outcome_of, verify_bundle

    bundle = tmp_path / "bundle"
    shutil.copytree(sample_bundle(), bundle)
    render(coal_assay_sheet(), bundle / "assay.pdf")
    templates = (Path(__file__).parent / "data" / "templates",)
    flowed = outcome_of(verify_bundle(bundle, RunOptions(store=False, templates=templates)))
    [assay] = [d for d in flowed.result.documents if d.file == "assay.pdf"]
    assert (assay.kind.value, assay.status.value) == ("lab_report", "parsed")
    assert any(getattr(r, "template", None) == "coal_assay.yml" for r in flowed.records)


def _read_once(bundle, cache, timeout_s: float, refresh: bool = False):
    """Extraction alone, as the flow reads (kept extractions, then batches through the task
    runner): (extraction, "kept" or "read") per file."""
    from prefect import flow

    from extractors.cache import ExtractionCache
    from extractors.discover import discover
    from flows.reading import Kept
    from flows.verify_bundle import read_documents

    @flow(name="read-once")
    def read(bundle):
        found = discover(bundle)
        items = [(path, doc) for doc, path in found.entries]
        kept = Kept(ExtractionCache(cache), refresh)
        reused = set(kept.lookup(items))
        extractions = read_documents(items, kept, RunOptions(timeout_s=timeout_s, workers=1),
                                     (), None, "read-once")
        return [(e, "kept" if i in reused else "read") for i, e in enumerate(extractions)]

    return read(bundle)


def test_a_timed_out_read_is_reported_not_kept_and_a_rename_reuses_the_kept_read(
        prefect_harness, tmp_path):
    bundle, cache = tmp_path / "b", tmp_path / "cache"
    bundle.mkdir()
    [invoice] = [p for p in sample_bundle().rglob("*.pdf")][:1]
    (bundle / "invoice.pdf").write_bytes(invoice.read_bytes() + f"\n% {tmp_path}\n".encode())

    [(timed_out, how)] = _read_once(bundle, cache, timeout_s=0.001)
    assert timed_out.document.status.value == "unreadable"
    assert "timed out" in timed_out.document.error and how == "read"

    [(read, how)] = _read_once(bundle, cache, timeout_s=120)  # read again, not the time-out
    assert read.document.status.value == "parsed" and how == "read"
    [(again, how)] = _read_once(bundle, cache, timeout_s=120)
    assert how == "kept" and again.records == read.records

    (bundle / "invoice.pdf").rename(bundle / "renamed.pdf")
    [(renamed, how)] = _read_once(bundle, cache, timeout_s=120)
    assert how == "kept"  # the key is the content, not the path
    assert renamed.document.file == "renamed.pdf"
    assert "invoice.pdf" not in renamed.model_dump_json()
    assert renamed.records and renamed.records[0].source.file == "renamed.pdf"

    [(_, how)] = _read_once(bundle, cache, timeout_s=120, refresh=True)
    assert how == "read"  # --refresh reads the file again
