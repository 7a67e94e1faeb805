"""The scorer: a perfect run passes, a missed rule or a wrong field fails, the CLI exits 1."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

from fixtures import sample_truth
from fixtures.score import Thresholds, match_findings, report, score


def _perfect(truth: dict) -> dict:
    exp = truth["expected"]
    return {"schema": "carbon-verify/findings/v1", "period": truth["period"], "opinion": exp["opinion"],
            "claimed_total_tco2": exp["claimed_total_tco2"],
            "verified_total_tco2": exp["verified_total_tco2"],
            "findings": [{"id": f"F-{i:03d}", "rule": f["rule"], "stream": f["stream"],
                          "severity": f["severity"], "impact_tco2": f["impact_tco2"]}
                         for i, f in enumerate(exp["findings"], 1)]}


def _records(truth: dict) -> list[dict]:
    return [{"file": d["file"], "records": d["records"]} for d in truth["documents"]]


def test_perfect_run_passes() -> None:
    truth = sample_truth()
    result = score(_perfect(truth), truth, _records(truth))
    text, ok = report(result, Thresholds())
    assert ok, text
    assert result.recall == result.precision == result.field_accuracy == 1.0


def test_missing_rule_lowers_recall_and_extra_lowers_precision() -> None:
    truth = sample_truth()
    run = _perfect(truth)
    run["findings"] = run["findings"][1:] + [{"rule": "TREND-BREAK", "stream": "coke"}]
    result = score(run, truth)
    assert result.recall < 1 and result.precision < 1
    assert not report(result, Thresholds())[1]


def test_period_is_ignored_when_one_side_has_none() -> None:
    exp = [{"rule": "CALC-TIEOUT", "stream": None, "period": None}]
    got = [{"rule": "CALC-TIEOUT", "stream": None, "period": "2025-03"}]
    assert match_findings(got, exp, "2025-01..2025-12")[:2] == (1.0, 1.0)


def test_field_errors_count_per_kind() -> None:
    truth = sample_truth()
    recs = copy.deepcopy(_records(truth))
    inv = next(r for r in recs if r["records"] and "lines" in r["records"][0])
    inv["records"][0]["lines"][0]["quantity"] += 1
    result = score(_perfect(truth), truth, recs)
    right, total = result.fields["fuel_invoice"]
    assert right == total - 1
    recs.pop()  # a whole document unread
    assert score(_perfect(truth), truth, recs).field_accuracy < 1


def test_cli_exit_codes(tmp_path: Path) -> None:
    truth = sample_truth()
    (tmp_path / "truth.json").write_text(json.dumps(truth), encoding="utf-8")
    good = _perfect(truth)
    (tmp_path / "good.json").write_text(json.dumps(good), encoding="utf-8")
    bad = dict(good, findings=good["findings"][1:])
    (tmp_path / "bad.json").write_text(json.dumps(bad), encoding="utf-8")
    (tmp_path / "records.json").write_text(json.dumps(_records(truth)), encoding="utf-8")

    def run(findings: str, *extra: str) -> int:
        cmd = [sys.executable, "-m", "fixtures", "score", str(tmp_path / findings),
               str(tmp_path / "truth.json"), *extra]
        return subprocess.run(cmd, capture_output=True, cwd=Path(__file__).parents[1]).returncode

    assert run("good.json", "--records", str(tmp_path / "records.json")) == 0
    assert run("bad.json") == 1
    assert run("bad.json", "--min-recall", "0.5") == 0
