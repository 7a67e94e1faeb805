"""Files that cannot be read become unreadable Documents with the reason, never errors."""

import zipfile

import pytest
from extract_docs import en_invoice, encrypted_pdf, image_only, render

from extractors import extract_file
from extractors.discover import discover
from extractors.limits import Limits
from extractors.read import document_for
from extractors.worker import extract_isolated, extract_many
from verify.model.records import DocumentStatus


def read(path):
    return extract_file(path, document_for(path)).document


def test_truncated_pdf(tmp_path):
    good = render(en_invoice(), tmp_path / "good.pdf")
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(good.read_bytes()[: good.stat().st_size // 3])
    doc = read(bad)
    assert doc.status == DocumentStatus.UNREADABLE
    assert doc.error.startswith("truncated or corrupt PDF")


def test_encrypted_pdf(tmp_path):
    doc = read(encrypted_pdf(tmp_path / "locked.pdf"))
    assert (doc.status, doc.error) == (DocumentStatus.UNREADABLE, "encrypted PDF: a password is needed")


def test_empty_file(tmp_path):
    (tmp_path / "empty.pdf").write_bytes(b"")
    doc = read(tmp_path / "empty.pdf")
    assert (doc.status, doc.error) == (DocumentStatus.UNREADABLE, "empty file (0 bytes)")


def test_image_only_pdf(tmp_path):
    doc = read(image_only(tmp_path / "scan.pdf"))
    assert (doc.status, doc.error) == (DocumentStatus.UNREADABLE, "image-only page, no text layer")


def test_unknown_content_is_unclassified(tmp_path):
    path = render("<p>Minutes of the safety meeting, nothing else.</p>", tmp_path / "m.pdf")
    doc = read(path)
    assert doc.status == DocumentStatus.UNCLASSIFIED and doc.kind == "unknown"


def test_zip_with_path_traversal_is_refused(tmp_path):
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("../evil.txt", "owned")
        zf.writestr("/etc/abs.txt", "owned")
        zf.writestr("invoices/a.csv", "日期,高炉煤气\n2025-03-01,1\n")
    bundle = discover(archive)
    try:
        docs = {d.file: d for d, _ in bundle.entries}
        assert docs["../evil.txt"].status == DocumentStatus.UNREADABLE
        assert "path traversal" in docs["../evil.txt"].error
        assert "absolute path" in docs["/etc/abs.txt"].error
        assert docs["invoices/a.csv"].status == DocumentStatus.PARSED
        assert not (tmp_path / "evil.txt").exists()
    finally:
        bundle.cleanup()


def test_zip_bomb_is_refused(tmp_path):
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("big.csv", b"0" * (20 * 1024 * 1024))
    bundle = discover(archive, Limits(max_compression_ratio=100))
    try:
        (doc, _), = bundle.entries
        assert doc.status == DocumentStatus.UNREADABLE and "zip bomb" in doc.error
    finally:
        bundle.cleanup()


def test_oversized_file_is_unreadable(tmp_path):
    (tmp_path / "huge.csv").write_bytes(b"a,b\n" * 1000)
    bundle = discover(tmp_path, Limits(max_file_bytes=1000))
    (doc, _), = bundle.entries
    assert doc.status == DocumentStatus.UNREADABLE and doc.error.startswith("too large")


@pytest.mark.slow
def test_worker_timeout_on_a_real_multi_page_pdf(tmp_path):
    rows = "".join(f"<p>Invoice No.: INV-{i:05d} total 1.00</p>" for i in range(100))
    path = render(f"<h1>INVOICE</h1>{rows}", tmp_path / "long.pdf")
    result = extract_isolated(path, document_for(path), timeout_s=0.05)
    assert result.document.status == DocumentStatus.UNREADABLE
    assert result.document.error.startswith("timed out")


@pytest.mark.slow
def test_pool_survives_a_timeout_and_keeps_order(tmp_path):
    # the long PDF takes about twice the limit to read on a quiet machine; the quick one a
    # fraction of it even when the machine is busy (a 3 s limit failed the quick one under load)
    rows = "".join(f"<p>Invoice No.: INV-{i:05d} total 1.00</p>" for i in range(4500))
    slow = render(f"<h1>INVOICE</h1>{rows}", tmp_path / "long.pdf")
    quick = render(en_invoice(), tmp_path / "quick.pdf")
    (tmp_path / "empty.pdf").write_bytes(b"")
    items = [(p, document_for(p)) for p in (quick, tmp_path / "empty.pdf")]
    results = extract_many(items, timeout_s=30, workers=2)
    assert results[0].records[0].number == "INV-2025-00042"
    assert results[1].document.error == "empty file (0 bytes)"
    timed = extract_many([(slow, document_for(slow)), (quick, document_for(quick))], timeout_s=6)
    assert timed[0].document.error.startswith("timed out")
    assert timed[1].records[0].number == "INV-2025-00042"


def test_a_large_file_gets_more_time_up_to_a_cap():
    from extractors.worker import MAX_SECONDS, SECONDS_PER_MB, time_limit

    assert time_limit(120, 300_000) == 120  # a page or a text PDF: the base
    assert time_limit(120, 11_000_000) == 120 + 10 * SECONDS_PER_MB  # a 40-page scan
    assert time_limit(120, 200_000_000) == MAX_SECONDS
    assert time_limit(1200, 200_000_000) == 1200  # a longer base asked for is kept
