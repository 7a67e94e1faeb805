"""Time the verification report: HTML, layout and PDF of a run with N findings, EN and ZH.

Run: python bench/bench_report.py [--rows 300] [--repeat 3]
Prints the median seconds per step and per report. The run is synthetic (a Hebei plant, one
month, N findings each citing one document) so the numbers compare across machines.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from verify.model.records import Document, DocumentKind, Finding, Provenance, Severity
from verify.model.result import Compared, Facility, Materiality, Opinion, RunResult, StreamResult
from verify.report import render_html
from verify.report.pdf import ReportFetcher
from verify.report.settings import templates_dir

STREAMS = [
    ("coke", "焦炭"),
    ("washed_coal", "洗精煤"),
    ("natural_gas", "天然气"),
    ("blast_furnace_gas", "高炉煤气"),
    ("limestone", "石灰石"),
    ("dolomite", "白云石"),
]
SEVERITIES = list(Severity)


def synthetic_run(rows: int) -> RunResult:
    """A run with `rows` findings over six streams and 40 documents."""
    docs = [
        Document(
            file=f"发票/2025-03/invoice-{n:04d}.pdf",
            sha256=f"{n:064x}",
            kind=DocumentKind.FUEL_INVOICE,
            pages=1,
        )
        for n in range(40)
    ]
    findings = [
        Finding(
            rule=f"RULE-{n % 12:02d}-CHECK",
            severity=SEVERITIES[n % 3],
            stream=STREAMS[n % 6][0],
            message=f"发票 {25132000000012340000 + n} 的数量 {1000 + n:,} t 与入库记录不符 "
            f"(invoice quantity differs from the stock receipt by {n % 7 + 1}.5 %).",
            impact_tco2=round(12.345 * n, 2),
            claimed=1000.0 + n,
            evidenced=990.0 + n,
            difference=10.0,
            evidence=[
                Provenance(
                    file=docs[n % 40].file,
                    sha256=docs[n % 40].sha256,
                    page=1,
                    bbox=(312.5, 401.2, 360.0, 412.8),
                    text=f"{1000 + n}",
                )
            ],
        )
        for n in range(rows)
    ]
    streams = [
        StreamResult(
            name=s,
            kind="fuel",
            label=label,
            claimed_tco2=10000.0 + i,
            verified_tco2=9900.0 + i,
            activity=Compared(claimed=3000.0, evidenced=2990.0, unit="t"),
            ncv=Compared(claimed=28.435, evidenced=28.4, unit="GJ/t"),
            carbon_content=Compared(claimed=0.0295, evidenced=0.02951, unit="tC/GJ"),
            basis="Recomputed from invoices and the lab report.",
        )
        for i, (s, label) in enumerate(STREAMS)
    ]
    return RunResult(
        run_id="bench",
        facility=Facility(id="CN-HB-0001", name="河北某钢铁有限公司"),
        period="2025-03",
        method="cn-steel-2025",
        opinion=Opinion.NOT_VERIFIED,
        opinion_reason="Material misstatement.",
        claimed_total_tco2=60015.0,
        verified_total_tco2=59415.0,
        materiality=Materiality(
            threshold_pct=5.0, misstatement_tco2=600.0, misstatement_pct=1.0, material=False
        ),
        streams=streams,
        findings=findings,
        documents=docs,
    )


def time_report(run: RunResult, lang: str, out: Path) -> dict[str, float]:
    """Seconds for each step of one report: html, layout (render), pdf (write incl. fonts)."""
    from weasyprint import HTML

    t0 = time.perf_counter()
    html = render_html(run, (), lang=lang)
    t1 = time.perf_counter()
    doc = HTML(
        string=html, base_url=templates_dir().as_uri() + "/", url_fetcher=ReportFetcher()
    ).render()
    t2 = time.perf_counter()
    doc.write_pdf(out)
    t3 = time.perf_counter()
    return {
        "html": t1 - t0,
        "layout": t2 - t1,
        "pdf": t3 - t2,
        "total": t3 - t0,
        "pages": len(doc.pages),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    run = synthetic_run(args.rows)
    time_report(run, "en", Path(tempfile.mkdtemp()) / "warm.pdf")  # imports, font caches
    with tempfile.TemporaryDirectory() as tmp:
        for lang in ("en", "zh"):
            samples = [
                time_report(run, lang, Path(tmp) / f"{lang}.pdf") for _ in range(args.repeat)
            ]
            med = {k: statistics.median(s[k] for s in samples) for k in samples[0]}
            size = (Path(tmp) / f"{lang}.pdf").stat().st_size
            print(
                f"{lang}: {args.rows} findings, {med['pages']:.0f} pages, {size / 1024:.0f} KiB | "
                f"html {med['html']:.2f} s, layout {med['layout']:.2f} s, "
                f"pdf {med['pdf']:.2f} s, total {med['total']:.2f} s (median of {args.repeat})"
            )


if __name__ == "__main__":
    main()
