"""Lab reports (检测报告, certificate of analysis) from a PDF: header fields and result rows.

A PDF may hold several reports (see `extractors.lab_split`); each becomes one LabReport.
"""

from __future__ import annotations

import re

from extractors.lab_labels import first_value_after
from extractors.lab_rows import header_unit_of, read_row
from extractors.lab_split import Section, split_reports
from extractors.labels import label_keys
from extractors.pdf.document import PdfDocument
from extractors.pdf.fields import find_labels, value_below, value_of
from extractors.pdf.lines import Line
from extractors.pdf.words import Word
from extractors.provenance import Origin
from extractors.values.dates import parse_date
from verify.model.records import LabReport, LabResult, Provenance
from verify.model.vocabulary import stream_for

_CMA = re.compile(r"CMA[^\d\n]{0,24}?(\d{8,14})", re.IGNORECASE)
_CNAS = re.compile(r"CNAS\s*(?:No\.?|编号)?\s*[:：]?\s*(L\s?\d{3,5})", re.IGNORECASE)
_ISO = re.compile(r"ISO\s*/\s*IEC\s*17025", re.IGNORECASE)
_LAB_WORDS = ("检测", "检验", "实验室", "研究院", "分析室", "laboratory", "laboratories", "testing",
              "centre", "center", "institute")
_REPORT_NO = re.compile(r"^(?=.*\d)[A-Za-z0-9][A-Za-z0-9\-/_.]{2,}$")


def accreditation(text: str) -> list[str]:
    """Accreditation marks printed on the report: CMA with number, CNAS L-number, ISO/IEC 17025."""
    marks = [f"CMA {m}" for m in dict.fromkeys(_CMA.findall(text))]
    marks += [f"CNAS {m.replace(' ', '')}" for m in dict.fromkeys(_CNAS.findall(text))]
    return marks + (["ISO/IEC 17025"] if _ISO.search(text) else [])


def accreditation_by_position(lines: list[Line]) -> list[str]:
    """Marks whose number stands right of or below the 'CMA' / 'CNAS' word (below when what
    stands right of it is other text, as the report number printed on the same band)."""
    marks = []
    for name, pattern in (("CMA", re.compile(r"\d{8,14}")), ("CNAS", re.compile(r"L\s?\d{3,5}"))):
        for hit in find_labels(lines, (name.lower(),)):
            found = [v for v in (value_of(lines, hit), value_below(lines, hit.line, hit.label))
                     if v is not None and pattern.search(v.text)]
            m = pattern.search(found[0].text) if found else None
            if m and f"{name} {m.group(0)}" not in marks:
                marks.append(f"{name} {m.group(0).replace(' ', '')}")
    return marks


def _lab_name_line(lines: list[Line]) -> Word | None:
    """Without a label, the lab's name is a top line that names a testing body."""
    for line in lines[:6]:
        text = line.text
        if any(w in text.lower() for w in _LAB_WORDS) and ":" not in text and "：" not in text \
                and not any(t in text for t in ("报告", "report", "Report", "REPORT")):
            return line.words[0] if len(line.words) == 1 else _merged(line)
    return None


def _merged(line: Line) -> Word:
    from extractors.pdf.words import merge

    return merge(list(line.words))


def _token(text: str) -> str:
    parts = text.split()
    return parts[0] if parts else ""


def _fields(sections: list[Section], origin: Origin) -> tuple[dict, dict[str, Provenance]]:
    """Header fields of a report by label position, from the first of its pages that prints each."""
    values: dict = {}
    sources: dict[str, Provenance] = {}
    rules = {
        "report_no": (lambda t: bool(_REPORT_NO.match(_token(t))), _token),
        "lab_name": (None, str.strip),
        "sample_id": (lambda t: bool(_token(t)), _token),
        "sample_description": (None, str.strip),
        "sampling_date": (lambda t: parse_date(t) is not None, parse_date),
        "report_date": (lambda t: parse_date(t) is not None, parse_date),
    }
    for name, (accept, convert) in rules.items():
        found = next((f for s in sections
                      if (f := first_value_after(s.lines, label_keys("lab", name), accept))), None)
        if found is not None:
            values[name] = convert(found[1].text)
            sources[name] = origin.at_word(found[1])
    return values, sources


def _results(sections: list[Section], origin: Origin, notes: list[str]) -> list[LabResult]:
    """Every result row of a report on every page, first occurrence of (parameter, basis) kept."""
    results, seen = [], set()
    for section in sections:
        header_unit = None
        for line in section.lines:
            row = read_row(line)
            if row is None:
                header_unit = header_unit_of(line) or header_unit
                continue
            if row["value"] is None or (row["parameter"], row["basis"]) in seen:
                continue
            seen.add((row["parameter"], row["basis"]))
            unit = row["unit"] or header_unit or ""
            if not unit:
                notes.append(f"page {section.page}: no unit printed for {row['name'].text}")
            results.append(LabResult(
                source=origin.at_word(row["name"]),
                sources={"value": origin.at_word(row["word"]), "parameter": origin.at_word(row["name"])},
                parameter=row["parameter"], value=row["value"], unit=unit, basis=row["basis"],
                method=row["method"]))
    return results


def _marks(first_page: list[Line], lines: list[Line]) -> list[str]:
    """Accreditation from the printed text, else by where the numbers stand."""
    found = accreditation("\n".join(ln.text for ln in lines))
    by_position = accreditation_by_position(first_page)
    for mark in by_position:
        if not any(m.split()[0] == mark.split()[0] for m in found):
            found.append(mark)
    order = {"CMA": 0, "CNAS": 1}
    return sorted(found, key=lambda m: order.get(m.split()[0], 2))


def read_report(sections: list[Section], origin: Origin, notes: list[str]) -> LabReport:
    """One LabReport from its lines, page by page, with notes on fields not found."""
    first = sections[0].lines
    values, sources = _fields(sections, origin)
    if "lab_name" not in values and (word := _lab_name_line(first)) is not None:
        values["lab_name"], sources["lab_name"] = word.text, origin.at_word(word)
    if "sample_description" in values:
        values["stream"] = stream_for(values["sample_description"])
        sources["stream"] = sources["sample_description"]
    for name in ("report_no", "sample_id", "sample_description", "sampling_date", "report_date"):
        if name not in values:
            notes.append(f"{name}: no label found")
    results = _results(sections, origin, notes)
    if not results:
        notes.append("no result rows recognised")
    lines = [line for s in sections for line in s.lines]
    return LabReport(source=origin.at_page(sections[0].page), sources=sources,
                     report_no=values.pop("report_no", ""), accreditation=_marks(first, lines),
                     results=results, **values)


def parse(doc: PdfDocument, origin: Origin) -> tuple[list[LabReport], list[str]]:
    """Every lab report in a PDF, with notes on fields not found (named by report when several)."""
    notes: list[str] = []
    reports = []
    parts = split_reports(doc.pages)
    for n, sections in enumerate(parts, 1):
        own: list[str] = []
        reports.append(read_report(sections, origin, own))
        name = reports[-1].report_no or f"#{n}"
        notes += [f"report {name}: {note}" if len(parts) > 1 else note for note in own]
    return reports, notes
