"""Bundle discovery: any layout, hashes, bundle.toml apart, OS junk skipped."""

import hashlib
import zipfile

from extractors.discover import discover


def test_folder_bundle(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "x.csv").write_bytes(b"1,2\n")
    (tmp_path / "bundle.toml").write_text('facility_id = "X"')
    (tmp_path / ".DS_Store").write_bytes(b"junk")
    (tmp_path / "__MACOSX").mkdir()
    (tmp_path / "__MACOSX" / "._x.csv").write_bytes(b"junk")
    bundle = discover(tmp_path)
    assert bundle.bundle_toml == tmp_path / "bundle.toml"
    (doc, path), = bundle.entries
    assert doc.file == "a/b/x.csv" and path == tmp_path / "a" / "b" / "x.csv"
    assert doc.sha256 == hashlib.sha256(b"1,2\n").hexdigest() and doc.size == 4


def test_zip_bundle_unpacks_to_a_temp_dir(tmp_path):
    archive = tmp_path / "b.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("bundle.toml", "period = '2025-03'")
        zf.writestr("evidence/inv 1.pdf", b"%PDF-1.4 x")
    bundle = discover(archive)
    (doc, path), = bundle.entries
    assert doc.file == "evidence/inv 1.pdf" and path.read_bytes() == b"%PDF-1.4 x"
    assert bundle.bundle_toml is not None
    bundle.cleanup()
    assert not path.exists()
