"""Every kind of broken or hostile file in tests/hostile_corpus.py, read through the worker pool
as a run reads it: the outcome the kind promises, never a crash, no secret read, and then the
whole corpus beside the sample bundle: the sample still verifies to its truth and every file is
stored."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest
from hostile_corpus import KINDS, PARSED, SECRET, UNCLASSIFIED, UNREADABLE, build_all

from extractors.read import document_for
from extractors.worker import extract_many
from fixtures import sample_bundle, sample_truth
from verify.model.records import DocumentStatus
from verify.pipeline import RunOptions, run_bundle
from verify.store import engine_for, load_run

STATUS = {PARSED: DocumentStatus.PARSED, UNCLASSIFIED: DocumentStatus.UNCLASSIFIED,
          UNREADABLE: DocumentStatus.UNREADABLE}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, Path]:
    return build_all(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def extracted(corpus) -> dict[str, object]:
    names = list(corpus)
    results = extract_many([(corpus[n], document_for(corpus[n])) for n in names], timeout_s=60,
                           workers=2)
    return dict(zip(names, results, strict=True))


def _non_finite(value, where: str = ""):
    """Paths of every float in a dumped record that is NaN or infinite."""
    if isinstance(value, float) and not math.isfinite(value):
        yield where
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _non_finite(item, f"{where}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _non_finite(item, f"{where}[{i}]")


def test_the_corpus_is_large_enough():
    assert len(KINDS) >= 60 and len({k.name for k in KINDS}) == len(KINDS)


@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
def test_each_kind_has_the_outcome_a_verifier_must_see(kind, extracted):
    got = extracted[kind.name]
    doc = got.document
    allowed = kind.status if isinstance(kind.status, tuple) else (kind.status,)
    assert doc.status in {STATUS[s] for s in allowed}, (doc.status, doc.error, got.notes)
    if kind.reason:
        assert kind.reason in (doc.error or ""), doc.error
    if doc.status != DocumentStatus.PARSED:
        assert doc.error, "an unread file says why"
    if kind.records is not None:
        assert bool(got.records) == kind.records, got.notes
    assert not list(_non_finite([r.model_dump() for r in got.records])), "a figure no plant measured"
    dumped = got.model_dump_json()
    assert SECRET not in dumped and "attacker.example" not in dumped.replace("\\", "")


@pytest.mark.slow
def test_the_sample_bundle_with_the_corpus_still_verifies(corpus, extracted, tmp_path):
    """Every kind that yields no record (the readable controls would add evidence) beside the
    sample bundle: the sample's verified total is unchanged, every file is stored."""
    bundle = tmp_path / "bundle"
    shutil.copytree(sample_bundle(), bundle)
    hostile = bundle / "hostile"
    hostile.mkdir()
    corpus = {name: path for name, path in corpus.items() if not extracted[name].records}
    assert len(corpus) >= 30
    for path in corpus.values():
        shutil.copy(path, hostile / path.name)
    db = f"sqlite:///{tmp_path / 'runs.db'}"
    out = tmp_path / "out"
    outcome = run_bundle(bundle, RunOptions(db=db, out=out))
    truth = sample_truth()["expected"]
    assert outcome.result.verified_total_tco2 == pytest.approx(truth["verified_total_tco2"],
                                                               abs=0.01)
    stored = load_run(engine_for(db), outcome.result.run_id)
    names = {d.file for d in stored.documents}
    assert {f"hostile/{p.name}" for p in corpus.values()} <= names
    unreadable = {p.file for f in outcome.result.findings if f.rule == "DOC-UNREADABLE"
                  for p in f.evidence}
    expected = {f"hostile/{corpus[k.name].name}" for k in KINDS
                if k.status == UNREADABLE and k.name in corpus}
    assert len(expected) >= 15
    assert expected <= unreadable
    written = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert {"report.pdf", "report.html", "findings.json", "workpapers.xlsx"} <= written
    assert not list(tmp_path.glob("evil*")) and not list(bundle.parent.glob("evil*"))
