"""How numbers and evidence positions are written in the report and the workpapers.

One formatter per report, so every table writes tCO2, NCV or a bounding box the same way, with
the decimal places of report.toml.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from verify.model.errors import Reason
from verify.model.records import Provenance
from verify.report.settings import layout


def _trim(text: str) -> str:
    """Drop trailing zeros of a decimal text ("1.2300" -> "1.23", "5.000" -> "5")."""
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class Formatter:
    """Formats values for display; `strings` are the UI strings of the report's language."""

    strings: dict
    decimals: dict = field(default_factory=lambda: dict(layout()["decimals"]))
    display: dict = field(default_factory=lambda: dict(layout()["display"]))

    def num(self, value: float | None, kind: str = "general") -> str:
        """A number with thousands separators and the decimal places of its kind."""
        if value is None:
            return self.display["missing"]
        places = self.decimals[kind]
        text = f"{value:,.{places}f}"
        return _trim(text) if kind == "general" else text

    def tco2(self, value: float | None) -> str:
        return self.num(value, "tco2")

    def pct(self, value: float | None) -> str:
        return self.missing if value is None else f"{self.num(value, 'pct')} %"

    @property
    def missing(self) -> str:
        return self.display["missing"]

    def text(self, value: object) -> str:
        """Any value as text; None as the missing mark."""
        return self.missing if value is None or value == "" else str(value)

    def reason(self, error: str | None) -> str:
        """Why a file was not read, in the report's words: the reader's reason translated, with
        the file's own detail where the report is in the detail's language (English); a reason
        the strings do not know points to the attached manifest instead of printing English."""
        if not error:
            return ""
        words = self.strings["doc_reason"]
        english = self.strings["lang"] == "en"
        for reason in Reason:
            if error == reason.value or error.startswith(f"{reason.value}:"):
                said = words.get(reason.name.lower(), reason.value)
                detail = error[len(reason.value):].lstrip(": ")
                return f"{said}: {detail}" if detail and english else said
        return error if english else words["other"]

    def sha_short(self, sha256: str) -> str:
        return sha256[: self.display["sha256_short"]]

    def bbox(self, bbox: tuple[float, float, float, float] | None) -> str:
        if not bbox:
            return ""
        places = self.decimals["bbox"]
        return "[" + ", ".join(f"{v:.{places}f}" for v in bbox) + "]"

    def position(self, p: Provenance) -> str:
        """Where on the document a value stands: "p. 2 [x0, y0, x1, y1]" or "Sheet!B7"."""
        parts = []
        if p.page is not None and not p.cell:
            parts.append(self.strings["page_ref"].format(page=p.page))
        if p.bbox:
            parts.append(self.bbox(p.bbox))
        if p.cell:
            parts.append(p.cell)
        if p.ocr:  # read from a scan: the verifier sees how sure the reading was
            conf = "-" if p.confidence is None else f"{p.confidence:.2f}"
            parts.append(self.strings["ocr_ref"].format(confidence=conf))
        return " ".join(parts)

    def grouped(self, provenances: list[Provenance]) -> list[tuple[str, str, list[str]]]:
        """References grouped by file: (file, sha256, [positions]) in first-seen order.

        A stream built from thirty lines of one scanned invoice batch names the file once.
        """
        groups: dict[tuple[str, str], list[str]] = {}
        for p in provenances:
            positions = groups.setdefault((p.file, p.sha256), [])
            where = self.position(p)
            if where and where not in positions:
                positions.append(where)
        return [(file, sha, positions) for (file, sha), positions in groups.items()]

    def unit(self, unit: str | None) -> str:
        """A unit as the report's language writes it ("10^4 Nm3" -> "10,000 Nm³" or "万Nm³")."""
        if not unit:
            return ""
        return self.strings.get("units", {}).get(unit, unit)

    def place(self, p: Provenance) -> str:
        """Where a value stands, in words: "p. 2" or "sheet 燃料, cell E2" (no coordinates: the
        report shows the excerpt; boxes stay in findings.json and the workpapers)."""
        if p.cell and p.cell.startswith("/"):  # an XPath into an XML e-invoice
            return self.strings["xml_ref"]
        if p.cell:
            sheet, _, cell = p.cell.rpartition("!")
            if sheet:
                return self.strings["sheet_ref"].format(sheet=sheet, cell=cell)
            return self.strings["cell_ref"].format(cell=cell)
        return self.strings["page_ref"].format(page=p.page) if p.page else ""

    def places(self, provenances: list[Provenance]) -> list[tuple[str, list[str]]]:
        """(file, [places]) per file in first-seen order, each place once; beyond
        report.toml's places_per_file the rest is counted ("12 more places"), since the
        workbook and findings.json list every one."""
        groups: dict[str, list[str]] = {}
        for p in provenances:
            seen = groups.setdefault(p.file, [])
            where = self.place(p)
            if where and where not in seen:
                seen.append(where)
        limit = self.display["places_per_file"]
        return [(file, seen if len(seen) <= limit else
                 seen[:limit] + [self.strings["more_places"].format(n=len(seen) - limit)])
                for file, seen in groups.items()]

    def compared(self, *values: float | None) -> list[str]:
        """Numbers set side by side (claimed, evidenced, difference) with the same decimal
        places: as many as the most precise of them needs, up to the general kind's places."""
        most = self.decimals["general"]
        places = max((len(_trim(f"{v:.{most}f}").partition(".")[2]) for v in values
                      if v is not None), default=0)
        return [self.missing if v is None else f"{v:,.{places}f}" for v in values]

    def signed(self, value: float | None, kind: str = "tco2") -> str:
        """A difference with its sign, "+1,200.00" or "-245.60"."""
        if value is None:
            return self.missing
        if abs(value) < 0.5 * 10 ** -self.decimals[kind]:
            return self.num(0.0, kind)
        text = self.num(abs(value), kind)
        return ("+" if value > 0 else "-") + text

    def excel_format(self, kind: str) -> str:
        """The openpyxl number format of a kind of number ("#,##0.00")."""
        places = self.decimals[kind]
        return "#,##0" + ("." + "0" * places if places else "")
