"""Supplier templates: a delivery bill and an assay sheet the generic readers cannot read, read
by a shipped and a user template, every value still stamped with its page and box."""

import json
from pathlib import Path

import pytest
from extract_docs import bulk_fuels_bill, coal_assay_sheet, lab_report, render
from typer.testing import CliRunner

from extractors import extract_file
from extractors.classify import classify_pdf
from extractors.invoice import parse as read_invoices
from extractors.pdf.document import open_pdf
from extractors.pdf.lines import group_lines
from extractors.pdf.pagetext import page_text, words_at
from extractors.pdf.words import Word
from extractors.provenance import Origin
from extractors.read import document_for
from extractors.templated import document_text
from extractors.templates import load_templates, missing_keywords, select
from extractors.worker import extract_many
from verify.cli import app
from verify.model.records import Basis, DocumentKind, DocumentStatus

USER_TEMPLATES = Path(__file__).parent / "data" / "templates"


@pytest.fixture(scope="module")
def bill(tmp_path_factory) -> Path:
    return render(bulk_fuels_bill(), tmp_path_factory.mktemp("bill") / "bill.pdf")


@pytest.fixture(scope="module")
def assay(tmp_path_factory) -> Path:
    return render(coal_assay_sheet(), tmp_path_factory.mktemp("assay") / "assay.pdf")


def box_of(path: Path, text: str) -> tuple[float, float, float, float]:
    """The box of the printed words that read `text` (one line), found without any template."""
    for line in open_pdf(path).pages[0].lines:
        words = line.words
        for i in range(len(words)):
            for j in range(i + 1, len(words) + 1):
                if " ".join(w.text for w in words[i:j]) == text:
                    return (words[i].bbox[0], min(w.bbox[1] for w in words[i:j]),
                            words[j - 1].bbox[2], max(w.bbox[3] for w in words[i:j]))
    raise AssertionError(f"{text!r} is not printed")


def test_the_generic_readers_cannot_read_the_delivery_bill(bill):
    assert classify_pdf(bill).kind == DocumentKind.UNKNOWN
    invoices, notes = read_invoices(open_pdf(bill), Origin("bill.pdf", "0"))
    assert invoices == [] and "no invoice number found" in notes[0]


def test_shipped_template_reads_every_field_of_the_delivery_bill(bill):
    result = extract_file(bill, document_for(bill))
    assert (result.document.kind, result.document.status) == (DocumentKind.FUEL_INVOICE,
                                                              DocumentStatus.PARSED)
    [inv] = result.records
    assert inv.template == "yanshan_bulk_fuels.yml"
    assert (inv.number, str(inv.date), inv.seller, inv.buyer, inv.currency) == (
        "YBF/25/0317", "2025-03-14", "YANSHAN BULK FUELS", "Tangshan Steel Works", "EUR")
    assert (inv.total_amount, inv.total_tax, inv.total_with_tax) == (2595481.0, 337412.53,
                                                                     2932893.53)
    assert [(ln.description, ln.stream, ln.quantity, ln.unit, ln.unit_price, ln.amount)
            for ln in inv.lines] == [("Metallurgical coke", "coke", 1200.5, "t", 2150.0, 2581075.0),
                                     ("Road haulage", None, 1200.5, "t", 12.0, 14406.0)]
    printed = {"number": "YBF/25/0317", "date": "14.03.2025", "seller": "YANSHAN BULK FUELS",
               "buyer": "Tangshan Steel Works", "total_amount": "2.595.481,00",
               "total_tax": "337.412,53", "total_with_tax": "2.932.893,53"}
    for name, text in printed.items():
        where = inv.where(name)
        assert (where.page, where.text, where.bbox) == (1, text, box_of(bill, text)), name
    quantity = inv.lines[0].where("quantity")
    assert (quantity.text, quantity.bbox[0]) == ("1.200,500", pytest.approx(212.6, abs=0.1))
    assert any("yanshan_bulk_fuels.yml (Yanshan Bulk Fuels) filled: number, date" in n
               for n in result.notes)


def test_a_template_that_finds_no_number_makes_no_record_and_says_why(tmp_path):
    path = render(bulk_fuels_bill(ref=""), tmp_path / "no-ref.pdf")
    result = extract_file(path, document_for(path))
    assert result.document.status == DocumentStatus.UNCLASSIFIED and result.records == []
    assert "template yanshan_bulk_fuels.yml: no record made (number: Field required)" in result.notes
    assert r"number: regex '^Bill ref (\S+)' matched nothing on page(s) 1" in result.notes[1]


def test_a_match_inside_a_word_gets_the_box_of_its_own_characters():
    word = Word("No.4512", 100.0, 50.0, 170.0, 60.0, 1)
    text = page_text(1, group_lines([Word("Ref", 50.0, 50.0, 80.0, 60.0, 1), word]))
    start = text.text.index("4512")
    found = words_at(text, start, start + 4)
    assert found.text == "4512" and found.x0 == pytest.approx(130.0) and found.x1 == 170.0


def test_template_is_selected_by_all_its_keywords(bill, assay, tmp_path):
    templates = load_templates([USER_TEMPLATES]).templates
    bill_text, assay_text = (document_text(open_pdf(p).pages) for p in (bill, assay))
    assert select(templates, bill_text, "unknown").file == "yanshan_bulk_fuels.yml"
    assert select(templates, assay_text, "unknown").file == "coal_assay.yml"
    assert select(templates, bill_text, "lab_report") is None  # a template reads its own kind
    other = render(bulk_fuels_bill(title="PROFORMA"), tmp_path / "proforma.pdf")
    other_text = document_text(open_pdf(other).pages)
    yanshan = next(t for t in templates if t.file == "yanshan_bulk_fuels.yml")
    assert missing_keywords(yanshan, other_text) == ["DELIVERY BILL"]
    assert select(templates, other_text, "unknown") is None
    assert extract_file(other, document_for(other)).document.status == DocumentStatus.UNCLASSIFIED


def test_user_template_folder_reads_an_assay_sheet_in_a_worker_process(assay):
    [result] = extract_many([(assay, document_for(assay))], timeout_s=60, workers=1,
                            templates=(USER_TEMPLATES,))
    assert result.document.kind == DocumentKind.LAB_REPORT
    [report] = result.records
    assert report.template == "coal_assay.yml"
    assert (report.report_no, report.lab_name, report.stream) == (
        "QCA-25-0311", "QINHUANGDAO COAL ASSAY STATION", "coke")
    assert (str(report.sampling_date), str(report.report_date)) == ("2025-03-02", "2025-03-08")
    ncv, carbon = report.result("ncv"), report.result("carbon")
    assert (ncv.value, ncv.unit, ncv.basis, carbon.value, carbon.unit) == (
        28.35, "MJ/kg", Basis.AS_RECEIVED, 78.45, "%")
    assert ncv.where("value").bbox == box_of(assay, "28,35")
    assert report.where("lab_name").bbox == box_of(assay, "QINHUANGDAO COAL ASSAY STATION")


def test_without_the_user_folder_the_assay_sheet_stays_unclassified(assay):
    assert extract_file(assay, document_for(assay)).document.status == DocumentStatus.UNCLASSIFIED


def test_template_fills_only_what_the_reader_missed(tmp_path):
    html = lab_report().replace("样品名称：冶金焦炭", "试样：冶金焦炭")
    path = render(html, tmp_path / "lab.pdf")
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "hb.yml").write_text(
        "issuer: Hebei coal centre\nkeywords: [河北省煤炭质量检测中心, 试样]\nkind: lab_report\n"
        "fields:\n  report_no: {regex: '(HBJC)'}\n  sample_description: {regex: '试样：\\s*(\\S+)'}\n",
        "utf-8")
    assert extract_file(path, document_for(path)).records[0].sample_description is None
    result = extract_file(path, document_for(path), (folder,))
    [report] = result.records
    assert report.report_no == "HBJC-2025-0318"  # the reader's value is kept
    assert (report.sample_description, report.stream, report.template) == ("冶金焦炭", "coke",
                                                                           "hb.yml")
    assert report.where("sample_description").text == "冶金焦炭"
    assert report.where("report_no").text == "HBJC-2025-0318"
    assert len(report.results) == 6


BAD = {
    "syntax.yml": ("issuer: [unclosed\n", "not readable YAML"),
    "list.yml": ("- a\n- b\n", "expected a mapping"),
    "field.yml": ("issuer: X\nkeywords: [X]\nkind: fuel_invoice\nfields:\n"
                  "  weight: {regex: 'W (\\d+)'}\n", "fields.weight: not a field of a fuel_invoice"),
    "both.yml": ("issuer: X\nkeywords: [X]\nkind: fuel_invoice\nfields:\n  number: {regex: "
                 "'N (\\d+)', region: {page: 1, bbox: [0, 0, 10, 10]}}\n", "either `regex` or"),
    "group.yml": ("issuer: X\nkeywords: [X]\nkind: fuel_invoice\nfields:\n"
                  "  number: {regex: 'N \\d+'}\n", "exactly one group"),
    "kind.yml": ("issuer: X\nkeywords: [X]\nkind: receipt\nfields:\n"
                 "  number: {regex: 'N (\\d+)'}\n", "kind"),
    "type.yml": ("issuer: X\nkeywords: [X]\nkind: fuel_invoice\nfields:\n"
                 "  total_tax: {regex: 'T (\\S+)', type: date}\n", "cannot fill a number"),
    "regex.yml": ("issuer: X\nkeywords: [X]\nkind: fuel_invoice\nfields:\n"
                  "  number: {regex: 'N ((\\d+)'}\n", "does not compile"),
}


@pytest.fixture
def bad_folder(tmp_path) -> Path:
    folder = tmp_path / "templates"
    folder.mkdir()
    for name, (text, _) in BAD.items():
        (folder / name).write_text(text, "utf-8")
    (folder / "coal_assay.yml").write_text((USER_TEMPLATES / "coal_assay.yml").read_text("utf-8"))
    return folder


def test_bad_templates_are_reported_with_file_and_reason(bad_folder):
    loaded = load_templates([bad_folder])
    assert {t.file for t in loaded.templates} == {"coal_assay.yml", "yanshan_bulk_fuels.yml"}
    for name, (_, reason) in BAD.items():
        said = [p for p in loaded.problems if f"{name}:" in p]
        assert len(said) == 1 and reason in said[0], (name, loaded.problems)


def test_extract_warns_of_a_bad_template_and_still_reads(bad_folder, assay):
    result = CliRunner().invoke(app, ["extract", str(assay), "--templates", str(bad_folder)])
    assert result.exit_code == 0, result.output
    assert "warning: template" in result.stderr and "syntax.yml: not readable YAML" in result.stderr
    data = json.loads(result.stdout)
    assert data["records"][0]["report_no"] == "QCA-25-0311"


def test_a_missing_template_folder_is_a_usage_error(assay, tmp_path):
    result = CliRunner().invoke(app, ["extract", str(assay), "--templates", str(tmp_path / "no")])
    assert result.exit_code == 2


def test_bundle_toml_names_a_template_folder_that_is_not_evidence(tmp_path, assay):
    from extractors.discover import discover
    from verify.domain.config import parse_bundle_config
    from verify.model.errors import RunError
    from verify.pipeline import RunOptions, template_setup

    (tmp_path / "b" / "supplier-templates").mkdir(parents=True)
    (tmp_path / "b" / "assay.pdf").write_bytes(assay.read_bytes())
    (tmp_path / "b" / "supplier-templates" / "a.yml").write_text("- not a template\n")
    found = discover(tmp_path / "b")
    config = parse_bundle_config('templates = "supplier-templates"')
    entries, dirs, problems = template_setup(found, config, RunOptions())
    assert [d.file for d, _ in entries] == ["assay.pdf"]
    assert dirs == (tmp_path / "b" / "supplier-templates",)
    assert len(problems) == 1 and "a.yml: expected a mapping" in problems[0]
    with pytest.raises(RunError, match="not a folder"):
        template_setup(found, parse_bundle_config('templates = "nowhere"'), RunOptions())


@pytest.mark.parametrize("outside", ["/etc", "../", "supplier-templates/../../.."])
def test_bundle_toml_may_not_name_a_folder_outside_the_bundle(tmp_path, outside):
    from extractors.discover import discover
    from verify.domain.config import parse_bundle_config
    from verify.model.errors import RunError
    from verify.pipeline import RunOptions, template_setup

    (tmp_path / "b" / "supplier-templates").mkdir(parents=True)
    found = discover(tmp_path / "b")
    with pytest.raises(RunError, match="is outside the bundle"):
        template_setup(found, parse_bundle_config(f"templates = {outside!r}"), RunOptions())
