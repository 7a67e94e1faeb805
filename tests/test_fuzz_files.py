"""A bounded fuzz run over the whole-file readers: valid PDF, XLSX, XML and OFD files, mutated the
ways files break in transit and by hand (bytes flipped, cut, repeated, spliced; inside a zip, one
part's bytes mutated and the package rebuilt), read through the worker pool as a run reads them.

Whatever the bytes, every file comes back as parsed, unclassified or unreadable with a reason,
within its time limit, with no non-finite figure in a record. The mutants are seeded, so a
failure names the seed that reproduces it; each crash found becomes an example in
tests/hostile_corpus.py. CARBON_VERIFY_FUZZ_MUTANTS sets the number per seed file (default 12:
about a minute on two cores; raise it for a longer run).
"""

from __future__ import annotations

import io
import math
import os
import random
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from extractors.read import document_for
from extractors.worker import extract_many
from fixtures import sample_bundle
from verify.model.errors import Reason
from verify.model.records import DocumentStatus

MUTANTS = int(os.environ.get("CARBON_VERIFY_FUZZ_MUTANTS", "12"))
REALDOCS = Path(__file__).parent / "realdocs"


def _flip(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 40)):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def _cut(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randint(1, len(data) - 1)]


def _repeat(data: bytes, rng: random.Random) -> bytes:
    a = rng.randrange(len(data))
    b = min(len(data), a + rng.randint(1, 4096))
    return data[:b] + data[a:b] * rng.randint(2, 50) + data[b:]


def _splice(data: bytes, rng: random.Random) -> bytes:
    a = rng.randrange(len(data))
    return data[:a] + rng.randbytes(rng.randint(1, 2048)) + data[a + rng.randint(0, 512):]


def _digits(data: bytes, rng: random.Random) -> bytes:
    """Digits changed (a figure retyped, a length or offset off by some bytes)."""
    out = bytearray(data)
    places = [i for i, b in enumerate(out) if 48 <= b <= 57]
    for i in rng.sample(places, min(len(places), rng.randint(1, 30))):
        out[i] = rng.choice(b"0123456789-.e")
    return bytes(out)


BYTES: tuple[Callable[[bytes, random.Random], bytes], ...] = (_flip, _cut, _repeat, _splice, _digits)


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One mutant: a zip package has one part mutated and is packed again half the time (so the
    readers behind the zip layer are reached), else the bytes themselves are."""
    if data[:2] == b"PK" and rng.random() < 0.5:
        with zipfile.ZipFile(io.BytesIO(data)) as src:
            infos = src.infolist()
            victim = rng.choice([i for i in infos if i.file_size > 0] or infos)
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
                for info in infos:
                    part = src.read(info)
                    if info is victim and part:
                        part = rng.choice(BYTES)(part, rng)
                    dst.writestr(info.filename, part)
            return buf.getvalue()
    return rng.choice(BYTES)(data, rng)


def _seed_files(tmp: Path) -> dict[str, bytes]:
    """One valid file per reader: the sample's invoice PDF and workbooks, a 数电 XML and OFD."""
    from test_extract_einvoice_native import coke_invoice

    from fixtures.generate import exports
    from fixtures.generate.model import Doc

    sample = sample_bundle()
    pdfs = sorted(sample.rglob("*.pdf"))
    seeds = {"pdf": pdfs[0].read_bytes(), "pdf2": pdfs[len(pdfs) // 2].read_bytes()}
    for i, path in enumerate(sorted(sample.rglob("*.xlsx"))[:2]):
        seeds[f"xlsx{i}"] = path.read_bytes()
    for export in ("xml", "ofd"):
        doc = Doc("fuel_invoice", "cn_digital", "zh", [coke_invoice()], "2025-03", export=export)
        seeds[export] = exports.render(doc)
    real_ofd = sorted(REALDOCS.rglob("*.ofd"))
    if real_ofd:
        seeds["ofd_real"] = real_ofd[0].read_bytes()
    return seeds


SUFFIX = {"pdf": ".pdf", "xls": ".xlsx", "xml": ".xml", "ofd": ".ofd"}


def _non_finite(value) -> bool:
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, dict):
        return any(_non_finite(v) for v in value.values())
    if isinstance(value, list):
        return any(_non_finite(v) for v in value)
    return False


@pytest.mark.slow
def test_mutated_files_are_read_or_refused_with_a_reason(tmp_path):
    seeds = _seed_files(tmp_path)
    items, origin = [], {}
    for name, data in seeds.items():
        for n in range(MUTANTS):
            seed = f"{name}:{n}"
            path = tmp_path / f"{name}-{n}{SUFFIX[name[:3]]}"
            path.write_bytes(mutate(data, random.Random(seed)) or b"\0")
            items.append((path, document_for(path)))
            origin[path.name] = seed
    results = extract_many(items, timeout_s=60, workers=2)
    allowed = {DocumentStatus.PARSED, DocumentStatus.UNCLASSIFIED, DocumentStatus.UNREADABLE}
    problems = []
    for (path, _), got in zip(items, results, strict=True):
        doc = got.document
        seed = origin[path.name]
        if doc.status not in allowed:
            problems.append(f"{seed}: status {doc.status}")
        elif doc.status != DocumentStatus.PARSED and not doc.error:
            problems.append(f"{seed}: {doc.status.value} without a reason")
        elif any(r.value in (doc.error or "") for r in (Reason.CRASHED, Reason.TIMED_OUT)):
            problems.append(f"{seed}: {doc.error}")
        elif _non_finite([r.model_dump() for r in got.records]):
            problems.append(f"{seed}: a non-finite figure in a record")
    assert not problems, "\n".join(problems)
    statuses = {r.document.status for r in results}
    assert DocumentStatus.UNREADABLE in statuses and DocumentStatus.PARSED in statuses
