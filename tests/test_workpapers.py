"""workpapers.xlsx recalculates: LibreOffice opens the workbook, computes every formula, and the
recomputed cells equal the report's figures, for every method and both languages; a changed
input moves the totals; no stored figure holds more decimals than it prints."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from fixtures import sample_bundle
from verify.domain.conclude import RunSettings, conclude
from verify.domain.thresholds import load_thresholds
from verify.model.periods import month_of
from verify.model.records import (
    Claim,
    FuelInvoice,
    LabReport,
    MeterRecord,
    ProductionRecord,
    StockRecord,
)
from verify.model.result import RunResult
from verify.pipeline import RunOptions, conclude_extractions, discover_bundle, template_setup
from verify.report.settings import strings
from verify.report.workpapers import write_workpapers
from verify.report.workpapers_cells import decimals_of, format_decimals, sheet_title
from verify.report.workpapers_inputs import recalculation
from verify.report.workpapers_streams import group_streams, stream_name

METHODS = ("cn-steel-2025", "cn-steel-2013", "eu-mrr")
SOFFICE = shutil.which("soffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) not installed")


def _sample_runs() -> tuple[dict[str, RunResult], list]:
    """The shipped sample read once, concluded under each method."""
    from extractors.worker import extract_many

    bundle = sample_bundle()
    found, config = discover_bundle(bundle)
    try:
        entries, templates, _ = template_setup(found, config, RunOptions(store=False))
        extractions = extract_many([(path, doc) for doc, path in entries], timeout_s=120,
                                   workers=1, templates=templates)
        paths = {doc.file: path for doc, path in entries}
        runs, records = {}, []
        for method in METHODS:
            options = RunOptions(store=False, method=method, started_at="2025-04-10T09:00:00")
            runs[method], records = conclude_extractions(extractions, paths, config, options,
                                                         bundle)
    finally:
        found.cleanup()
    return runs, records


def _a_month_later(records: list, month: str = "2025-03", later: str = "2025-04") -> list:
    """Copies of a month's evidence one month on (new invoice and report numbers, so that
    they are deliveries of their own), and the claim extended to both months."""
    def day(d: dt.date) -> dt.date:
        return d + dt.timedelta(days=30) if d.day <= 28 else d.replace(day=28) + dt.timedelta(30)

    copies: list = []
    for r in records:
        if isinstance(r, FuelInvoice) and r.date and month_of(r.date) == month:
            copies.append(r.model_copy(update={"date": day(r.date), "number": r.number + "-B"}))
        elif isinstance(r, LabReport) and r.sampling_date and month_of(r.sampling_date) == month:
            copies.append(r.model_copy(update={
                "sampling_date": day(r.sampling_date), "report_no": r.report_no + "-B",
                "report_date": r.report_date and r.report_date + dt.timedelta(days=30)}))
        elif isinstance(r, StockRecord | ProductionRecord | MeterRecord) and r.period == month:
            copies.append(r.model_copy(update={"period": later}))
    claim = next(r for r in records if isinstance(r, Claim))

    def both(rows: list) -> list:
        return rows + [row.model_copy(update={"period": later}) for row in rows]

    two = claim.model_copy(update={
        "period": f"{month}..{later}", "total_tco2": round(claim.total_tco2 * 2, 2),
        "crude_steel_t": claim.crude_steel_t and claim.crude_steel_t * 2,
        "fuels": both(claim.fuels), "process": both(claim.process),
        "products": both(claim.products)})
    return [two, *[r for r in records if r is not claim], *copies]


def recalculate(paths: list[Path], out: Path) -> dict[str, Path]:
    """Open every workbook in LibreOffice headless (one start) and save it back recalculated."""
    out.mkdir(parents=True, exist_ok=True)
    profile = f"-env:UserInstallation=file://{out / 'profile'}"  # its own, beside any other
    subprocess.run([SOFFICE, profile, "--headless", "--norestore", "--convert-to", "xlsx",
                    "--outdir", str(out), *map(str, paths)], check=True, capture_output=True,
                   timeout=300)
    return {p.stem: out / p.name for p in paths}


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    runs, records = _sample_runs()
    folder = tmp_path_factory.mktemp("workpapers")
    written = {}
    for method, run in runs.items():
        for lang in ("en", "zh"):
            written[(method, lang)] = write_workpapers(run, records,
                                                       folder / f"{method}-{lang}.xlsx", lang)
    # two months: the domain concludes the sample's month and a copy of it a month later
    base = runs["cn-steel-2025"]
    two_records = _a_month_later(records)
    two = conclude(two_records[0], two_records[1:], base.documents, load_thresholds(),
                   RunSettings(run_id="two-months", period="2025-03..2025-04"))
    written[("two-months", "en")] = write_workpapers(two, two_records,
                                                     folder / "two-months-en.xlsx", "en")
    # a verifier's edit: the first counted coke invoice doubled, in a copy
    edited = folder / "edited.xlsx"
    wb = load_workbook(written[("cn-steel-2025", "en")])
    coke = wb[stream_name("coke", strings("en"))]
    first = _row_of(coke, strings("en")["wp"]["purchased"], column=2)
    quantity = coke.cell(row=first, column=4).value
    factor = coke.cell(row=first, column=6).value
    coke.cell(row=first, column=4).value = quantity * 2
    wb.save(edited)
    recomputed = {} if SOFFICE is None else recalculate([*written.values(), edited],
                                                        folder / "recalculated")
    return {"runs": runs, "records": records, "written": written, "recomputed": recomputed,
            "edit": quantity * factor, "two": (two, two_records)}


def _row_of(ws, label: str, column: int = 1) -> int:
    for (c,) in ws.iter_rows(min_col=column, max_col=column):
        if c.value == label:
            return c.row
    raise AssertionError(f"{label!r} not found in {ws.title}")


def _totals(ws, t: dict) -> dict[str, object]:
    """Summary lines by label: recalculated value (column B)."""
    return {row[0]: row[1] for row in ws.iter_rows(values_only=True) if row and row[0]}


@needs_soffice
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_recomputed_workbook_equals_the_report(sample, method, lang):
    run: RunResult = sample["runs"][method]
    t, w = strings(lang), strings(lang)["wp"]
    wb = load_workbook(sample["recomputed"][f"{method}-{lang}"], data_only=True)
    for name, streams in group_streams(run).items():
        ws = wb[stream_name(name, t)]
        verified_col = 12 if streams[0].kind == "fuel" else 8
        for s in streams:
            row = _row_of(ws, s.period)
            assert ws.cell(row=row, column=verified_col).value == pytest.approx(
                s.verified_tco2, abs=0.005), (method, lang, name, s.period)
            assert ws.cell(row=row, column=verified_col + 2).value == pytest.approx(0, abs=0.005)
    summary = _totals(wb[t["wp"].get("sheet", {}).get("summary", t["sheet"]["summary"])], t)
    m = run.materiality
    assert summary[w["verified_total"]] == pytest.approx(run.verified_total_tco2, abs=0.005)
    assert summary[w["claimed_rows"]] == pytest.approx(run.claimed_total_tco2, abs=0.005)
    assert summary[w["misstatement"]] == pytest.approx(m.misstatement_tco2, abs=0.005)
    assert summary[w["misstatement_pct"]] == pytest.approx(round(m.misstatement_pct, 2), abs=1e-9)
    assert summary[w["material"]] == (t["yes"] if m.material else t["no"])
    intensity = round(run.verified_total_tco2 / run.crude_steel_t, 4)
    assert summary[w["intensity"]] == pytest.approx(intensity, abs=5e-5)
    per_stream = {row[0]: row[4] for row in wb.worksheets[0].iter_rows(values_only=True)}
    for name, streams in group_streams(run).items():
        assert per_stream[stream_name(name, t)] == pytest.approx(
            sum(s.verified_tco2 for s in streams), abs=0.005)


def test_the_methods_differ_where_their_factors_do(sample):
    """The sample under each method: the defaulted stream takes each method's factors, the EU
    form derives CC from its tCO2/TJ factor by a formula."""
    runs, records = sample["runs"], sample["records"]
    cog = {m: next(s for s in runs[m].streams if s.name == "coke_oven_gas") for m in METHODS}
    inputs = {m: recalculation(cog[m], records, m) for m in METHODS}
    assert [f.source for f in inputs["cn-steel-2013"].factors] == ["default"] * 3
    assert inputs["eu-mrr"].cc_from_ef and not inputs["cn-steel-2025"].cc_from_ef
    ws = load_workbook(sample["written"][("eu-mrr", "en")])[stream_name("coke_oven_gas",
                                                                        strings("en"))]
    formulas = [c.value for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert any("/1000*12/44" in f for f in formulas)
    assert len({runs[m].verified_total_tco2 for m in METHODS}) == 3


@needs_soffice
def test_an_edited_input_moves_the_stream_and_the_totals(sample):
    run = sample["runs"]["cn-steel-2025"]
    t, w = strings("en"), strings("en")["wp"]
    before = load_workbook(sample["recomputed"]["cn-steel-2025-en"], data_only=True)
    after = load_workbook(sample["recomputed"]["edited"], data_only=True)
    coke = next(s for s in run.streams if s.name == "coke")
    ad = {wb: wb["Coke"].cell(row=_row_of(wb["Coke"], coke.period), column=8).value
          for wb in (before, after)}
    assert ad[after] - ad[before] == pytest.approx(sample["edit"], abs=1e-6)
    moved = {wb: _totals(wb["Summary"], t)[w["verified_total"]] for wb in (before, after)}
    expected = round(sample["edit"] * coke.ncv.evidenced * coke.carbon_content.evidenced
                     * 44 / 12, 2)
    assert moved[after] - moved[before] == pytest.approx(expected, abs=0.02)


def test_no_stored_figure_holds_more_decimals_than_it_prints(sample):
    for path in sample["written"].values():
        wb = load_workbook(path)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if isinstance(c.value, float):
                        shown = format_decimals(c.number_format)
                        assert decimals_of(c.value) <= shown, (path.name, ws.title,
                                                               c.coordinate, c.value)
    # the sample's coke is 7471.920000000001 t in the run, 7471.92 in the workbook
    coke = next(s for s in sample["runs"]["cn-steel-2025"].streams if s.name == "coke")
    assert coke.activity.evidenced != round(coke.activity.evidenced, 2)


def test_the_recalculation_is_formulas_over_inputs_that_name_their_documents(sample):
    run = sample["runs"]["cn-steel-2025"]
    wb = load_workbook(sample["written"][("cn-steel-2025", "en")])
    ws = wb["Coke"]
    row = _row_of(ws, "2025-03")
    assert ws.cell(row=row, column=12).value.startswith("=ROUND(H")
    assert ws.cell(row=row, column=8).value.startswith("=SUM(")
    inputs = recalculation(next(s for s in run.streams if s.name == "coke"), sample["records"],
                           run.method)
    purchased = [i for i in inputs.items if i.item == "purchased"]
    assert purchased and all(i.where and i.where.sha256 and i.document for i in purchased)
    files = {c.value for (c,) in ws.iter_rows(min_col=9, max_col=9) if c.value}
    assert {i.where.file for i in purchased} <= files
    summary = wb["Summary"]
    assert summary.freeze_panes == "A2" and ws.freeze_panes == "B7"
    verified = _row_of(summary, strings("en")["wp"]["verified_total"])
    assert summary.cell(row=verified, column=2).data_type == "f"


def test_findings_sheet_one_row_per_finding_with_its_stable_id(sample):
    run = sample["runs"]["cn-steel-2025"]
    for lang, title in (("en", "Findings"), ("zh", "核查发现")):
        wb = load_workbook(sample["written"][("cn-steel-2025", lang)])
        ws = wb[title]
        assert ws.sheet_properties.codeName == "Findings"
        ids = [c.value for (c,) in ws.iter_rows(min_row=2, max_col=1)]
        assert ids == [run.finding_id(i) for i in range(len(run.findings))]
        assert ws["A1"].value == strings(lang)["wp"]["finding_id"]


def test_sheet_names_excel_accepts():
    taken: set[str] = set()
    long = "High-carbon ferromanganese from the electric arc furnace"
    names = [sheet_title(n, taken) for n in (long, long, "a/b:c*d?[e]", "'quoted'", "COKE",
                                            "coke")]
    assert all(len(n) <= 31 for n in names)
    assert len({n.casefold() for n in names}) == len(names)
    assert not any(ch in n for n in names for ch in "[]:*?/\\")
    assert names[2] == "a_b_c_d__e_" and names[3] == "quoted" and names[5] == "coke (2)"


def test_march_workpapers_hold_numbers_with_their_evidence(tmp_path):
    """The report tests' March run: every sheet in place, evidence rows with file, page, box
    and SHA-256, findings with their evidence, documents with their status."""
    from test_report import INV, INV2, SHA_BAD, SHA_INV, SHA_INV2, march_records, march_run

    wb = load_workbook(write_workpapers(march_run(), march_records(), tmp_path / "w.xlsx"))
    assert wb.sheetnames[0] == "Summary" and wb.sheetnames[-5:] == [
        "Invoices", "Lab results", "Production", "Stock", "Meters"]
    assert {"Findings", "Documents", "Coke"} <= set(wb.sheetnames)
    coke = wb["Coke"]
    assert coke["A6"].font.bold and coke.cell(row=7, column=2).value == 13200.0
    assert coke.cell(row=7, column=2).number_format == "#,##0.000"
    findings = list(wb["Findings"].iter_rows(min_row=2, values_only=True))
    assert findings[0][:3] == ("F-001", "INV-DUPLICATE", "misstatement")
    assert INV in findings[0][10] and INV2 in findings[0][10]
    assert findings[0][11].split("\n") == [SHA_INV, SHA_INV2]
    inv = list(wb["Invoices"].iter_rows(values_only=True))
    assert inv[1][5] == 1200.0 and inv[1][8:] == (
        INV, 1, "[312.5, 401.2, 360.0, 412.8]", None, None, SHA_INV)  # None: not read by OCR
    assert list(wb["Stock"].iter_rows(min_row=2, values_only=True))[0][11] == "Stock!F3"
    docs = list(wb["Documents"].iter_rows(min_row=2, values_only=True))
    assert docs[4][4:] == ("unreadable", "truncated or corrupt PDF: no %%EOF marker", SHA_BAD)


def test_without_records_the_concluded_figure_stands_as_one_input(tmp_path):
    from test_report import march_run

    wb = load_workbook(write_workpapers(march_run(), [], tmp_path / "w.xlsx"))
    coke = wb["Coke"]  # nothing itemised: the concluded figure stands as one input
    items = [c.value for (c,) in coke.iter_rows(min_col=2, max_col=2) if c.value]
    assert strings("en")["wp"]["as_concluded"] in items


@needs_soffice
def test_a_two_month_run_recomputes_per_stream_and_per_month(sample):
    run, records = sample["two"]
    t, w = strings("en"), strings("en")["wp"]
    assert sorted({s.period for s in run.streams}) == ["2025-03", "2025-04"]
    wb = load_workbook(sample["recomputed"]["two-months-en"], data_only=True)
    for name, streams in group_streams(run).items():
        ws = wb[stream_name(name, t)]
        column = 12 if streams[0].kind == "fuel" else 8
        for s in streams:
            assert ws.cell(row=_row_of(ws, s.period), column=column).value == pytest.approx(
                s.verified_tco2, abs=0.005), (name, s.period)
            items = recalculation(s, records, run.method).items
            assert all(i.item != "as_concluded" for i in items), (name, s.period)
    sign = {"fuel": 1, "process": 1, "product": -1}
    months = {}
    for s in run.streams:
        months[s.period] = months.get(s.period, 0.0) + sign[s.kind] * s.verified_tco2
    summary = wb["Summary"]
    start = _row_of(summary, w["summary_months"])
    shown = {row[0]: row[2] for row in summary.iter_rows(min_row=start + 2, max_row=start + 3,
                                                         values_only=True)}
    assert shown == pytest.approx({p: round(v, 2) for p, v in months.items()}, abs=0.005)
    assert _totals(summary, t)[w["verified_total"]] == pytest.approx(run.verified_total_tco2,
                                                                     abs=0.005)


@needs_soffice
def test_lab_factors_are_recalculated_from_the_printed_lab_values(sample):
    """NCV from the printed unit (kcal/kg, MJ/Nm3), carbon from the air-dried basis or a gas
    composition: formulas over the lab's printed values that give back the NCV and CC used."""
    run = sample["runs"]["cn-steel-2025"]
    t = strings("en")
    written = load_workbook(sample["written"][("cn-steel-2025", "en")])
    recomputed = load_workbook(sample["recomputed"]["cn-steel-2025-en"], data_only=True)
    lab_streams = [s for s in run.streams if s.kind == "fuel" and s.ncv.support == "evidenced"]
    assert {"washed_coal", "natural_gas"} <= {s.name for s in lab_streams}
    for s in lab_streams:
        title = stream_name(s.name, t)
        row = _row_of(written[title], s.period)
        for column, used in ((9, s.ncv.evidenced), (10, s.carbon_content.evidenced)):
            target = written[title].cell(row=row, column=column).value[1:]  # "=C31"
            assert written[title][target].data_type == "f", (s.name, column)
            assert recomputed[title][target].value == pytest.approx(used, abs=1e-9), s.name
        printed = {c.value for (c,) in written[title].iter_rows(min_col=2, max_col=2)}
        assert t["wp"]["ncv_printed"] in printed
    coal = written[stream_name("washed_coal", t)]
    assert t["wp"]["carbon_ad"] in {c.value for (c,) in coal.iter_rows(min_col=2, max_col=2)}
