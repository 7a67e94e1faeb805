"""Pages per second of our extraction against plain pdfplumber `extract_text`, same files, same run.

    python bench/bench_extract.py [BUNDLE_DIR ...]   (default: a bundle generated with seed 1)
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors.discover import discover  # noqa: E402
from extractors.read import extract_file  # noqa: E402
from extractors.sniff import file_format  # noqa: E402


def pdfs(folder: Path) -> list[tuple]:
    """The bundle's PDF entries (Document, path)."""
    return [(doc, path) for doc, path in discover(folder).entries if file_format(path) == "pdf"]


def plain_pdfplumber(paths: list[Path]) -> tuple[int, float]:
    """(pages, seconds) for pdfplumber extract_text over every page, pages closed."""
    import pdfplumber

    pages, started = 0, time.perf_counter()
    for path in paths:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.close()
                pages += 1
    return pages, time.perf_counter() - started


def ours(entries: list[tuple]) -> tuple[int, float, int]:
    """(pages, seconds, records) for extract_file over the same files."""
    pages = records = 0
    started = time.perf_counter()
    for doc, path in entries:
        result = extract_file(path, doc)
        pages += result.document.pages or 0
        records += len(result.records)
    return pages, time.perf_counter() - started, records


def main(folders: list[Path]) -> None:
    entries = [e for folder in folders for e in pdfs(folder)]
    paths = [p for _, p in entries]
    ours(entries[:2])  # warm imports
    p_pages, p_s = plain_pdfplumber(paths)
    o_pages, o_s, n = ours(entries)
    print(f"{len(paths)} PDFs, {p_pages} pages")
    print(f"pdfplumber extract_text: {p_pages / p_s:6.1f} pages/s ({p_s:.2f} s)")
    print(f"carbon-verify extract  : {o_pages / o_s:6.1f} pages/s ({o_s:.2f} s, {n} records)")
    print(f"ratio ours / pdfplumber: {(o_pages / o_s) / (p_pages / p_s):.2f}")


if __name__ == "__main__":
    args = [Path(a) for a in sys.argv[1:]]
    if not args:
        tmp = Path(tempfile.mkdtemp(prefix="bench-extract-"))
        subprocess.run([sys.executable, "-m", "fixtures", "generate", "--seed", "1", "--facilities",
                        "1", "--months", "3", "--defects", "none", str(tmp)], check=True,
                       capture_output=True, cwd=ROOT)
        args = sorted(p.parent / "bundle" for p in tmp.rglob("truth.json"))
    main(args)
