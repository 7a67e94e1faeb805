"""The evidence generator: every layout renders and reads back, truth arithmetic holds, the same
seed gives the same truth, and each defect produces the finding it is for."""

from __future__ import annotations

import hashlib
import json
import random
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pdfplumber
import pytest

from fixtures import sample_bundle, sample_truth
from fixtures.generate import factors as fx
from fixtures.generate import plan as planner
from fixtures.generate import records, text
from fixtures.generate.bundle import render_all
from fixtures.generate.encrypt import encrypted_pdf
from fixtures.generate.lab_files import BATCH_LAYOUTS
from fixtures.generate.labs import derived_ncv_cc
from fixtures.generate.model import Doc, LabReport, LabValue
from fixtures.generate.run import generate, parse_defects

INVOICE_LAYOUTS = ("cn_vat", "cn_digital", "en_ruled", "en_keyvalue")


@pytest.fixture(scope="module")
def month():
    rng = random.Random(5)
    prof = planner.make_profile(rng, 0, "mixed")
    planner.warm_up(prof, rng, "2025-03")
    return planner.plan_month(prof, rng, "2025-03")


def _half_up(x: float) -> float:
    return float(Decimal(repr(x)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _digits(s: str) -> str:
    return re.sub(r"[^0-9]", "", s)


def _pdf_text(data: bytes) -> str:
    import io

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


@pytest.mark.parametrize("layout", INVOICE_LAYOUTS)
@pytest.mark.parametrize("effect", ["plain", "rotated", "scanned"])
def test_every_invoice_layout_reads_back(month, layout: str, effect: str) -> None:
    inv = next(d.payload[0] for d in month.docs if d.kind == "fuel_invoice" and d.layout != "xlsx_list")
    lang = "zh" if layout.startswith("cn") else "en"
    doc = Doc("fuel_invoice", layout, lang, [inv], "2025-03", rotated=effect == "rotated",
              scanned=effect == "scanned", number_style="space")
    (data,) = render_all([doc], [7], jobs=1)
    got = _pdf_text(data)
    if effect == "scanned":
        assert got.strip() == ""  # image only: no text layer
        return
    assert inv.number in got.replace(" ", "")
    assert _digits(text.fmt_exact(inv.lines[0].quantity, "plain")) in _digits(got)
    if layout.startswith("cn"):
        assert text.cn_capital(inv.total_with_tax) in got


def test_multi_invoice_pdf_and_long_invoice_span_pages(month) -> None:
    invs = [d.payload[0] for d in month.docs if d.kind == "fuel_invoice" and d.layout != "xlsx_list"][:3]
    (data,) = render_all([Doc("fuel_invoice", "cn_vat", "zh", invs, "2025-03")], [1], jobs=1)
    with pdfplumber.open(__import__("io").BytesIO(data)) as pdf:
        assert len(pdf.pages) == 3
        for page, inv in zip(pdf.pages, invs, strict=True):
            assert inv.number in (page.extract_text() or "")
    long = invs[0]
    long.lines = long.lines * 40
    (data,) = render_all([Doc("fuel_invoice", "en_ruled", "en", [long], "2025-03")], [1], jobs=1)
    got = _pdf_text(data)
    assert "Page 2 of" in got


@pytest.mark.parametrize("layout", ["lab_cn_table", "lab_en_certificate", "lab_gas"])
def test_lab_layouts_read_back(month, layout: str) -> None:
    gas = layout == "lab_gas"
    rep = next(r for d in month.docs if d.kind == "lab_report" for r in d.payload
               if (r.stream == "natural_gas") == gas)
    lang = "zh" if layout == "lab_cn_table" else "en"
    (data,) = render_all([Doc("lab_report", layout, lang, [rep], "2025-03")], [3], jobs=1)
    got = _pdf_text(data)
    assert rep.report_no in got
    assert rep.accreditation[0].split()[1] in got.replace(" ", "")
    ncv = next(r for r in rep.results if r.parameter == "ncv")
    assert _digits(text.fmt_exact(ncv.value, "plain")) in _digits(got)


def _page_texts(data: bytes) -> list[str]:
    import io

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def test_month_of_lab_reports_in_one_pdf(month) -> None:
    reps = [r for d in month.docs if d.kind == "lab_report" for r in d.payload]
    reps = sorted(reps, key=lambda r: r.layout)  # one template's reports flow together
    docs = [Doc("lab_report", layout, "zh", reps, "2025-03") for layout in BATCH_LAYOUTS]
    paged, runon = (_page_texts(data) for data in render_all(docs, [3, 3], jobs=1))
    numbers = [r.report_no for r in reps]
    assert [[n for n in numbers if n in t] for t in paged] == [[n] for n in numbers]
    printed = [n for t in runon for n in numbers if n in t]
    assert printed == numbers and len(runon) <= len(numbers)
    pair = next([a.report_no, b.report_no] for a, b in zip(reps, reps[1:], strict=False)
                if a.layout == b.layout)
    assert any(pair[0] in t and pair[1] in t for t in runon)  # two reports on one page
    truth = records.for_doc(docs[0])
    assert [t["report_no"] for t in truth] == numbers
    assert [t["accreditation"][-1] == "ISO/IEC 17025" for t in truth] == \
        [r.layout == "lab_en_certificate" for r in reps]


def test_lab_reports_of_a_share_of_months_share_one_pdf() -> None:
    rng = random.Random(12)
    prof = planner.make_profile(rng, 0, "mixed")
    planner.warm_up(prof, rng, "2025-01")
    counts: dict[str, int] = {}
    for period in planner.periods("2025-01", 24):
        labs = [d for d in planner.plan_month(prof, rng, period).docs if d.kind == "lab_report"]
        assert sorted(r.stream for d in labs for r in d.payload) == \
            ["bituminous_coal", "coke", "natural_gas", "washed_coal"]
        for d in labs:
            counts[d.layout] = counts.get(d.layout, 0) + 1
            assert (len(d.payload) > 1) == (d.layout in BATCH_LAYOUTS)
    batches = counts.get("lab_batch", 0) + counts.get("lab_batch_runon", 0)
    assert counts.get("lab_batch", 0) > 0 and counts.get("lab_batch_runon", 0) > 0
    assert 0.15 <= batches / 24 <= 0.6


def test_spreadsheets_and_notice_render(month) -> None:
    docs = [d for d in month.docs if d.layout.endswith("xlsx")]
    docs.append(Doc("unknown", "notice", "zh", {}, "2025-03", org="某钢铁公司"))
    docs.append(Doc("production_record", "prod_pdf", "en", docs[0].payload, "2025-03", org="X Steel"))
    out = render_all(docs, list(range(len(docs))), jobs=1)
    assert all(b[:2] == b"PK" for d, b in zip(docs, out, strict=True) if d.layout.endswith("xlsx"))
    assert "通知" in _pdf_text(out[-2])
    assert "Crude steel" in _pdf_text(out[-1])


def test_encrypted_and_truncated_pdfs_are_refused(tmp_path: Path) -> None:
    enc = encrypted_pdf(["Invoice No. X1"], "pw", "owner", bytes(16))
    (tmp_path / "e.pdf").write_bytes(enc)
    with pytest.raises(Exception), pdfplumber.open(tmp_path / "e.pdf") as pdf:  # noqa: B017
        pdf.pages[0].extract_text()
    with pdfplumber.open(tmp_path / "e.pdf", password="pw") as pdf:
        assert "X1" in pdf.pages[0].extract_text()


def test_chinese_capital_amounts() -> None:
    cases = {"1234567.89": "壹佰贰拾叁万肆仟伍佰陆拾柒圆捌角玖分", "1005": "壹仟零伍圆整",
             "100500": "壹拾万零伍佰圆整", "100000000": "壹亿圆整", "100010000.5": "壹亿零壹万圆伍角",
             "1234.05": "壹仟贰佰叁拾肆圆零伍分", "10.5": "壹拾圆伍角", "1050000": "壹佰零伍万圆整"}
    for amount, words in cases.items():
        assert text.cn_capital(Decimal(amount)) == words


def test_number_styles() -> None:
    assert text.fmt(Decimal("1234.5"), 2, "comma") == "1,234.50"
    assert text.fmt(Decimal("1234.5"), 2, "space") == "1 234.50"
    assert text.fmt(Decimal("1234.5"), 2, "dot") == "1.234,50"


def test_golden_g2_lines() -> None:
    assert fx.emissions(100, 389.31, 0.01532, 1) == 2186.88
    assert fx.emissions(100, 389.31, 0.01532, 0.99) == 2165.02
    assert fx.emissions(10000, 33.000, 0.0708, 0.99) == 84811.32
    rep = LabReport("coke", "R1", "L", [], "S", "", None, None, [  # type: ignore[arg-type]
        LabValue("moisture_total", Decimal("8.0"), "%", "ar", None, "Mt"),
        LabValue("moisture_ad", Decimal("1.5"), "%", "ad", None, "Mad"),
        LabValue("carbon", Decimal("70.00"), "%", "ad", None, "Cad"),
        LabValue("ncv", Decimal("25.000"), "MJ/kg", "ar", None, "Qnet,ar")])
    ncv, cc = derived_ncv_cc(rep, "t")
    assert ncv == 25.0 and round(cc * ncv * 100, 2) == pytest.approx(65.38, abs=0.01)


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> list[dict]:
    out = tmp_path_factory.mktemp("clean")
    return generate(out, 21, 2, 2, [], "mixed", 0.0, False, "2025-02")


def test_clean_bundles_are_exactly_consistent(clean: list[dict]) -> None:
    for truth in clean:
        exp = truth["expected"]
        assert exp["findings"] == [] and exp["opinion"] == "satisfactory"
        assert exp["verified_total_tco2"] == exp["claimed_total_tco2"]
        claim = next(d["records"][0] for d in truth["documents"] if d["kind"] == "claim")
        bought: dict[str, Decimal] = {}
        for d in truth["documents"]:
            for inv in d["records"] if d["kind"] == "fuel_invoice" else []:
                for ln in inv["lines"]:
                    if ln["stream"]:
                        q = fx.to_activity(Decimal(str(ln["quantity"])), ln["unit"], ln["stream"])
                        bought[ln["stream"]] = bought.get(ln["stream"], Decimal(0)) + q
        for row in claim["fuels"]:
            if row["purchased"] is not None:
                assert Decimal(str(row["purchased"])) == bought[row["stream"]]
            assert row["emissions"] == _half_up(row["consumed"] * row["ncv"] * row["carbon_content"]
                                                * row["oxidation"] * 44 / 12)
        total = sum(r["emissions"] for r in claim["fuels"]) + sum(r["emissions"] for r in claim["process"]) \
            - sum(r["deduction"] for r in claim["products"])
        assert claim["total_tco2"] == _half_up(total)
        assert 1.6 <= claim["total_tco2"] / claim["crude_steel_t"] <= 2.5


def test_same_seed_same_truth(tmp_path: Path) -> None:
    a = generate(tmp_path / "a", 4, 1, 1, ["duplicate_invoice", "missing_lab"], "zh")
    b = generate(tmp_path / "b", 4, 1, 1, ["duplicate_invoice", "missing_lab"], "zh")
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


PRIMARY = {"duplicate_invoice": "INV-DUPLICATE", "out_of_period_invoice": "INV-PERIOD",
           "invoice_arithmetic": "INV-ARITHMETIC", "unit_slip": "UNIT-SUSPECT",
           "ncv_mismatch": "LAB-MATCH", "cc_mismatch": "LAB-MATCH", "missing_lab": "LAB-MISSING",
           "lab_no_accreditation": "LAB-ACCREDITATION", "late_lab": "LAB-TIMING",
           "stock_discontinuity": "AD-STOCK-CONTINUITY", "recompute_error": "CALC-RECOMPUTE",
           "tieout_error": "CALC-TIEOUT", "unclaimed_fuel": "STREAM-COMPLETENESS",
           "trend_break": "TREND-BREAK", "intensity_range": "INTENSITY-RANGE",
           "production_mismatch": "PROD-MATCH", "corrupt_pdf": "DOC-UNREADABLE",
           "encrypted_pdf": "DOC-UNREADABLE", "empty_file": "DOC-UNREADABLE",
           "unrelated_document": "DOC-UNCLASSIFIED", "lab_out_of_range": "LAB-RANGE",
           "lab_incomplete": "LAB-COMPLETENESS", "meter_mismatch": "AD-METER",
           "stock_balance_error": "AD-STOCK-BALANCE"}


def test_each_defect_yields_its_rule(tmp_path: Path) -> None:
    truths = generate(tmp_path, 8, 2, 2, list(PRIMARY), "mixed", 0.2)
    for truth in truths:
        rules = {f["rule"] for f in truth["expected"]["findings"]}
        for d in truth["defects"]:
            assert PRIMARY[d["name"]] in rules, (d, rules)
        root = tmp_path / truth["facility"]["id"] / truth["period"] / "bundle"
        for doc in truth["documents"]:
            data = (root / doc["file"]).read_bytes()
            assert hashlib.sha256(data).hexdigest() == doc["sha256"]
        assert not (root / "truth.json").exists()


def test_new_defects_are_in_all_and_recorded_with_their_rule(tmp_path: Path) -> None:
    new = ["lab_out_of_range", "lab_incomplete", "meter_mismatch", "stock_balance_error"]
    assert set(new) | {"annual_tieout_error"} <= set(parse_defects("all"))
    for i, name in enumerate(new):
        (truth,) = generate(tmp_path / name, 30 + i, 1, 1, [name], "mixed")
        assert [d["name"] for d in truth["defects"]] == [name]
        found = [f for f in truth["expected"]["findings"] if f["rule"] == PRIMARY[name]]
        stream = truth["defects"][0]["details"]["stream"]
        assert [(f["stream"], f["period"]) for f in found] == [(stream, truth["period"])], truth
        assert {f["rule"] for f in truth["expected"]["findings"]} == {PRIMARY[name]}
        # AVR Art. 27: an observation alone (LAB-RANGE) is a recommendation for improvement and
        # leaves the opinion satisfactory; a misstatement or non-conformity qualifies it
        observations = all(f["severity"] == "observation" for f in truth["expected"]["findings"])
        assert (truth["expected"]["opinion"] == "satisfactory") == observations


def test_annual_tieout_error_is_inert_in_a_monthly_bundle(tmp_path: Path) -> None:
    (truth,) = generate(tmp_path, 5, 1, 1, ["annual_tieout_error"], "en")
    assert truth["defects"][0]["name"] == "annual_tieout_error"
    assert truth["expected"]["findings"] == [] and truth["expected"]["opinion"] == "satisfactory"


def test_annual_bundle_holds_twelve_months(tmp_path: Path) -> None:
    (truth,) = generate(tmp_path, 2, 1, 1, ["tieout_error", "annual_tieout_error"], "en",
                        annual=True)
    claim = next(d["records"][0] for d in truth["documents"] if d["kind"] == "claim")
    assert truth["period"] == "2025-01..2025-12"
    months = {r["period"] for r in claim["fuels"]} - {truth["period"]}
    assert len(months) == 12
    assert any(r["period"] == truth["period"] for r in claim["fuels"])
    stream = next(d["details"]["stream"] for d in truth["defects"] if d["name"] == "annual_tieout_error")
    keys = {(f["rule"], f["stream"]) for f in truth["expected"]["findings"]}
    assert {("CALC-TIEOUT", None), ("ANNUAL-TIEOUT", stream), ("ANNUAL-TIEOUT", None)} <= keys


def test_sample_bundle_is_shipped_and_shows_misstatements() -> None:
    truth, root = sample_truth(), sample_bundle()
    rules = {f["rule"] for f in truth["expected"]["findings"]}
    assert {"INV-DUPLICATE", "AD-INVOICE", "LAB-MATCH"} <= rules
    assert truth["expected"]["opinion"] == "not_verified"
    assert (root / "bundle.toml").exists()
    layouts = {d["layout"] for d in truth["documents"]}
    assert {"cn_vat", "cn_digital", "lab_cn_table", "lab_gas", "claim_xlsx"} <= layouts
    for doc in truth["documents"]:
        assert hashlib.sha256((root / doc["file"]).read_bytes()).hexdigest() == doc["sha256"]
    assert sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) < 2_000_000


def test_a_copy_keeps_its_original_when_months_are_joined_and_documents_dropped() -> None:
    """A duplicate file (`copy_of`) repeats its own original in a year bundle (months joined,
    claims left out) and after a defect drops an earlier document of its month."""
    from types import SimpleNamespace

    from fixtures.generate.defects import _drop
    from fixtures.generate.run import _joined_docs

    def doc(tag: str, kind: str = "fuel_invoice", copy_of: int | None = None) -> Doc:
        return Doc(kind, "x", "zh", [tag], "2025-01", copy_of=copy_of)

    jan = SimpleNamespace(docs=[doc("lab-jan", "lab_report"), doc("inv-jan"), doc("claim", "claim"),
                                doc("copy-jan", copy_of=1)])
    feb = SimpleNamespace(docs=[doc("claim", "claim"), doc("lab-feb", "lab_report"),
                                doc("inv-feb"), doc("copy-feb", copy_of=2)])
    _drop(feb, 1)  # the lab report removed (missing_lab) before the copy's original
    joined = _joined_docs([jan, feb])
    originals = {d.payload[0]: joined[d.copy_of].payload[0] for d in joined if d.copy_of is not None}
    assert originals == {"copy-jan": "inv-jan", "copy-feb": "inv-feb"}
    assert all(d.kind != "claim" for d in joined)
