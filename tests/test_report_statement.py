"""The signed statement read back from the PDF: PDF/A-3b identification and XMP, attachments equal
to the written files, every section in both languages, an excerpt picture with a frame for every
finding that cites a page, no text outside the margins, no English left in the Chinese body (the font's coverage: test_report_font.py)."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import zlib
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest
from PIL import Image
from test_report import march_records, march_run
from weasyprint import HTML

from verify.model.records import Provenance
from verify.report import write_outputs
from verify.report.statement import Engagement

ENGAGEMENT = Engagement.of({"client": "河北某钢铁集团", "verifier": "华北碳核查中心",
                            "lead_verifier": "王明", "statement_date": "2026-04-20"})
SECTIONS = {
    "en": ["Verification report", "Scope, criteria and materiality", "Summary: claimed",
           "Findings", "Recalculation per stream", "Evidence index", "Default factors used",
           "Statement and signature", "Lead verifier", "Level of assurance", "Criteria"],
    "zh": ["核查报告", "核查范围、准则与实质性", "汇总", "核查发现", "各排放源重新计算", "证据清单",
           "采用的缺省因子", "核查声明与签字", "核查组长", "保证程度", "核查准则"],
}


def invoice_pdf(folder: Path) -> tuple[str, Provenance]:
    """A real one-page invoice PDF and the provenance of its quantity, boxed by pdfplumber."""
    name = "invoices/2025-03/coke-0001.pdf"
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    HTML(string="<p style='margin-top:80pt'>Item: Metallurgical coke</p>"
                "<p>Quantity: 1,200.000 t</p>").write_pdf(path)
    with pdfplumber.open(path) as pdf:
        word = next(w for w in pdf.pages[0].extract_words() if w["text"] == "1,200.000")
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    box = (word["x0"], word["top"], word["x1"], word["bottom"])
    return name, Provenance(file=name, sha256=sha, page=1, bbox=box, text="1,200.000")


def bundle_run(folder: Path, lang: str):
    """The March run with its findings citing a real PDF of a bundle folder."""
    name, p = invoice_pdf(folder)
    run = march_run()
    messages = {"en": ["Invoice 25132000000012345678 appears twice; counted once.",
                       "Claimed NCV differs from the lab value by 1.99 %."],
                "zh": ["发票 25132000000012345678 重复出现，只计一次。",
                       "申报低位发热量与检测值相差 1.99%。"]}[lang]
    findings = [f.model_copy(update={"evidence": [p], "message": m})
                for f, m in zip(run.findings, messages, strict=True)]
    docs = [d.model_copy(update={"file": name, "sha256": p.sha256}) if i == 0 else d
            for i, d in enumerate(run.documents)]
    return run.model_copy(update={"findings": findings, "documents": docs,
                                  "bundle": str(folder), "lang": lang})


@pytest.fixture(scope="module", params=["en", "zh"])
def report(request, tmp_path_factory):
    lang = request.param
    folder = tmp_path_factory.mktemp(f"bundle-{lang}")
    run = bundle_run(folder, lang)
    out = tmp_path_factory.mktemp(f"out-{lang}")
    paths = write_outputs(run, march_records(), out, lang=lang, engagement=ENGAGEMENT)
    return lang, run, paths


def pdf_bytes(path: Path) -> bytes:
    """The file with every Flate stream inflated, so objects inside streams can be searched."""
    raw = path.read_bytes()
    parts = [raw]
    for m in re.finditer(rb"stream\r?\n", raw):
        try:
            parts.append(zlib.decompressobj().decompress(raw[m.end():m.end() + 4_000_000]))
        except zlib.error:
            continue
    return b"\n".join(parts)


def test_pdf_is_identified_as_pdf_a_3b_with_an_output_intent(report):
    _, _, paths = report
    data = pdf_bytes(paths["pdf"])
    xmp = re.search(rb"<x:xmpmeta.*?</x:xmpmeta>", data, re.S)
    assert xmp, "no XMP metadata"
    assert re.search(rb"pdfaid:part(?:>|=\")3", xmp[0]) and re.search(
        rb"pdfaid:conformance(?:>|=\")B", xmp[0])
    assert b"/OutputIntents" in data and b"/GTS_PDFA1" in data
    assert b"/StructTreeRoot" in data and b"/MarkInfo" in data  # tagged


def test_attachments_are_the_written_files(report):
    _, _, paths = report
    pdf = pdfium.PdfDocument(paths["pdf"])
    attached = {}
    for i in range(pdf.count_attachments()):
        a = pdf.get_attachment(i)
        attached[a.get_name()] = bytes(a.get_data())
    assert set(attached) == {"findings.json", "evidence-manifest.json", "workpapers.xlsx"}
    assert json.loads(attached["findings.json"]) == json.loads(paths["findings"].read_text("utf-8"))
    assert attached["workpapers.xlsx"] == paths["workpapers"].read_bytes()
    manifest = json.loads(attached["evidence-manifest.json"])
    assert [d["sha256"] for d in manifest["documents"]] == [d.sha256 for d in report[1].documents]


def test_every_section_and_the_statement_parts_are_there(report):
    lang, _, paths = report
    with pdfplumber.open(paths["pdf"]) as pdf:
        text = "".join("".join((p.extract_text() or "").split()) for p in pdf.pages)
    for heading in SECTIONS[lang]:
        assert "".join(heading.split()) in text, heading
    for party in ("河北某钢铁集团", "华北碳核查中心", "王明", "2026-04-20"):
        assert party in text
    assert "7a0e1e39-6c3f" not in text and "/tmp" not in text  # no run UUID, no local path


def test_every_finding_with_a_box_has_its_excerpt_framed(report):
    _, run, paths = report
    html = paths["html"].read_text("utf-8")
    for i, _ in enumerate(run.findings):
        article = html.split(f'id="{run.finding_id(i)}"', 1)[1].split("</article>", 1)[0]
        uri = re.search(r'src="data:image/png;base64,([^"]+)"', article)
        assert uri, run.finding_id(i)
        image = Image.open(io.BytesIO(base64.b64decode(uri[1]))).convert("RGB")
        red = sum(1 for px in image.get_flattened_data() if px[0] > 180 and px[1] < 80 and px[2] < 80)
        assert red > 50  # the frame round the value
    with pdfplumber.open(paths["pdf"]) as pdf:
        assert sum(len(p.images) for p in pdf.pages) >= len(run.findings)


def test_no_text_outside_the_page_margins(report):
    _, _, paths = report
    side, top, bottom = (14 / 25.4 * 72, 8, 8)
    with pdfplumber.open(paths["pdf"]) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            for c in page.chars:
                assert side - 1 <= c["x0"] and c["x1"] <= page.width - side + 1, (number, c["text"])
                assert top <= c["top"] and c["bottom"] <= page.height - bottom, (number, c["text"])


def allowed_words(run, records) -> set[str]:
    path = Path(__file__).parent / "data" / "zh_allowed_words.txt"
    words = {w.strip().lower() for w in path.read_text("utf-8").splitlines()
             if w.strip() and not w.startswith("#")}
    names = [d.file for d in run.documents] + [run.facility.name, run.facility.id]
    names += [p.text for f in run.findings for p in f.evidence]
    names += [v for r in records for v in _texts(r.model_dump(mode="json"))]  # values, not keys
    words |= {w.lower() for n in names for w in re.findall(r"[A-Za-z]+", n or "")}
    return words


def english_words(text: str, allowed: set[str], hashes: list[str]) -> set[str]:
    """ASCII words of `text` that are English, judged by the token's shape: a token with a digit
    is a code (an invoice number, a date, a hex run); one of hex letters only that stands inside
    a document's SHA-256 is a hash wrapped at a line's end; a token without a lower-case letter
    is a code (CMA, GB/T, SHA); units, formats and names are allowed."""
    words = set()
    for token in re.findall(r"[A-Za-z0-9]+", text):
        if any(c.isdigit() for c in token) or not any(c.islower() for c in token):
            continue
        if re.fullmatch(r"[0-9a-f]+", token) and any(token in h for h in hashes):
            continue
        if len(token) > 1 and token.lower() not in allowed:
            words.add(token)
    return words


def test_the_english_word_check_tells_words_from_codes():
    hashes = ["89270a50341bb8e83734ee062603c63c219320ed4a40fb9fb8c2792358548e8aadb"]
    text = "发票 INV-2025-3201 第 1 页 ee062603c63c2 aadb 1,200.000 t GB/T 213 tCO2 appears twice"
    assert english_words(text, {"tco2"}, hashes) == {"appears", "twice"}


def test_no_english_word_in_the_chinese_body(report):
    lang, run, paths = report
    if lang != "zh":
        pytest.skip("the English report")
    allowed = allowed_words(run, march_records())
    with pdfplumber.open(paths["pdf"]) as pdf:
        text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    english = english_words(text, allowed, [d.sha256 for d in run.documents])
    assert not english, sorted(english)[:60]


def _texts(value) -> list[str]:
    """Every string inside nested dicts and lists (values only, never keys)."""
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return [value] if isinstance(value, str) else []
