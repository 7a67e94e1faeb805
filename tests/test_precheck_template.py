"""`carbon-verify template bundle`: a folder layout a plant fills; filled with a generated
month's documents (each in the folder of its kind, the claim over the blank one) it runs and
concludes as the month's truth says."""

from __future__ import annotations

import shutil
import tomllib

import pytest
from typer.testing import CliRunner

from fixtures.generate.run import generate
from verify.cli import app
from verify.pipeline import RunOptions, run_bundle

FOLDER_OF = {"fuel_invoice": "invoices", "lab_report": "lab_reports", "stock_record": "stock",
             "production_record": "production", "meter_record": "meters", "claim": "claim"}


@pytest.mark.parametrize("lang, words", [("en", "lab report"), ("zh", "检测报告")])
def test_template_bundle_is_filled_and_runs(tmp_path, lang, words):
    root = tmp_path / "bundle"
    result = CliRunner().invoke(app, ["template", "bundle", str(root), "--lang", lang])
    assert result.exit_code == 0, result.output
    assert words in (root / "lab_reports" / "README.txt").read_text("utf-8")
    config = tomllib.loads((root / "bundle.toml").read_text("utf-8"))
    assert config["lang"] == lang
    assert (root / "claim" / "claim.xlsx").stat().st_size > 0
    (truth,) = generate(tmp_path / "gen", 11, 1, 1, [], lang if lang == "en" else "zh")
    source = tmp_path / "gen" / truth["facility"]["id"] / truth["period"] / "bundle"
    for doc in truth["documents"]:
        target = root / FOLDER_OF[doc["kind"]]
        name = "claim.xlsx" if doc["kind"] == "claim" else doc["file"].replace("/", "_")
        shutil.copyfile(source / doc["file"], target / name)
    notes = sorted(p.relative_to(root).as_posix() for p in root.rglob("README.txt"))
    outcome = run_bundle(root, RunOptions(store=False, out=None))
    expected = truth["expected"]
    assert outcome.result.opinion.value == expected["opinion"]
    # the folder notes, left in, are unclassified files: observations naming each note only
    found = outcome.result.findings
    assert sorted(f.rule for f in found if f.rule != "DOC-UNCLASSIFIED") == sorted(
        f["rule"] for f in expected["findings"])
    unclassified = sorted(p.file for f in found if f.rule == "DOC-UNCLASSIFIED"
                          for p in f.evidence)
    assert set(unclassified) <= set(notes)
    assert all(f.severity.value == "observation" for f in found if f.rule == "DOC-UNCLASSIFIED")
    assert outcome.result.claimed_total_tco2 == pytest.approx(expected["claimed_total_tco2"],
                                                              abs=0.005)
    assert outcome.result.lang == lang
