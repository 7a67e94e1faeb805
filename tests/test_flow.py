"""The Prefect flow runs the same steps as the CLI's local engine and reaches the same result."""

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
    from flows.verify_bundle import verify_bundle

    options = RunOptions(db=f"sqlite:///{tmp_path / 'runs.db'}", out=tmp_path / "out")
    local = run_bundle(sample_bundle(), options)
    flowed = verify_bundle(sample_bundle(), options)
    assert _comparable(flowed.result) == _comparable(local.result)
    assert (tmp_path / "out" / "findings.json").exists()


def test_flow_rerun_reads_from_the_extraction_cache(prefect_harness, tmp_path):
    from flows.verify_bundle import verify_bundle

    options = RunOptions(store=False)
    first = verify_bundle(sample_bundle(), options)
    second = verify_bundle(sample_bundle(), options)
    assert _comparable(first.result) == _comparable(second.result)


def test_flow_reads_with_the_user_templates(prefect_harness, tmp_path):
    import shutil
    from pathlib import Path

    from extract_docs import coal_assay_sheet, render

    from flows.verify_bundle import verify_bundle

    bundle = tmp_path / "bundle"
    shutil.copytree(sample_bundle(), bundle)
    render(coal_assay_sheet(), bundle / "assay.pdf")
    templates = (Path(__file__).parent / "data" / "templates",)
    flowed = verify_bundle(bundle, RunOptions(store=False, templates=templates))
    [assay] = [d for d in flowed.result.documents if d.file == "assay.pdf"]
    assert (assay.kind.value, assay.status.value) == ("lab_report", "parsed")
    assert any(getattr(r, "template", None) == "coal_assay.yml" for r in flowed.records)
