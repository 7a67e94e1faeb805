"""A file that inflates to gigabytes stops only its own worker: each worker runs under an
address-space limit, the file becomes unreadable with the reason, the other files are read."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest
from extract_docs import en_invoice, render

from extractors.read import document_for
from extractors.worker import MEMORY_ENV, extract_many, memory_limit_mb
from verify.model.records import DocumentStatus


def deflate_bomb_pdf(path: Path, inflated_mb: int) -> Path:
    """A valid one-page PDF whose content stream is a few MB deflated and `inflated_mb` MB
    inflated (a text operator followed by blank space)."""
    block = b" " * (1 << 20)
    packer = zlib.compressobj(1)
    stream = packer.compress(b"BT /F1 12 Tf 72 720 Td (x) Tj ET\n")
    stream += b"".join(packer.compress(block) for _ in range(inflated_mb)) + packer.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def test_the_limit_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv(MEMORY_ENV, "777")
    assert memory_limit_mb() == 777
    monkeypatch.setenv(MEMORY_ENV, "lots")
    assert memory_limit_mb() == 2560


@pytest.mark.slow
def test_a_deflate_bomb_stops_its_worker_and_the_other_file_is_read(tmp_path, monkeypatch):
    monkeypatch.setenv(MEMORY_ENV, "1024")
    bomb = deflate_bomb_pdf(tmp_path / "bomb.pdf", inflated_mb=1536)
    assert bomb.stat().st_size < 8 * 1024 * 1024
    quick = render(en_invoice(), tmp_path / "quick.pdf")
    results = extract_many([(bomb, document_for(bomb)), (quick, document_for(quick))],
                           timeout_s=120, workers=1)
    assert results[0].document.status == DocumentStatus.UNREADABLE
    assert results[0].document.error.startswith(("worker crashed", "memory limit reached"))
    assert "1024 MB" in results[0].document.error
    assert results[1].records[0].number == "INV-2025-00042"
