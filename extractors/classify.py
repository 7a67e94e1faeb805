"""What kind of evidence a file is, read from its content (never its name or folder).

A PDF is judged by its first page's text (pypdfium2: fast, and word order does not matter for
spotting words); a spreadsheet by the header cells of each sheet, a claim by its sheet names.
A wrong kind is worse than `unknown`, so the best kind must lead clearly.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from extractors.labels import key
from extractors.pdf.ocr import FEW_CHARS, needs_ocr
from extractors.sniff import file_format
from extractors.values.dates import parse_date
from extractors.values.languages import fold
from verify.model.errors import Reason, Unreadable
from verify.model.records import DocumentKind

HEADER_ROWS = 40
MARGIN = 0.3  # the best kind must lead the next by a third of what makes it certain


@dataclass(frozen=True)
class Classification:
    kind: DocumentKind
    confidence: float
    reason: str


@dataclass(frozen=True)
class Group:
    """Alternative words for one piece of evidence, with its weight. `whole` words are matched
    as whole words on folded text with spaces kept; the others inside the folded, spaceless text."""

    weight: float
    words: tuple[str, ...]
    whole: tuple[str, ...] = ()
    shown: dict[str, str] | None = None  # folded word -> as written in classify.toml


@dataclass(frozen=True)
class Signature:
    """What a kind prints: word groups and value shapes, each weighed; `need` is the weight
    that makes the kind certain, `key` the groups of which one must be found."""

    groups: dict[str, Group]
    shapes: dict[str, tuple[float, re.Pattern[str] | None]]
    need: float
    key: tuple[str, ...]
    fold_accents: bool


def _signature(spec: dict) -> Signature:
    """A kind's signature from classify.toml: plain groups (each weighs 1, all needed) or
    weighed groups and shapes."""
    if "groups" not in spec:
        groups = {g: Group(1.0, tuple(key(w) for w in words)) for g, words in spec.items()}
        return Signature(groups, {}, float(len(groups)), (), False)
    groups = {}
    for name, g in spec["groups"].items():
        words = [w for w in g["words"] if not w.startswith("=")]
        whole = [w[1:] for w in g["words"] if w.startswith("=")]
        shown = {key(fold(w)): w for w in words} | {fold(w): w for w in whole}
        groups[name] = Group(float(g["weight"]), tuple(key(fold(w)) for w in words),
                             tuple(fold(w) for w in whole), shown)
    shapes = {name: (float(sh["weight"]),
                     None if sh["pattern"] == "date" else re.compile(sh["pattern"]))
              for name, sh in spec.get("shapes", {}).items()}
    return Signature(groups, shapes, float(spec["need"]), tuple(spec.get("key", ())), True)


@lru_cache(maxsize=1)
def signatures() -> dict[str, Signature]:
    """Kind -> its signature, from data/classify.toml."""
    text = resources.files("extractors").joinpath("data", "classify.toml").read_text("utf-8")
    return {kind: _signature(spec) for kind, spec in tomllib.loads(text).items()}


def _whole(word: str, spaced: str) -> bool:
    return re.search(rf"(?<![^\W_]){re.escape(word)}(?![^\W_])", spaced) is not None


def _shape_found(pattern: re.Pattern[str] | None, text: str) -> str:
    if pattern is None:
        found = parse_date(text[:20000])
        return str(found) if found else ""
    m = pattern.search(text)
    return m.group(0).strip() if m else ""


def score(text: str, kind: str) -> tuple[float, list[str]]:
    """A kind's score (the share of its groups found, or the weight of its evidence over what
    it needs, at most 1) and the evidence found. A weighed kind none of whose key groups is
    found scores at most half."""
    sig = signatures()[kind]
    folded = key(text)
    accentless = key(fold(text)) if sig.fold_accents else folded
    spaced = fold(text) if sig.fold_accents else ""
    weight, found, names = 0.0, [], set()
    for name, group in sig.groups.items():
        hit = next((w for w in group.words if w in accentless), "") or \
            next((w for w in group.whole if _whole(w, spaced)), "")
        if hit:
            weight += group.weight
            found.append(group.shown.get(hit, hit) if group.shown else hit)
            names.add(name)
    for name, (w, pattern) in sig.shapes.items():
        hit = _shape_found(pattern, text)
        if hit:
            weight += w
            found.append(f"{name} {hit!r}")
            names.add(name)
    share = min(1.0, weight / sig.need) if sig.need else 0.0
    if sig.key and not names & set(sig.key):
        share = min(share, 0.5)
    return round(share, 4), found


def _unclear(scored: list) -> str:
    """Why no kind was taken, in a verifier's words: the closest kinds, how much of what each
    shows was found (and which signs), and that it is not enough."""
    if scored[0][0][0] == 0:
        return "no clear kind: it shows none of the signs of an invoice, lab report, production, " \
            "stock or meter record or claim"
    parts = []
    for (share, words), kind in scored[:3]:
        shown = kind.replace("_", " ")
        parts.append(f"{shown} {share:.0%}" + (f" ({', '.join(words[:3])})" if words else ""))
    return ("no clear kind: it shows too little of any evidence kind to be read as one; closest "
            + "; ".join(parts))


def judge(text: str, kinds: tuple[str, ...]) -> Classification:
    """The kind the text clearly reads as, or unknown with the scores as the reason."""
    scored = sorted(((score(text, k), k) for k in kinds), key=lambda s: -s[0][0])
    (best, words), kind = scored[0]
    runner = scored[1][0][0] if len(scored) > 1 else 0.0
    if best < 1.0 or best - runner < MARGIN:
        return Classification(DocumentKind.UNKNOWN, 0.0, _unclear(scored))
    return Classification(DocumentKind(SIGNATURE_KIND.get(kind, kind)), round(best - runner / 2, 2),
                          "found " + ", ".join(words))


def first_pages_text(path: Path, pages: int) -> tuple[list[str], bool]:
    """The text of the first pages by pypdfium2 (one open), and whether the first page is a
    scan (only images, or a stamp's few words over a page-sized image)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        texts = [pdf[i].get_textpage().get_text_range() for i in range(min(pages, len(pdf)))]
        page = pdf[0]
        chars = len("".join(texts[0].split())) if texts else 0
        scanned = False
        if chars < FEW_CHARS:  # only then do the images matter
            width, height = page.get_size()
            images = sum((r - left) * (t - b) for obj in page.get_objects()
                         if obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE
                         for left, b, r, t in [obj.get_bounds()])
            scanned = needs_ocr(chars, images, width * height)
        return texts, scanned
    finally:
        pdf.close()


LOOK_AHEAD = 3  # pages read when the first alone is unclear (a lab report's results on p. 2)


PDF_KINDS = ("fuel_invoice", "lab_report", "production_record", "stock_record", "meter_record")
SHEET_KINDS = ("invoice_list", "lab_report", "production_record", "stock_record", "meter_record")
SIGNATURE_KIND = {"invoice_list": "fuel_invoice"}  # signatures named apart from their kind


def classify_pdf(path: Path) -> Classification:
    """A PDF's kind from its first page's words, or its first pages' when the first is unclear."""
    try:
        texts, scanned = first_pages_text(path, LOOK_AHEAD)
    except Exception as exc:  # pdfium raises PdfiumError on broken or encrypted files
        return Classification(DocumentKind.UNKNOWN, 0.0, f"cannot open PDF: {exc}")
    if scanned:
        return Classification(DocumentKind.UNKNOWN, 0.0, Reason.IMAGE_ONLY)
    verdict = judge(texts[0] if texts else "", PDF_KINDS)
    if verdict.kind == DocumentKind.UNKNOWN and len(texts) > 1:
        verdict = judge("\n".join(texts), PDF_KINDS)
    return _named_unknown(verdict, "\n".join(texts))


def _named_unknown(verdict: Classification, text: str) -> Classification:
    """An unclear verdict with its reason made plain when the text is a lab report of
    another kind (extractors.lab_kind)."""
    if verdict.kind != DocumentKind.UNKNOWN:
        return verdict
    from extractors.lab_kind import other_lab

    reason = other_lab(text)
    return verdict if reason is None else Classification(DocumentKind.UNKNOWN, 0.0, reason)


def classify_text(text: str) -> Classification:
    """A PDF's kind from text read another way (OCR of a scanned first page)."""
    return _named_unknown(judge(text, PDF_KINDS), text)


def classify_sheets(path: Path, fmt: str) -> Classification:
    """A spreadsheet file's kind (see `classify_loaded`)."""
    from extractors.sheets.grid import read_sheets

    try:
        sheets = read_sheets(path, fmt)
    except Exception as exc:  # openpyxl/calamine raise many types on broken files
        return Classification(DocumentKind.UNKNOWN, 0.0, f"cannot open spreadsheet: {exc}")
    return classify_loaded(sheets)


def classify_loaded(sheets: list) -> Classification:
    """A spreadsheet's kind: a claim by its sheet names, else the clearest sheet's kind."""
    names = [s.name for s in sheets]
    texts = [" ".join(c.text for row in s.rows[:HEADER_ROWS] for c in row) for s in sheets]
    claim = judge(" ".join(names), ("claim",))
    if claim.kind == DocumentKind.CLAIM:
        return Classification(DocumentKind.CLAIM, 1.0, "claim sheets: " + ", ".join(names))
    from extractors.sheets.statistics import statistics_reason

    statistics = statistics_reason(sheets)
    if statistics is not None:
        return Classification(DocumentKind.UNKNOWN, 0.0, statistics)
    verdicts = [judge(t, SHEET_KINDS) for t in texts]
    known = [v for v in verdicts if v.kind != DocumentKind.UNKNOWN]
    if not known or {v.kind for v in known} == {DocumentKind.LAB_REPORT}:
        samples = _sample_sheet(sheets)
        if samples is not None:
            return samples
    if known and len({v.kind for v in known}) == 1:
        return max(known, key=lambda v: v.confidence)
    if verdicts and not known and all(s == 0.0 for t in texts for s in _sheet_scores(t)):
        from extractors.sheets.why_table import no_evidence

        return Classification(DocumentKind.UNKNOWN, 0.0, no_evidence(sheets))
    return verdicts[0] if verdicts and not known else Classification(
        DocumentKind.UNKNOWN, 0.0, "sheets disagree or none is clear")


def _sample_sheet(sheets: list) -> Classification | None:
    """A coal laboratory's sample sheet (extractors.lab_sheet): a lab report by what it
    measures (proximate analysis and calorific value columns), title or carbon column or not."""
    from extractors.lab_sheet import columns, sample_header

    for sheet in sheets:
        h = sample_header(sheet)
        if h is not None:
            shown = " / ".join(c.header for c in columns([c.text for c in sheet.rows[h]]))
            return Classification(DocumentKind.LAB_REPORT, 1.0,
                                  f"coal analysis samples: sheet {sheet.name!r} row {h + 1}: {shown}")
    return None


def _sheet_scores(text: str) -> list[float]:
    return [score(text, k)[0] for k in SHEET_KINDS]


def classify_xml(path: Path) -> Classification:
    """An XML file's kind: a 数电 e-invoice by its root element; any other XML is unknown.
    Raises Unreadable when the XML is malformed or hostile."""
    from extractors.einvoice_xml import is_einvoice
    from extractors.xmlsafe import root_name

    root = root_name(path, "the XML file")
    if is_einvoice(root):
        return Classification(DocumentKind.FUEL_INVOICE, 1.0, f"数电 e-invoice XML (<{root}>)")
    return Classification(DocumentKind.UNKNOWN, 0.0, f"XML that is not a 数电 e-invoice (root <{root}>)")


def classify_ofd(path: Path) -> tuple[Classification, int]:
    """An OFD file's kind (an attached invoice XML or invoice custom tags, else its first
    page's words, judged as a PDF's) and its page count. Raises Unreadable when the package
    cannot be opened."""
    from extractors.ofd.package import open_ofd
    from extractors.ofd.pages import page_text
    from extractors.ofd_invoice import invoice_evidence

    ofd = open_ofd(path)
    if (evidence := invoice_evidence(ofd)) is not None:
        return Classification(DocumentKind.FUEL_INVOICE, 1.0, evidence), len(ofd.pages)
    text = page_text(ofd.pages[0]) if ofd.pages else ""
    return judge(text, PDF_KINDS), len(ofd.pages)


def classify_native(path: Path, fmt: str) -> tuple[Classification, int | None]:
    """Kind and page count of an XML or OFD file (raises Unreadable when it cannot be opened)."""
    return (classify_xml(path), None) if fmt == "xml" else classify_ofd(path)


def classify(path: Path) -> Classification:
    """The kind of evidence a file holds, by content, with confidence and the reason."""
    fmt = file_format(path)
    if fmt == "pdf":
        return classify_pdf(path)
    if fmt in ("xlsx", "xls", "csv"):
        return classify_sheets(path, fmt)
    if fmt in ("xml", "ofd"):
        try:
            return classify_native(path, fmt)[0]
        except Unreadable as exc:
            return Classification(DocumentKind.UNKNOWN, 0.0, f"cannot open {fmt.upper()}: {exc}")
    if fmt == "empty":
        return Classification(DocumentKind.UNKNOWN, 0.0, Reason.EMPTY)
    return Classification(DocumentKind.UNKNOWN, 0.0, "not a PDF or spreadsheet")
