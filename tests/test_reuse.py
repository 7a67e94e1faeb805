"""The local engine reuses what it read and wrote before: a file is not read again while its
content, the readers and the templates are unchanged, and report files that already show the
result are not written again. Real bundle, real worker processes, real SQLite, real files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from extractors.cache import ExtractionCache, code_digest
from extractors.extraction import unreadable
from fixtures import sample_bundle
from verify.model.records import DocumentStatus
from verify.pipeline import RunOptions, run_bundle
from verify.store import engine_for, list_runs


def _options(tmp: Path, **changes) -> RunOptions:
    base = dict(out=None, store=False, workers=1, cache=tmp / "cache", timeout_s=300.0)
    return RunOptions(**{**base, **changes})


def _read(outcome) -> set[str]:
    """The files this run read (not reused), of those that could be read."""
    return {d.file for d in outcome.result.documents
            if d.status != DocumentStatus.UNREADABLE} - set(outcome.reused)


@pytest.fixture(scope="module")
def cold(tmp_path_factory):
    """The sample bundle copied, read once into an empty cache."""
    tmp = tmp_path_factory.mktemp("reuse")
    bundle = tmp / "bundle"
    shutil.copytree(sample_bundle(), bundle)
    outcome = run_bundle(bundle, _options(tmp))
    return tmp, bundle, outcome


def _copy(cold, tmp_path: Path) -> tuple[Path, Path]:
    """A bundle and a cache of its own, both as the cold run left them."""
    src_tmp, src_bundle, _ = cold
    bundle, cache = tmp_path / "bundle", tmp_path / "cache"
    shutil.copytree(src_bundle, bundle)
    shutil.copytree(src_tmp / "cache", cache)
    return bundle, cache


def _figures(outcome) -> tuple:
    r = outcome.result
    return (r.claimed_total_tco2, r.verified_total_tco2, r.opinion,
            [(f.rule, f.stream, f.impact_tco2) for f in r.findings],
            sorted((d.file, d.kind, d.status) for d in r.documents))


def test_a_cold_run_reads_every_file_and_keeps_each_read(cold):
    tmp, _, outcome = cold
    assert outcome.reused == ()
    read = _read(outcome)
    assert len(read) >= 10
    entries = list((tmp / "cache").rglob("*.json"))
    assert len(entries) == len({d.sha256 for d in outcome.result.documents
                                if d.file in read})
    assert set(outcome.seconds) >= {"discover", "read", "conclude"}


def test_a_warm_rerun_reads_no_file_again_and_concludes_the_same(cold, tmp_path):
    _, _, first = cold
    bundle, cache = _copy(cold, tmp_path)
    again = run_bundle(bundle, _options(tmp_path, cache=cache))
    assert _read(again) == set()
    assert set(again.reused) == _read(first)
    assert _figures(again) == _figures(first)


def test_a_changed_file_is_read_again_and_only_it(cold, tmp_path):
    _, _, first = cold
    bundle, cache = _copy(cold, tmp_path)
    claim = next(d.file for d in first.result.documents if d.kind.value == "claim")
    changed = next(d.file for d in first.result.documents
                   if d.file.endswith(".pdf") and d.file in _read(first) and d.file != claim)
    with (bundle / changed).open("ab") as fh:  # bytes after %%EOF: same pages, new SHA-256
        fh.write(b"\n% appended\n")
    again = run_bundle(bundle, _options(tmp_path, cache=cache))
    assert _read(again) == {changed}
    assert set(again.reused) == _read(first) - {changed}


def test_a_renamed_file_is_reused_under_its_new_name(cold, tmp_path):
    _, _, first = cold
    bundle, cache = _copy(cold, tmp_path)
    doc = next(d for d in first.result.documents
               if d.file.endswith(".pdf") and d.file in _read(first) and d.kind.value == "fuel_invoice")
    new = str(Path(doc.file).with_name("renamed-" + Path(doc.file).name))
    (bundle / doc.file).rename(bundle / new)
    again = run_bundle(bundle, _options(tmp_path, cache=cache))
    assert new in again.reused and _read(again) == set()
    stamped = _files_of(doc.sha256, [r.model_dump(mode="json") for r in again.records])
    assert stamped == {new}


def _files_of(sha256: str, node) -> set[str]:
    """Every file name that stands beside this SHA-256 in a JSON tree (provenance)."""
    if isinstance(node, dict):
        own = {node["file"]} if node.get("sha256") == sha256 and "file" in node else set()
        return own.union(*(_files_of(sha256, v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_files_of(sha256, v) for v in node))
    return set()


def test_refresh_reads_every_file_again(cold, tmp_path):
    _, _, first = cold
    bundle, cache = _copy(cold, tmp_path)
    again = run_bundle(bundle, _options(tmp_path, cache=cache, refresh=True))
    assert again.reused == ()
    assert _read(again) == _read(first)
    assert _figures(again) == _figures(first)


def test_a_corrupt_entry_is_ignored_and_the_file_read_again(cold, tmp_path):
    _, _, first = cold
    bundle, cache = _copy(cold, tmp_path)
    doc = next(d for d in first.result.documents if d.file in _read(first))
    [entry] = [p for p in cache.rglob(f"*{doc.sha256}.json")]
    entry.write_text('{"document": {"file": "torn', "utf-8")
    again = run_bundle(bundle, _options(tmp_path, cache=cache))
    assert doc.file in _read(again)
    assert _figures(again) == _figures(first)
    json.loads(entry.read_text("utf-8"))  # written whole again


def test_other_readers_do_not_see_these_entries(cold, tmp_path):
    _, _, first = cold
    _, cache = _copy(cold, tmp_path)
    doc = next(d for d in first.result.documents if d.file in _read(first))
    assert ExtractionCache(cache).get(doc) is not None
    assert ExtractionCache(cache, readers="0123456789abcdef").get(doc) is None


def test_the_reader_digest_follows_every_reader_file(tmp_path):
    root = tmp_path / "readers"
    (root / "data").mkdir(parents=True)
    (root / "read.py").write_text("X = 1\n")
    (root / "data" / "labels.toml").write_text("a = 'b'\n")
    before = code_digest([root])
    (root / "data" / "labels.toml").write_text("a = 'c'\n")
    assert code_digest([root]) != before
    (root / "data" / "labels.toml").write_text("a = 'b'\n")
    assert code_digest([root]) == before


def test_an_unreadable_file_is_never_kept(cold, tmp_path):
    _, _, first = cold
    doc = next(d for d in first.result.documents if d.file in _read(first))
    cache = ExtractionCache(tmp_path / "empty")
    assert cache.put(unreadable(doc, "timed out after 120 s")) is False
    assert cache.get(doc) is None
    assert not list((tmp_path / "empty").rglob("*.json"))


def test_report_files_that_show_the_result_are_not_written_again(cold, tmp_path):
    bundle, cache = _copy(cold, tmp_path)
    db, out = f"sqlite:///{tmp_path}/runs.db", tmp_path / "out"
    opts = _options(tmp_path, cache=cache, store=True, db=db, out=out)
    first = run_bundle(bundle, opts)
    assert first.rendered
    stamps = {p.name: p.stat().st_mtime_ns for p in first.outputs.values()}
    again = run_bundle(bundle, opts)
    assert not again.rendered
    assert again.result.run_id == first.result.run_id
    assert {p.name: p.stat().st_mtime_ns for p in again.outputs.values()} == stamps
    engine = engine_for(db)
    try:
        assert [r.run_id for r in list_runs(engine)] == [first.result.run_id]
    finally:
        engine.dispose()
    forced = run_bundle(bundle, RunOptions(**{**opts.__dict__, "refresh": True}))
    assert forced.rendered and forced.result.run_id != first.result.run_id
    assert json.loads((out / "run.json").read_text("utf-8"))["run_id"] == forced.result.run_id
