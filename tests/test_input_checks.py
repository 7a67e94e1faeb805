"""Input values are checked at the door: each refusal of a bad number, with its message, and the
plant-side faults that become findings instead (issue 12, 'bad numbers judged as good')."""

from __future__ import annotations

import math
import shutil

import pytest
from rule_builder import claim
from typer.testing import CliRunner

from fixtures import sample_bundle
from verify.cli import app
from verify.domain.conclude import RunSettings, conclude
from verify.domain.config import parse_bundle_config
from verify.domain.thresholds import load_thresholds, ranges
from verify.model.errors import ClaimError, ConfigError
from verify.model.result import Opinion

COKE = {"stream": "coke", "consumed": 10200, "ncv": 28.435, "cc": 0.02942,
        "data_source": "default"}


@pytest.mark.parametrize("text, message", [
    ("materiality_pct = nan", "bundle.toml: materiality_pct = nan: Input should be a finite number"),
    ("materiality_pct = inf", "bundle.toml: materiality_pct = inf: Input should be a finite number"),
    ("[thresholds]\nlab_tolerance_pct = inf",
     "bundle.toml: thresholds.lab_tolerance_pct = inf: Input should be a finite number"),
])
def test_bundle_toml_refuses_nan_and_infinity(text, message):
    with pytest.raises(ConfigError) as exc:
        parse_bundle_config(text)
    assert str(exc.value) == message


@pytest.mark.parametrize("overrides, message", [
    ({"lab_tolerance_pct": math.inf},
     "invalid threshold setting: lab_tolerance_pct = inf: Input should be a finite number"),
    ({"ad_tolerance_pct": math.nan},
     "invalid threshold setting: ad_tolerance_pct = nan: Input should be a finite number"),
    ({"lab_tolerance_pct": 50.0},
     "invalid threshold setting: lab_tolerance_pct = 50: outside its sensible range 0-10 "
     "(verify/data/rules.toml [ranges])"),
    ({"materiality_override_pct": 0.0},
     "invalid threshold setting: materiality_override_pct = 0: outside its sensible range "
     "0.1-20 (verify/data/rules.toml [ranges])"),
    ({"ocr_min_confidence": -0.1},
     "invalid threshold setting: ocr_min_confidence = -0.1: outside its sensible range 0-1 "
     "(verify/data/rules.toml [ranges])"),
])
def test_thresholds_refuse_non_finite_and_out_of_range(overrides, message):
    with pytest.raises(ConfigError) as exc:
        load_thresholds(overrides)
    assert str(exc.value) == message


def test_defaults_are_inside_their_ranges():
    t = load_thresholds().model_dump()
    for key, (low, high) in ranges().items():
        if t.get(key) is not None:
            assert low <= t[key] <= high, key


def test_run_with_nan_materiality_exits_2_naming_the_key(tmp_path):
    bundle = tmp_path / "bundle"
    shutil.copytree(sample_bundle(), bundle)
    toml = bundle / "bundle.toml"
    toml.write_text("materiality_pct = nan\n" + toml.read_text("utf-8"), encoding="utf-8")
    result = CliRunner().invoke(app, ["run", str(bundle), "--out", str(tmp_path / "out"),
                                      "--db", f"sqlite:///{tmp_path / 'x.db'}"])
    assert result.exit_code == 2, result.output
    assert "materiality_pct = nan: Input should be a finite number" in result.output


def _conclude(spec: dict):
    return conclude(claim(spec), [], [], load_thresholds(), RunSettings(run_id="t"))


def test_claim_with_nan_is_refused_naming_the_cell():
    with pytest.raises(ClaimError) as exc:
        _conclude({"period": "2025-03", "fuels": [{**COKE, "ncv": math.nan}]})
    assert str(exc.value) == (
        "the claim holds values that are not finite numbers: claim.xlsx Summary!A1: total_tco2 = "
        "nan; claim.xlsx Fuels!A2: ncv = nan; claim.xlsx Fuels!A2: emissions = nan "
        "(enter a number, or leave an optional cell empty)")


def test_negative_total_is_a_finding_and_not_verified():
    result = _conclude({"period": "2025-03", "total_tco2": -31287.26, "fuels": [COKE]})
    rules = [f.rule for f in result.findings]
    assert "CLAIM-VALUES" in rules and "CALC-TIEOUT" in rules
    # the row gives +31,287.26 t, the total -31,287.26 t: a tie-out of 62,574.52 t against
    # |claimed total| 31,287.26 t is 200 %, material (against the signed total it read -200 %)
    assert result.materiality.misstatement_tco2 == pytest.approx(62574.52, abs=0.01)
    assert result.materiality.misstatement_pct == pytest.approx(200.0, abs=0.01)
    assert result.opinion == Opinion.NOT_VERIFIED


def test_claim_of_another_period_is_one_finding_and_nothing_is_mixed():
    """A claim for 2024-07 against a bundle for 2025-03: one CLAIM-PERIOD finding, a scope
    limitation, no claimed row assessed against the other month's evidence."""
    spec = {"period": "2024-07", "fuels": [COKE]}
    result = conclude(claim(spec), [], [], load_thresholds(), RunSettings(run_id="t", period="2025-03"))
    assert [(f.rule, f.severity.value, f.scope_limitation) for f in result.findings] == [
        ("CLAIM-PERIOD", "non_conformity", True)]
    assert result.streams == [] and result.verified_total_tco2 == 0.0
    assert result.materiality.misstatement_tco2 == 0.0
    assert result.opinion == Opinion.NOT_VERIFIED


def test_period_selects_and_says_which_months_are_ignored():
    spec = {"period": "2025-02..2025-03", "fuels": [
        {**COKE, "period": "2025-02", "consumed": 9800}, {**COKE, "period": "2025-03"}]}
    result = conclude(claim(spec), [], [], load_thresholds(), RunSettings(run_id="t", period="2025-03"))
    assert [s.period for s in result.streams] == ["2025-03"]
    note = next(f for f in result.findings if f.rule == "CLAIM-PERIOD")
    assert note.severity.value == "observation" and "(2025-02) are not verified" in note.message


def _with_cell_text(src, dst, cell: str, raw: str) -> None:
    """A copy of the workbook `src` whose `cell` (first sheet) is stored as the raw number text
    `raw`, as another tool may write it (openpyxl itself never writes a non-finite number)."""
    import zipfile

    import openpyxl

    marker = "123456.789"
    wb = openpyxl.load_workbook(src)
    wb.worksheets[0][cell] = float(marker)
    tmp = dst.with_suffix(".tmp.xlsx")
    wb.save(tmp)
    with zipfile.ZipFile(tmp) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = data.replace(marker.encode(), raw.encode())
            zout.writestr(info, data)
    tmp.unlink()


@pytest.mark.parametrize("raw", ["1e999", "-1e999"])
def test_a_non_finite_number_in_a_sheet_is_never_taken_as_a_figure(tmp_path, raw):
    """An invoice list whose quantity cell holds 1e999 (infinity once parsed): the line keeps no
    quantity, the other lines are read, and the run counts only what the list evidences."""
    from extractors.discover import discover
    from extractors.read import extract_file
    from verify.pipeline import RunOptions, run_bundle

    bundle = tmp_path / "bundle"
    shutil.copytree(sample_bundle(), bundle)
    listing = next(p for p in bundle.rglob("*.xlsx") if _kind(p) == "fuel_invoice")
    import openpyxl

    ws = openpyxl.load_workbook(listing).worksheets[0]
    head = next(r for r in ws.iter_rows() if any(c.value == "数量" for c in r))
    qty_col = next(c.column_letter for c in head if c.value == "数量")
    cell = f"{qty_col}{head[0].row + 1}"
    first_qty = ws[cell].value
    _with_cell_text(listing, tmp_path / "patched.xlsx", cell, raw)
    shutil.copyfile(tmp_path / "patched.xlsx", listing)

    doc = next(d for d, path in discover(bundle).entries if path == listing)
    records = extract_file(listing, doc).records
    quantities = [ln.quantity for r in records for ln in r.lines]
    assert quantities[0] is None and all(q is not None and math.isfinite(q) for q in quantities[1:])

    outcome = run_bundle(bundle, RunOptions(store=False, out=None))
    assert math.isfinite(outcome.result.verified_total_tco2)
    gap = [f for f in outcome.result.findings if f.rule == "AD-INVOICE"
           and f.difference == pytest.approx(first_qty, abs=0.001)]
    assert gap, "the unread quantity is missing from the invoices' sum, not counted as infinite"


def _kind(path) -> str:
    from extractors.classify import classify

    return classify(path).kind.value


def test_period_subset_is_judged_against_the_months_verified():
    """--period 2025-03 on a two-month claim: the claimed total and the materiality threshold are
    those of March, not the two months' total scaled as if it were one month."""
    spec = {"period": "2025-02..2025-03", "fuels": [
        {**COKE, "period": "2025-02", "consumed": 9800}, {**COKE, "period": "2025-03"}]}
    whole = claim(spec)
    result = conclude(whole, [], [], load_thresholds(), RunSettings(run_id="t", period="2025-03"))
    march = result.streams[0].claimed_tco2
    assert whole.total_tco2 > march * 1.9
    assert result.claimed_total_tco2 == pytest.approx(march)
    one_month = conclude(claim({"period": "2025-03", "fuels": [COKE]}), [], [], load_thresholds(),
                         RunSettings(run_id="t", period="2025-03"))
    assert result.materiality.threshold_pct == one_month.materiality.threshold_pct
    assert result.materiality.misstatement_pct == pytest.approx(
        one_month.materiality.misstatement_pct)
