"""Readers are registered as real imports: a reader that cannot be imported stops the run with
exit 2, the reader's name and the reason, instead of silently reading no document of its kind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from extractors import einvoice_xml, invoice, lab, registry
from fixtures import sample_bundle
from verify.model.records import DocumentKind


def test_the_registry_holds_the_reader_functions_themselves():
    assert registry.PDF_READERS[DocumentKind.FUEL_INVOICE] is invoice.parse
    assert registry.PDF_READERS[DocumentKind.LAB_REPORT] is lab.parse
    assert registry.NATIVE_READERS["xml"][DocumentKind.FUEL_INVOICE] is einvoice_xml.parse
    tables = (registry.PDF_READERS, registry.SHEET_READERS, registry.FILE_READERS,
              *registry.NATIVE_READERS.values())
    assert all(callable(read) for table in tables for read in table.values())


def _without(library: str, where: Path) -> dict[str, str]:
    """An environment in which `library` fails to import, as on a machine that lacks it."""
    shadow = where / "shadow" / library
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text(
        f"raise ModuleNotFoundError({f'No module named {library!r}'!r}, name={library!r})\n",
        "utf-8")
    return {**os.environ, "PYTHONPATH": str(where / "shadow")}


def _carbon_verify(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "verify.cli", *args], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def test_a_reader_missing_its_library_fails_the_run_with_exit_2(tmp_path):
    env = _without("defusedxml", tmp_path)
    done = _carbon_verify("run", str(sample_bundle()), "--out", str(tmp_path / "out"),
                          "--db", f"sqlite:///{tmp_path / 'runs.db'}", env=env, cwd=tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "a document reader failed to import: extractors.einvoice_xml" in done.stderr
    assert "No module named 'defusedxml'" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists() and not (tmp_path / "runs.db").exists()


def test_extract_fails_the_same_way(tmp_path):
    env = _without("defusedxml", tmp_path)
    any_pdf = next(sample_bundle().rglob("*.pdf"))
    done = _carbon_verify("extract", str(any_pdf), env=env, cwd=tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "extractors.einvoice_xml" in done.stderr and "defusedxml" in done.stderr
