"""Zip bundles as plants and their tools really make them, and as an attacker would: judged at
the door by the central directory, every refused entry a DOC-UNREADABLE with its reason, the
rest of the bundle still verified, nothing lost, never a traceback."""

from __future__ import annotations

import os
import shutil
import warnings
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractors.discover import discover
from extractors.limits import Limits
from extractors.names import decode_name, shown_name
from fixtures import sample_bundle, sample_truth
from verify.cli import app
from verify.model.errors import BundleError
from verify.pipeline import RunOptions, run_bundle
from verify.store import engine_for, load_run

PDF = b"%PDF-1.4\n% a small test file\n" + b"0" * 200


def _zip(path: Path, entries: list[tuple[str, bytes]]) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns on a duplicate name: that is the case
        with zipfile.ZipFile(path, "w") as zf:
            for name, data in entries:
                zf.writestr(name, data)
    return path


def _mark_encrypted(path: Path, name: str) -> None:
    """Set the 'encrypted' flag of one entry in its local header and in the central directory,
    as an archiver does for a password-protected entry (zipfile cannot write one)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        offset = zf.getinfo(name).header_offset
    data[offset + 6] |= 0x1
    at = data.find(b"PK\x01\x02")
    while at != -1:
        length = int.from_bytes(data[at + 28:at + 30], "little")
        if data[at + 46:at + 46 + length] == name.encode():
            data[at + 8] |= 0x1
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))


def _patch(path: Path, old: bytes, new: bytes) -> None:
    """Replace bytes in the archive (names in both headers, or entry content)."""
    data = path.read_bytes()
    assert old in data and len(old) == len(new)
    path.write_bytes(data.replace(old, new))


def _found(archive: Path, limits: Limits | None = None) -> dict[str, object]:
    bundle = discover(archive, limits or Limits())
    try:
        return {doc.file: (doc.error or path.read_bytes()) for doc, path in bundle.entries}
    finally:
        bundle.cleanup()


def test_a_file_that_is_not_a_zip_is_refused_with_exit_2(tmp_path):
    fake = tmp_path / "evidence.zip"
    fake.write_bytes(b"this is a spreadsheet export, not a zip" * 10)
    with pytest.raises(BundleError, match="not a zip archive"):
        discover(fake)
    result = CliRunner().invoke(app, ["run", str(fake), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert "not a readable bundle" in result.output and "Traceback" not in result.output


def test_too_many_entries_are_refused_before_anything_is_unpacked(tmp_path):
    archive = _zip(tmp_path / "many.zip", [(f"f{i}.csv", b"1,2\n") for i in range(12)])
    with pytest.raises(BundleError, match="holds 12 files \\(limit 10\\)"):
        discover(archive, Limits(max_files=10))
    assert not list(Path("/tmp").glob("carbon-verify-*/f0.csv"))


def test_a_damaged_entry_is_unreadable_and_the_others_are_read(tmp_path):
    archive = _zip(tmp_path / "b.zip", [("good.pdf", PDF), ("bad.pdf", PDF.replace(b"small", b"SMALL"))])
    # flip content bytes of the second entry after its CRC was written: a bad CRC-32
    data = archive.read_bytes()
    second = data.index(b"SMALL")
    archive.write_bytes(data[:second] + b"small" + data[second + 5:])
    found = _found(archive)
    assert found["good.pdf"] == PDF
    assert str(found["bad.pdf"]).startswith("damaged zip entry: BadZipFile: Bad CRC-32")


def test_an_encrypted_entry_is_unreadable_with_the_reason(tmp_path):
    archive = _zip(tmp_path / "b.zip", [("open.pdf", PDF), ("locked.pdf", PDF)])
    _mark_encrypted(archive, "locked.pdf")
    found = _found(archive)
    assert found["open.pdf"] == PDF
    assert found["locked.pdf"] == "encrypted zip entry: a password is needed"


def test_two_entries_of_one_name_are_both_kept(tmp_path):
    archive = _zip(tmp_path / "b.zip", [("inv/a.pdf", PDF), ("inv/a.pdf", PDF + b"second"),
                                        ("inv/A.pdf", PDF + b"third")])
    found = _found(archive)
    assert found == {"inv/a.pdf": PDF, "inv/a (2).pdf": PDF + b"second",
                     "inv/A (3).pdf": PDF + b"third"}


def test_gbk_names_of_a_chinese_windows_zip_tool_are_decoded(tmp_path):
    gbk = "发票/焦炭.pdf".encode("gbk")
    placeholder = b"x" * (len(gbk) - 4) + b".pdf"
    archive = _zip(tmp_path / "b.zip", [(placeholder.decode(), PDF)])
    _patch(archive, placeholder, gbk)  # raw GBK bytes, no UTF-8 flag, as such tools write
    assert _found(archive) == {"发票/焦炭.pdf": PDF}


def test_a_latin_name_in_cp437_is_not_read_as_chinese():
    assert decode_name("März.pdf".encode("cp437"), fallback="März.pdf") == "März.pdf"
    assert decode_name("焦炭.pdf".encode("gbk")) == "焦炭.pdf"
    assert decode_name("焦炭.pdf".encode()) == "焦炭.pdf"


def test_a_folder_name_of_undecodable_bytes_becomes_printable_text(tmp_path):
    (tmp_path / os.fsdecode(b"\xff\xfeinvoice.pdf")).write_bytes(PDF)
    (doc, path), = discover(tmp_path).entries
    assert doc.file == "\\xff\\xfeinvoice.pdf" and path.read_bytes() == PDF
    assert shown_name(path.name) == doc.file
    doc.file.encode("utf-8")  # storable


def test_a_hostile_zip_bundle_still_verifies_and_is_stored_whole(tmp_path):
    """The sample bundle zipped with a damaged, an encrypted, a duplicated and a GBK-named
    entry beside it: the verified figures are the sample's, and the run with every document
    (names as sent) is in the database."""
    archive = Path(shutil.make_archive(str(tmp_path / "bundle"), "zip", sample_bundle()))
    some_pdf = next(p for p in sorted(sample_bundle().rglob("*.pdf")))
    gbk = "扫描件/发票.pdf".encode("gbk")
    placeholder = b"y" * (len(gbk) - 4) + b".pdf"
    with warnings.catch_warnings(), zipfile.ZipFile(archive, "a") as zf:
        warnings.simplefilter("ignore")
        zf.writestr("extra/locked.pdf", PDF)
        zf.writestr(placeholder.decode(), b"%PDF-1.4 truncated")
    _mark_encrypted(archive, "extra/locked.pdf")
    _patch(archive, placeholder, gbk)
    db = f"sqlite:///{tmp_path / 'runs.db'}"
    outcome = run_bundle(archive, RunOptions(db=db, out=None))
    truth = sample_truth()["expected"]
    assert outcome.result.verified_total_tco2 == pytest.approx(truth["verified_total_tco2"],
                                                               abs=0.01)
    unreadable = {p.file for f in outcome.result.findings if f.rule == "DOC-UNREADABLE"
                  for p in f.evidence}
    assert {"extra/locked.pdf", "扫描件/发票.pdf"} <= unreadable
    stored = load_run(engine_for(db), outcome.result.run_id)
    names = {d.file for d in stored.documents}
    assert "扫描件/发票.pdf" in names and some_pdf.name in {Path(n).name for n in names}


def test_a_symbolic_link_entry_is_refused(tmp_path):
    archive = tmp_path / "b.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        link = zipfile.ZipInfo("evidence/passwd.csv")
        link.external_attr = (0o120777 << 16)  # a symlink, as `zip --symlinks` stores one
        zf.writestr(link, "/etc/passwd")
        zf.writestr("evidence/a.pdf", PDF)
    found = _found(archive)
    assert found["evidence/a.pdf"] == PDF
    assert found["evidence/passwd.csv"] == "unsafe zip entry: symbolic link"


def test_a_local_header_whose_utf8_name_is_not_utf8_is_a_damaged_entry(tmp_path):
    """Found by the property test: a local header flagged UTF-8 with bytes that are not."""
    archive = _zip(tmp_path / "b.zip", [("good.pdf", PDF), ("bad_x.pdf", PDF)])
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zf:
        offset = zf.getinfo("bad_x.pdf").header_offset
    data[offset + 7] |= 0x08  # general purpose bit 11 (UTF-8 name), local header only
    at = data.index(b"bad_x.pdf", offset)
    data[at + 4] = 0xAB  # the '_x' byte becomes one no UTF-8 sequence starts with
    archive.write_bytes(bytes(data))
    found = _found(archive)
    assert found["good.pdf"] == PDF
    assert str(found["bad_x.pdf"]).startswith("damaged zip entry: UnicodeDecodeError")
