"""Pages per second of our extraction against plain pdfplumber `extract_text`, same files, same run.

    python bench/bench_extract.py [--against COMMIT] [--repeat N] [BUNDLE_DIR ...]

Without bundles, one is generated with seed 1 (1 facility, 3 months, no defects). Only PDFs with
a text layer are timed (a scan's time is OCR's, measured by bench/score_scans.py). With
`--against`, the same files are read by that commit's code too (checked out in a temporary git
worktree), the two alternating in fresh processes, and the median of each is compared.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEXT_LAYER_MIN_CHARS = 40  # fewer printed characters on the first page: treated as a scan


def text_layer_pdfs(folders: list[Path]) -> list[Path]:
    """The bundles' PDFs whose first page carries a text layer, sorted for a stable order."""
    import pypdfium2

    found = []
    for folder in folders:
        for path in sorted(folder.rglob("*.pdf")):
            try:
                pdf = pypdfium2.PdfDocument(path)
            except Exception:  # noqa: BLE001 - an unreadable file is not a speed sample
                continue
            try:
                text = pdf[0].get_textpage().get_text_range() if len(pdf) else ""
            finally:
                pdf.close()
            if len(text.strip()) >= TEXT_LAYER_MIN_CHARS:
                found.append(path)
    return found


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


def ours(code: Path, paths: list[Path]) -> dict:
    """Pages, seconds and records of `code`'s extract_file over the files, in this process."""
    sys.path.insert(0, str(code))
    from extractors.discover import discover
    from extractors.read import extract_file

    documents = {}
    for folder in {p.parent for p in paths}:
        for doc, path in discover(folder).entries:
            documents[path.resolve()] = doc
    entries = [(documents[p.resolve()], p) for p in paths if p.resolve() in documents]
    for doc, path in entries[:2]:
        extract_file(path, doc)  # warm imports and fonts
    pages = records = 0
    started = time.perf_counter()
    for doc, path in entries:
        result = extract_file(path, doc)
        pages += result.document.pages or 0
        records += len(result.records)
    return {"pages": pages, "seconds": time.perf_counter() - started, "records": records,
            "files": len(entries), "code": str(Path(sys.modules["extractors"].__file__).parents[1])}


def run_child(code: Path, paths: list[Path]) -> dict:
    """One timing of `code` in a fresh process (no module or cache shared with the other code)."""
    out = subprocess.run([sys.executable, __file__, "--child", str(code), *map(str, paths)],
                         check=True, capture_output=True, text=True, cwd=code)
    timing = json.loads(out.stdout.strip().splitlines()[-1])
    if Path(timing["code"]).resolve() != code.resolve():
        raise SystemExit(f"the child read {timing['code']}, not {code}")
    return timing


def worktree(commit: str) -> Path:
    """A temporary checkout of `commit` (removed with `git worktree prune` once deleted)."""
    where = Path(tempfile.mkdtemp(prefix="bench-extract-code-")) / "code"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(where),
                    commit], check=True)
    return where


def generated_bundle() -> list[Path]:
    tmp = Path(tempfile.mkdtemp(prefix="bench-extract-"))
    subprocess.run([sys.executable, "-m", "fixtures", "generate", "--seed", "1", "--facilities",
                    "1", "--months", "3", "--defects", "none", str(tmp)], check=True,
                   capture_output=True, cwd=ROOT)
    return sorted(p.parent / "bundle" for p in tmp.rglob("truth.json"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundles", nargs="*", type=Path)
    parser.add_argument("--against", help="a commit whose code reads the same files")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    paths = [p.resolve() for p in text_layer_pdfs(args.bundles or generated_bundle())]
    codes = {"this code": ROOT}
    if args.against:
        codes[args.against] = worktree(args.against)
    p_pages, p_s = plain_pdfplumber(paths)
    runs: dict[str, list[dict]] = {name: [] for name in codes}
    for _ in range(args.repeat):
        for name, code in codes.items():
            runs[name].append(run_child(code, paths))
    print(f"{len(paths)} text-layer PDFs, {p_pages} pages, median of {args.repeat}")
    print(f"pdfplumber extract_text : {p_pages / p_s:6.1f} pages/s ({p_s:.2f} s)")
    medians = {}
    for name, timings in runs.items():
        seconds = statistics.median(t["seconds"] for t in timings)
        medians[name] = seconds
        first = timings[0]
        print(f"{name:<24}: {first['pages'] / seconds:6.1f} pages/s ({seconds:.2f} s, "
              f"{first['records']} records, {first['files']} files; runs "
              + ", ".join(f"{t['seconds']:.2f}" for t in timings) + ")")
    print(f"ratio this code / pdfplumber: {p_s / medians['this code']:.2f} (pages/s)")
    if args.against:
        print(f"ratio this code / {args.against}: {medians['this code'] / medians[args.against]:.3f}"
              " (seconds; <= 1.10 keeps within 10 %)")
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force",
                        str(codes[args.against])], check=False)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(ours(Path(sys.argv[2]), [Path(p) for p in sys.argv[3:]])))
    else:
        main()
