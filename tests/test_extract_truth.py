"""Every record extracted from a generated bundle, compared field by field with its truth.json.

Uses the shipped sample (fixtures/sample) when present, else generates a bundle with the real
generator. Accuracy thresholds, not equality: the diffs are printed in the failure message.
"""

import subprocess
import sys
from pathlib import Path

import pytest
from truth_compare import compare_bundle

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "sample" / "truth.json"


def _generated(tmp: Path, seed: int) -> Path:
    cmd = [sys.executable, "-m", "fixtures", "generate", "--seed", str(seed), "--facilities", "1",
           "--months", "1", "--defects", "none", str(tmp)]
    subprocess.run(cmd, check=True, capture_output=True, cwd=Path(__file__).resolve().parents[1])
    return next(tmp.rglob("truth.json"))


def _summary(report: dict) -> str:
    lines = [f"{d['file']}: kind {d['kind']} (truth {d['want_kind']}) {d['error'] or ''} "
             f"{d['diffs'][:5]}" for d in report["documents"]
             if d["diffs"] or d["kind"] != d["want_kind"]]
    return "\n".join(lines)


@pytest.mark.skipif(not SAMPLE.exists(), reason="fixtures/sample not generated yet")
def test_sample_bundle_matches_truth():
    report = compare_bundle(SAMPLE)
    assert report["wrong"] <= 0.01 * report["fields"], _summary(report)
    assert report["kinds_wrong"] <= 0.05 * len(report["documents"]), _summary(report)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 3])
def test_generated_bundle_matches_truth(tmp_path, seed):
    report = compare_bundle(_generated(tmp_path, seed))
    assert report["fields"] > 300
    assert report["wrong"] <= 0.01 * report["fields"], _summary(report)
    assert report["kinds_wrong"] <= 0.05 * len(report["documents"]), _summary(report)
