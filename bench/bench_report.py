"""Page count and render time of the verification report: a month and a year, EN and ZH.

Run: python bench/bench_report.py [--findings 10] [--year-findings 48] [--repeat 3]
                                  [--layout fixed|auto|both]
Prints, per report, the pages and the median seconds of the HTML (templates, excerpts, charts)
and of the PDF (layout, PDF/A-3b, tags, attachments), and the CPU seconds of this process (the
steadier figure on a shared machine). The runs are synthetic (a Hebei plant,
twelve streams; a month, then twelve months with one row per stream and month) and every
finding cites a real one-page invoice PDF, so each renders its excerpt as a real report does and
the numbers compare across machines. --layout auto re-renders with `table-layout: auto` on the
data tables, to compare with the stylesheet's `fixed` in the same run.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import tempfile
import time
from pathlib import Path

from verify.model.records import Document, DocumentKind, Finding, Provenance, Severity
from verify.model.result import Compared, Facility, Materiality, Opinion, RunResult, StreamResult
from verify.report import render_html
from verify.report.excerpts import SourceFiles
from verify.report.pdf import Attached, render_pdf
from verify.report.statement import Engagement

FUELS = ["coke", "washed_coal", "bituminous_coal", "natural_gas", "coke_oven_gas",
         "blast_furnace_gas"]
PROCESS = ["limestone", "dolomite", "steel_scrap"]
PRODUCTS = ["crude_steel", "crude_benzene", "coal_tar"]
SEVERITIES = list(Severity)
RULES = ["AD-INVOICE", "LAB-MATCH", "INV-DUPLICATE", "AD-STOCK-BALANCE", "TREND-BREAK",
         "UNIT-SUSPECT"]
ENGAGEMENT = Engagement.of({"client": "河北某钢铁集团", "verifier": "华北碳核查中心",
                            "lead_verifier": "王明", "statement_date": "2026-04-20"})
AUTO_LAYOUT = "<style>table.grid, table.cells { table-layout: auto; }</style></head>"


def invoice_pdf(folder: Path) -> Provenance:
    """A real invoice page in the bundle folder and the provenance of its quantity."""
    import pdfplumber
    from weasyprint import HTML

    path = folder / "invoices" / "coke-0001.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    HTML(string="<p style='margin-top:80pt'>Item: Metallurgical coke</p>"
                "<p>Quantity: 1,200.000 t</p>").write_pdf(path)
    with pdfplumber.open(path) as pdf:
        word = next(w for w in pdf.pages[0].extract_words() if w["text"] == "1,200.000")
    return Provenance(file="invoices/coke-0001.pdf", sha256=hashlib.sha256(path.read_bytes())
                      .hexdigest(), page=1, bbox=(word["x0"], word["top"], word["x1"],
                                                  word["bottom"]), text="1,200.000")


def _stream(name: str, kind: str, period: str, i: int, source: Provenance) -> StreamResult:
    claimed = 10000.0 + 37 * i
    if kind == "fuel":
        return StreamResult(
            name=name, kind=kind, period=period, claimed_tco2=claimed,
            verified_tco2=claimed - 15.5,
            activity=Compared(claimed=3000.0 + i, evidenced=2990.0 + i, unit="t",
                              support="evidenced"),
            ncv=Compared(claimed=28.435, evidenced=28.4, unit="GJ/t", support="evidenced"),
            carbon_content=Compared(claimed=0.0295, evidenced=0.02951, unit="tC/GJ",
                                    support="evidenced"),
            oxidation=1.0, evidence=[source])
    quantity = 52000.0 + 13 * i if name == "crude_steel" else 3000.0 + i
    return StreamResult(
        name=name, kind=kind, period=period, claimed_tco2=claimed / 20,
        verified_tco2=claimed / 20,
        activity=Compared(claimed=quantity, evidenced=quantity, unit="t", support="evidenced"),
        ef=Compared(claimed=0.44, evidenced=0.44, unit="tCO2/t"), evidence=[source])


def synthetic_run(months: int, findings: int, source: Provenance, bundle: Path) -> RunResult:
    """`months` months of twelve streams, `findings` findings citing the invoice, 40 documents."""
    periods = [f"2025-{m:02d}" for m in range(1, months + 1)]
    docs = [Document(file=source.file, sha256=source.sha256, kind=DocumentKind.FUEL_INVOICE,
                     pages=1)]
    docs += [Document(file=f"发票/2025-03/invoice-{n:04d}.pdf", sha256=f"{n:064x}",
                      kind=DocumentKind.FUEL_INVOICE, pages=1) for n in range(1, 40)]
    kinds = [(s, "fuel") for s in FUELS] + [(s, "process") for s in PROCESS] + [
        (s, "product") for s in PRODUCTS]
    streams = [_stream(name, kind, p, i + 12 * m, source)
               for m, p in enumerate(periods) for i, (name, kind) in enumerate(kinds)]
    found = [
        Finding(rule=RULES[n % len(RULES)], severity=SEVERITIES[n % 3], stream=FUELS[n % 6],
                period=periods[n % months],
                message=f"{FUELS[n % 6]} {periods[n % months]}: claimed 1,{200 + n}.000 t, "
                        f"invoices add up to 1,200.000 t; effect {12.345 * n:.2f} tCO2.",
                impact_tco2=round(12.345 * n, 2), claimed=1200.0 + n, evidenced=1200.0,
                difference=float(n), evidence=[source])
        for n in range(findings)
    ]
    claimed = sum(s.claimed_tco2 * (-1 if s.kind == "product" else 1) for s in streams)
    verified = sum(s.verified_tco2 * (-1 if s.kind == "product" else 1) for s in streams)
    return RunResult(
        run_id="bench-0000", facility=Facility(id="CN-HB-0001", name="河北某钢铁有限公司"),
        period=periods[0] if months == 1 else f"{periods[0]}..{periods[-1]}",
        method="cn-steel-2025", opinion=Opinion.NOT_VERIFIED,
        opinion_reason="Material misstatement.", claimed_total_tco2=round(claimed, 2),
        verified_total_tco2=round(verified, 2),
        materiality=Materiality(threshold_pct=2.0, misstatement_tco2=round(claimed - verified, 2),
                                misstatement_pct=1.0, material=False),
        streams=streams, findings=found, documents=docs, bundle=str(bundle),
        thresholds={"large_installation_t": 500000.0})


def time_report(run: RunResult, lang: str, out: Path, auto_layout: bool,
                attachments: list[Attached]) -> dict[str, float]:
    """Seconds of the HTML and of the PDF of one report, and its page count."""
    import pypdfium2 as pdfium

    t0, c0 = time.perf_counter(), time.process_time()
    sources = SourceFiles(run.bundle)
    try:
        html = render_html(run, (), lang=lang, engagement=ENGAGEMENT, sources=sources)
    finally:
        sources.close()
    if auto_layout:
        html = html.replace("</head>", AUTO_LAYOUT, 1)
    t1 = time.perf_counter()
    render_pdf(html, out, attachments=attachments)
    t2, c2 = time.perf_counter(), time.process_time()
    pages = len(pdfium.PdfDocument(out))
    return {"html": t1 - t0, "pdf": t2 - t1, "total": t2 - t0, "cpu": c2 - c0, "pages": pages}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=10, help="findings of the month")
    parser.add_argument("--year-findings", type=int, default=48, help="findings of the year")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--layout", choices=["fixed", "auto", "both"], default="fixed")
    args = parser.parse_args()
    layouts = {"fixed": [False], "auto": [True], "both": [False, True]}[args.layout]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        source = invoice_pdf(root / "bundle")
        attached = root / "findings.json"
        attached.write_text("{}", "utf-8")
        attachments = [Attached.of(attached)]
        runs = {"month": synthetic_run(1, args.findings, source, root / "bundle"),
                "year": synthetic_run(12, args.year_findings, source, root / "bundle")}
        time_report(runs["month"], "en", root / "warm.pdf", False, attachments)  # font caches
        for label, run in runs.items():
            for lang in ("en", "zh"):
                for auto in layouts:
                    out = root / f"{label}-{lang}.pdf"
                    samples = [time_report(run, lang, out, auto, attachments)
                               for _ in range(args.repeat)]
                    med = {k: statistics.median(s[k] for s in samples) for k in samples[0]}
                    print(f"{label} {lang} table-layout {'auto' if auto else 'fixed'}: "
                          f"{len(run.findings)} findings, {med['pages']:.0f} pages, "
                          f"{out.stat().st_size / 1024:.0f} KiB | html {med['html']:.2f} s, "
                          f"pdf {med['pdf']:.2f} s, total {med['total']:.2f} s, cpu {med['cpu']:.2f} s "
                          f"(median of {args.repeat})", flush=True)


if __name__ == "__main__":
    main()
